"""Cliente › Usuários do portal: who of the customer signs into which account's portal, and the operator's actions
(invite, resend, suspend, reactivate, send a password reset, unlock, disable). Links are shown once, to copy."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from nicegui import run, ui

from domain.access.permissions import Actor, Permission
from domain.base import utcnow
from domain.customers.model import Customer
from domain.portal_users import services as portal
from domain.portal_users.model import STATUS_LABELS, PortalUserStatus
from domain.portal_users.services import IssuedLink
from persistence.queries import customer_page as queries
from persistence.unit_of_work import SqlUnitOfWork
from ui.components.dialogs import attempt
from ui.components.formats import moment
from ui.components.forms import Fields, check, email_check, reason_dialog, submit

PORTAL_LINK_PATHS = {"invitation": "/portal/convite/", "password_reset": "/portal/senha/",
                     "email_verification": "/portal/verificar/", "magic_link": "/portal/entrar/"}  # fmt: skip
METHOD_LABELS = {"magic_link": "Link mágico", "password": "Senha", "sso": "SSO"}
COLUMNS = [
    {"name": "name", "label": "Nome", "field": "name", "align": "left"},
    {"name": "email", "label": "E-mail", "field": "email", "align": "left"},
    {"name": "account", "label": "Conta", "field": "account", "align": "left"},
    {"name": "status", "label": "Situação", "field": "status", "align": "left"},
    {"name": "methods", "label": "Acesso", "field": "methods", "align": "left"},
    {"name": "totp", "label": "2FA", "field": "totp", "align": "center"},
    {"name": "failed", "label": "Tentativas falhas", "field": "failed", "align": "right"},
    {"name": "locked", "label": "Bloqueado até", "field": "locked", "align": "left"},
    {"name": "last_login", "label": "Último acesso", "field": "last_login", "align": "left"},
    {"name": "actions", "label": "", "field": "id", "align": "right"},
]
ACTIONS_SLOT = r"""
<q-td :props="props" class="whitespace-nowrap" v-if="props.row.can_manage">
  <q-btn v-if="props.row.status_key === 'pending_invitation'" dense flat size="sm" icon="forward_to_inbox"
         title="Reenviar convite" @click="$parent.$emit('resend', props.row)" />
  <q-btn v-if="props.row.status_key === 'active'" dense flat size="sm" icon="password" title="Redefinir senha"
         @click="$parent.$emit('reset', props.row)" />
  <q-btn v-if="props.row.totp === 'Sim'" dense flat size="sm" icon="phonelink_erase" title="Desativar 2FA"
         @click="$parent.$emit('reset_totp', props.row)" />
  <q-btn v-if="props.row.failed > 0" dense flat size="sm" icon="lock_open" title="Desbloquear"
         @click="$parent.$emit('unlock', props.row)" />
  <q-btn v-if="!['suspended', 'disabled'].includes(props.row.status_key)" dense flat size="sm" icon="pause"
         title="Suspender" @click="$parent.$emit('suspend', props.row)" />
  <q-btn v-if="props.row.status_key === 'suspended'" dense flat size="sm" icon="play_arrow" title="Reativar"
         @click="$parent.$emit('reactivate', props.row)" />
  <q-btn v-if="props.row.status_key !== 'disabled'" dense flat size="sm" icon="person_off" color="negative"
         title="Desativar" @click="$parent.$emit('disable', props.row)" />
