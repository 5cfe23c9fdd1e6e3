"""The app shell: header with global search, left navigation, command palette (Ctrl+K) and "/" for search."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote

from nicegui import ui
from nicegui.events import KeyEventArguments

from domain.access.permissions import Actor, Permission
from ui.auth import current_actor
from ui.components.notifications_bell import notifications_bell


@dataclass(frozen=True)
class NavItem:
    label: str
    path: str
    icon: str
    permission: Permission | None = None


NAVIGATION = [
    NavItem("Painel", "/", "dashboard", Permission.DASHBOARD_READ),
    NavItem("Clientes", "/clientes", "groups", Permission.CUSTOMERS_READ),
    NavItem("Contas", "/contas", "account_balance_wallet", Permission.BILLING_ACCOUNTS_READ),
    NavItem("Faturas", "/faturas", "receipt_long", Permission.INVOICES_READ),
    NavItem("Assinaturas", "/assinaturas", "autorenew", Permission.SUBSCRIPTIONS_READ),
    NavItem("Segmentos", "/segmentos", "filter_alt", Permission.SEGMENTS_READ),
    NavItem("Importações", "/importacoes", "upload_file", Permission.IMPORTS_RUN),
    NavItem("LGPD", "/lgpd", "privacy_tip", Permission.LGPD_EXPORT),
    NavItem("Relatórios", "/relatorios", "insights", Permission.EXPORTS_RUN),
    NavItem("Configurações", "/configuracoes", "settings", None),
    NavItem("Auditoria", "/auditoria", "policy", Permission.AUDIT_READ),
]


async def page_actor(title: str, permission: Permission | None = None) -> Actor | None:
    """The signed-in actor allowed to see this page, or None after sending them to sign in / showing the refusal."""
    actor = await current_actor()
    if actor is None:
        ui.navigate.to("/login")
        return None
    if permission is not None and not actor.can(permission):
        with page_frame(title, actor):
            with ui.card().classes("bg-orange-1"):
                ui.label("Você não tem acesso a esta tela.").classes("text-bold")
                ui.label(f"Permissão necessária: {permission.value}.")
        return None
    return actor


@contextmanager
def page_frame(title: str, actor: Actor) -> Iterator[None]:
    ui.page_title(f"{title} · Fatura")
    palette = _command_palette(actor)
    with ui.header(elevated=False).classes("items-center gap-3 px-3 py-1 bg-slate-800 text-white"):
        ui.label("Fatura").classes("text-lg font-bold tracking-tight")
        search = (
            ui.input(placeholder="Buscar clientes, contas, documentos, e-mails…  ( / )")
            .props('dense dark standout="bg-slate-700" clearable input-class="text-white" data-testid=global-search')
            .classes("w-96")
            .on("keydown.enter", lambda e: _go_search(e.sender.value))
        )
        with search.add_slot("prepend"):
            ui.icon("search")
        ui.space()
        notifications_bell(actor)
        ui.button("Ctrl+K", icon="keyboard_command_key", on_click=palette.open).props("flat dense no-caps color=white")
        with ui.row().classes("items-center gap-1 text-sm"):
            ui.icon("account_circle")
            ui.label(actor.name).props("data-testid=operator-name").mark("operator-name")
            ui.label("·").classes("opacity-50")
            ui.label(_organization_label()).classes("opacity-80").props("data-testid=organization-name")
        ui.button(icon="logout", on_click=lambda: ui.navigate.to("/logout")).props(
            "flat dense round color=white aria-label=Sair"
        ).tooltip("Sair")
    with ui.left_drawer(value=True, fixed=True).props("width=200 bordered").classes("bg-slate-50 p-0"):
        with ui.list().props("dense").classes("w-full"):
            for item in NAVIGATION:
                if item.permission is None or actor.can(item.permission):
                    _nav_link(item, active=item.label == title)
    ui.keyboard(on_key=lambda e: _shortcut(e, search, palette))
    with ui.column().classes("w-full gap-2 p-1"):
        ui.label(title).classes("text-xl font-semibold text-slate-800")
        yield


def _organization_label() -> str:
    from nicegui import app

    return app.storage.user.get("organization_name", "")


def _nav_link(item: NavItem, *, active: bool) -> None:
    with ui.item(on_click=lambda: ui.navigate.to(item.path)).props(f"clickable dense {'active' if active else ''}"):
        with ui.item_section().props("avatar").classes("min-w-0"):
            ui.icon(item.icon, size="sm")
        with ui.item_section():
            ui.item_label(item.label)


def _go_search(value: str | None) -> None:
    if value and value.strip():
        ui.navigate.to(f"/busca?q={quote(value.strip())}")


def _shortcut(e: KeyEventArguments, search: ui.input, palette: ui.dialog) -> None:
    if not e.action.keydown:
        return
    if e.key == "/" and not e.modifiers.ctrl:
        search.run_method("focus")
    elif e.key.name.lower() == "k" and e.modifiers.ctrl:
        palette.open()


def _command_palette(actor: Actor) -> ui.dialog:
    """Ctrl+K: type to filter the screens you may open; Enter goes to the first match."""
    items = [i for i in NAVIGATION if i.permission is None or actor.can(i.permission)]
    with ui.dialog() as dialog, ui.card().classes("w-[28rem] p-2"):
        query = ui.input(placeholder="Ir para…").props("dense outlined autofocus data-testid=palette-input")
        results = ui.column().classes("w-full gap-0")

        def render() -> None:
            results.clear()
            text = (query.value or "").strip().lower()
            with results:
                for item in [i for i in items if text in i.label.lower()]:
                    with ui.item(on_click=lambda i=item: _go(dialog, i.path)).props("clickable dense"):
                        with ui.item_section().props("avatar"):
                            ui.icon(item.icon, size="sm")
                        with ui.item_section():
                            ui.item_label(item.label)

        def first() -> None:
            text = (query.value or "").strip().lower()
            match = next((i for i in items if text in i.label.lower()), None)
            if match:
                _go(dialog, match.path)

        query.on_value_change(render)
        query.on("keydown.enter", first)
        render()
    return dialog


def _go(dialog: ui.dialog, path: str) -> None:
    dialog.close()
    ui.navigate.to(path)
