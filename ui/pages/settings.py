"""Configurações: organization, operators and roles (admins), and every operator's own account (password, 2FA)."""

from __future__ import annotations

from nicegui import APIRouter, run, ui

from domain.access import passwords
from domain.access import services as access
from domain.access.permissions import Actor, Permission
from domain.organizations import services as organizations
from domain.organizations.model import TAX_REGIME_LABELS
from persistence.queries import access as access_queries
from persistence.unit_of_work import SqlUnitOfWork
from ui.components.dialogs import attempt
from ui.components.frame import page_actor, page_frame
from ui.pages.settings_access import operators_tab, roles_tab

router = APIRouter()


@router.page("/configuracoes")
async def settings_page(tab: str = "") -> None:
    actor = await page_actor("Configurações")
    if actor is None:
        return
    admin = actor.can(Permission.SETTINGS_ADMIN)
    operators_admin = actor.can(Permission.OPERATORS_ADMIN)
    with page_frame("Configurações", actor):
        if admin:
            with ui.row().classes("gap-3 text-sm"):
                ui.link("Régua de cobrança", "/configuracoes/regua")
                ui.link("Webhooks", "/configuracoes/webhooks")
                ui.link("E-mails", "/configuracoes/emails")
        with ui.tabs().props("dense align=left no-caps") as tabs:
            org_tab = ui.tab("organizacao", "Organização") if admin else None
            ops_tab = ui.tab("operadores", "Operadores") if operators_admin else None
            roles_tab_ = ui.tab("papeis", "Papéis") if operators_admin else None
            me_tab = ui.tab("conta", "Minha conta")
        if actor.can(Permission.API_KEYS_ADMIN):
            ui.link("Chaves de API", "/configuracoes/api").classes("text-sm").props("data-testid=api-keys-link")
        first = tab or (org_tab or me_tab).props["name"]
        with ui.tab_panels(tabs, value=first).classes("w-full"):
            if org_tab is not None:
                with ui.tab_panel(org_tab):
                    await _organization_tab(actor)
            if ops_tab is not None:
                with ui.tab_panel(ops_tab):
                    await operators_tab(actor)
            if roles_tab_ is not None:
                with ui.tab_panel(roles_tab_):
                    await roles_tab(actor)
            with ui.tab_panel(me_tab):
                await _my_account_tab(actor)


async def _organization_tab(actor: Actor) -> None:
    org = await run.io_bound(access_queries.current_organization, actor)
    with ui.grid(columns=3).classes("w-full max-w-4xl gap-2"):
        legal_name = ui.input("Razão social", value=org.legal_name)
        trade_name = ui.input("Nome fantasia", value=org.trade_name or "")
        cnpj = ui.input("CNPJ", value=org.cnpj or "")
        municipal = ui.input("Inscrição municipal", value=org.municipal_registration or "")
        regime = ui.select({k.value: v for k, v in TAX_REGIME_LABELS.items()}, label="Regime tributário",
                           value=org.tax_regime.value)  # fmt: skip
        timezone = ui.input("Fuso horário", value=org.timezone)
        currency = ui.select(["BRL", "USD", "EUR"], label="Moeda padrão", value=org.currency)
        ui.input("Identificador (slug)", value=org.slug).props("readonly")
    reason = ui.input("Motivo da alteração (opcional)").classes("w-full max-w-4xl")

    async def save() -> None:
        changes = {
            "legal_name": legal_name.value, "trade_name": trade_name.value or None, "cnpj": cnpj.value or None,
            "municipal_registration": municipal.value or None, "tax_regime": regime.value,
            "timezone": timezone.value, "currency": currency.value,
        }  # fmt: skip
        await attempt(organizations.update_organization, SqlUnitOfWork(actor), changes=changes,
                      reason=reason.value or None, success="Organização atualizada.")  # fmt: skip

    ui.button("Salvar", icon="save", on_click=save).props("color=primary")


async def _my_account_tab(actor: Actor) -> None:
    me = await run.io_bound(access_queries.my_operator, actor)
    if me is None:
        return
    with ui.column().classes("gap-2 max-w-md"):
        ui.label(f"{me.name} · {me.email} · {me.role_label}")
        ui.label("Alterar senha").classes("text-bold mt-2")
        new_password = ui.input("Nova senha (10+ caracteres, letras e números)", password=True)

        async def change_password() -> None:
            ok, _ = await attempt(access.set_password, SqlUnitOfWork(actor), operator_id=actor.id,
                                  password=new_password.value or "", success="Senha alterada.")  # fmt: skip
            if ok:
                new_password.value = ""

        ui.button("Alterar senha", on_click=change_password)
        ui.label("Verificação em duas etapas (TOTP)").classes("text-bold mt-2")
        if me.totp_enabled:
            ui.label("Ativada.").classes("text-positive")

            async def disable() -> None:
                ok, _ = await attempt(access.disable_totp, SqlUnitOfWork(actor), operator_id=actor.id,
                                      success="2FA desativada.")  # fmt: skip
                if ok:
                    ui.navigate.reload()

            ui.button("Desativar 2FA", on_click=disable).props("flat color=negative")
        else:
            secret = passwords.new_totp_secret()
            ui.label("Cadastre esta chave no seu autenticador e confirme com o código de 6 dígitos:")
            ui.label(secret).classes("font-mono").props("data-testid=totp-secret")
            ui.label(passwords.totp_uri(secret, me.email)).classes("text-xs text-slate-500 break-all")
            code = ui.input("Código").props("inputmode=numeric")

            async def enable() -> None:
                ok, _ = await attempt(access.enable_totp, SqlUnitOfWork(actor), operator_id=actor.id,
                                      secret=secret, code=code.value or "", success="2FA ativada.")  # fmt: skip
                if ok:
                    ui.navigate.reload()

            ui.button("Ativar 2FA", on_click=enable)