</q-td>
<q-td v-else :props="props" />
"""


async def build(actor: Actor, customer: Customer) -> None:
    users = await run.io_bound(queries.portal_users, actor, customer.id)
    manage = actor.can(Permission.PORTAL_USERS_MANAGE)
    if manage:
        ui.button("Convidar usuário", icon="person_add", on_click=lambda: _invite_dialog(actor, customer)).props(
            "color=primary dense data-testid=invite-portal-user"
        )
    rows = [_row(u, manage) for u in users]
    table = ui.table(columns=COLUMNS, rows=rows, row_key="id").classes("w-full").props("data-testid=portal-table")
    table.add_slot("body-cell-actions", ACTIONS_SLOT)
    reload = f"/clientes/{customer.id}?tab=portal"
    table.on("resend", lambda e: _link(actor, portal.resend_invitation, e.args, "Novo convite gerado.", reload))
    table.on("reset", lambda e: _link(actor, portal.send_password_reset, e.args, "Link de redefinição gerado.", reload))
    table.on("unlock", lambda e: _simple(actor, portal.unlock_portal_user, e.args, "Usuário desbloqueado.", reload))
    table.on(
        "reactivate", lambda e: _simple(actor, portal.reactivate_portal_user, e.args, "Usuário reativado.", reload)
    )
    table.on("suspend", lambda e: _with_reason(actor, portal.suspend_portal_user, e.args, "Suspender", reload))
    table.on("disable", lambda e: _with_reason(actor, portal.disable_portal_user, e.args, "Desativar", reload))
    table.on("reset_totp", lambda e: _reset_totp(actor, e.args, reload))
    if not users:
        ui.label("Nenhum usuário do portal. Convide as pessoas do cliente que acompanham as faturas.").classes(
            "text-sm text-slate-500"
        )


def _row(u: queries.PortalUserView, manage: bool) -> dict[str, Any]:
    status = STATUS_LABELS[PortalUserStatus(u.status)]
    if u.status == "suspended" and u.suspension_reason:
        status += f" ({u.suspension_reason})"
    return {
        "id": str(u.id), "name": u.name, "email": u.email, "account": u.account_name, "status": status,
        "status_key": u.status, "methods": ", ".join(METHOD_LABELS[m] for m in u.methods),
        "totp": "Sim" if u.totp_enabled else "Não", "failed": u.failed_login_attempts,
        "locked": moment(u.locked_until) if u.locked_until else "", "last_login": moment(u.last_login_at),
        "can_manage": manage,
    }  # fmt: skip


async def _invite_dialog(actor: Actor, customer: Customer) -> None:
    accounts = [a for a in await run.io_bound(queries.accounts, actor, customer.id) if a.status == "active"]
    if not accounts:
        ui.notify("Nenhuma conta ativa: convites só para contas ativas.", type="warning")
        return
    fields = Fields()
    with ui.dialog() as dialog, ui.card().classes("w-[30rem] gap-1"):
        ui.label("Convidar usuário do portal").classes("text-lg font-medium")
        account = ui.select({str(a.id): a.name for a in accounts}, label="Conta", value=str(accounts[0].id))
        account.classes("w-full").props("data-testid=portal-account")
        name = ui.input("Nome", validation=check(str, required=True)).classes("w-full")
        email = ui.input("E-mail", validation=email_check).classes("w-full")
        name.props("autofocus data-testid=portal-name")
        email.props("data-testid=portal-email")
        ui.label("Formas de acesso").classes("text-sm text-slate-600")
        with ui.row().classes("gap-3"):
            magic = ui.checkbox("Link mágico", value=True)
            password = ui.checkbox("Senha", value=False)
            sso = ui.checkbox("SSO", value=False)
        fields["name"], fields["email"], fields["methods"] = name, email, magic

        async def invite() -> None:
            ok, link = await submit(
                fields, portal.invite_portal_user, SqlUnitOfWork(actor), billing_account_id=uuid.UUID(account.value),
                email=email.value or "", name=name.value or "", now=utcnow(), magic_link=magic.value,
                password=password.value, sso=sso.value, success="Convite criado.",
            )  # fmt: skip
            if ok and link:
                dialog.close()
                _show_link(link, f"/clientes/{customer.id}?tab=portal")

        with ui.row().classes("w-full justify-end"):
            ui.button("Cancelar", on_click=dialog.close).props("flat")
            ui.button("Convidar", icon="send", on_click=invite).props("color=primary data-testid=portal-invite")
    dialog.open()


def _show_link(link: IssuedLink, reload: str) -> None:
    """The only time the link exists in clear: stored hashed, single-use, expiring."""
    url = f"{PORTAL_LINK_PATHS[link.purpose.value]}{link.token}"
    with ui.dialog() as dialog, ui.card().classes("w-[36rem] gap-1"):
        ui.label("Link gerado").classes("text-lg font-medium")
        ui.label(f"Envie à pessoa; vale uma única vez, até {moment(link.expires_at)}.").classes("text-sm")
        ui.input(value=url).props("readonly dense outlined data-testid=portal-link").classes("w-full font-mono")
        ui.button("Fechar", on_click=lambda: (dialog.close(), ui.navigate.to(reload))).props("flat")
    dialog.open()


async def _link(
    actor: Actor, use_case: Callable[..., IssuedLink], row: dict[str, Any], success: str, reload: str
) -> None:
    ok, link = await attempt(use_case, SqlUnitOfWork(actor), portal_user_id=uuid.UUID(row["id"]), now=utcnow(),
                             success=success)  # fmt: skip
    if ok and link:
        _show_link(link, reload)


async def _simple(actor: Actor, use_case: Callable[..., None], row: dict[str, Any], success: str, reload: str) -> None:
    ok, _ = await attempt(use_case, SqlUnitOfWork(actor), portal_user_id=uuid.UUID(row["id"]), success=success)
    if ok:
        ui.navigate.to(reload)


def _with_reason(actor: Actor, use_case: Callable[..., None], row: dict[str, Any], verb: str, reload: str) -> None:
    reason_dialog(
        f"{verb} {row['name']} ({row['email']})", verb,
        lambda reason: use_case(SqlUnitOfWork(actor), portal_user_id=uuid.UUID(row["id"]), reason=reason, now=utcnow()),
        success="Usuário suspenso." if verb == "Suspender" else "Usuário desativado.", then=reload,
        danger=verb == "Desativar",
    )  # fmt: skip


def _reset_totp(actor: Actor, row: dict[str, Any], reload: str) -> None:
    reason_dialog(
        f"Desativar o 2FA de {row['name']}", "Desativar 2FA",
        lambda reason: portal.reset_totp(SqlUnitOfWork(actor), portal_user_id=uuid.UUID(row["id"]), reason=reason),
        success="2FA desativado: a pessoa poderá cadastrar um novo autenticador.", then=reload,
    )  # fmt: skip
