"""Clientes: the registry over millions of rows — quick search, filters, server-side sorting and keyset paging."""

from __future__ import annotations

from nicegui import APIRouter, run, ui
from nicegui.events import KeyEventArguments

from domain.access.permissions import Actor, Permission
from domain.customers.model import KIND_LABELS, STATUS_LABELS
from persistence.queries import customers as queries
from persistence.queries.customers import CustomerFilter
from ui.components.customer_create import create_customer_dialog
from ui.components.customer_form import UF_OPTIONS
from ui.components.customer_grid import CustomerGrid
from ui.components.frame import page_actor, page_frame

router = APIRouter()

BALANCE_OPTIONS = {"": "Qualquer saldo", "debtor": "Saldo devedor", "creditor": "Saldo credor"}


@router.page("/clientes")
async def customers_page(q: str = "") -> None:
    actor = await page_actor("Clientes", Permission.CUSTOMERS_READ)
    if actor is None:
        return
    with page_frame("Clientes", actor):
        with ui.row().classes("w-full items-center gap-2"):
            search = ui.input(placeholder="Nome, CPF/CNPJ (com ou sem máscara) ou e-mail", value=q).props(
                "clearable debounce=300 data-testid=customer-search"
            )
            search.classes("w-96").mark("customer-search")
            with search.add_slot("prepend"):
                ui.icon("search")
            status = ui.select({"": "Todas as situações", **{k.value: v for k, v in STATUS_LABELS.items()}}, value="")
            kind = ui.select({"": "Todos os tipos", **{k.value: v for k, v in KIND_LABELS.items()}}, value="")
            uf = ui.select({**UF_OPTIONS, "": "Todas as UFs"}, value="").classes("w-44")
            city = ui.select({"": "Todas as cidades"}, value="").classes("w-44")
            tag = ui.input(placeholder="Etiqueta").props("clearable debounce=400").classes("w-32")
            balance = ui.select(BALANCE_OPTIONS, value="")
            open_invoices = ui.checkbox("Com faturas em aberto")
            ui.space()
            if actor.can(Permission.SETTINGS_ADMIN):
                ui.button(
                    "Campos personalizados", icon="tune", on_click=lambda: ui.navigate.to("/clientes/campos")
                ).props("flat dense")
            if actor.can(Permission.CUSTOMERS_WRITE):
                ui.button("Novo cliente", icon="person_add", on_click=lambda: create_customer_dialog(actor)).props(
                    "color=primary data-testid=new-customer"
                ).tooltip("Atalho: N")
        for element in (status, kind, uf, city, balance):
            element.props("dense outlined options-dense").classes("min-w-36")
        grid = CustomerGrid(actor, on_open=lambda customer_id: ui.navigate.to(f"/clientes/{customer_id}"))

        async def apply() -> None:
            await grid.reload(CustomerFilter(
                search=search.value or "", status=status.value or None, kind=kind.value or None, uf=uf.value or None,
                city=city.value or None, tag=tag.value or None, balance=balance.value or None,
                open_invoices=bool(open_invoices.value),
            ))  # fmt: skip

        async def uf_changed() -> None:
            options = await run.io_bound(queries.cities, actor, uf.value) if uf.value else []
            city.set_options({"": "Todas as cidades", **{c: c for c in options}}, value="")
            await apply()

        for element in (search, status, kind, city, tag, balance, open_invoices):
            element.on_value_change(apply)
        uf.on_value_change(uf_changed)
        search.on("keydown.enter", apply)
        search.on("keydown.down", lambda: (search.run_method("blur"), grid.select(0)))
        ui.keyboard(on_key=lambda e: _keys(e, actor, grid))
        await apply()


async def _keys(e: KeyEventArguments, actor: Actor, grid: CustomerGrid) -> None:
    """Grid shortcuts; NiceGUI's keyboard ignores keys typed into inputs, so typing "n" in a field is just text."""
    if not e.action.keydown or e.modifiers.ctrl or e.modifiers.alt or e.modifiers.meta:
        return
    key = e.key
    if key.arrow_down:
        grid.select(grid.selected + 1)
    elif key.arrow_up:
        grid.select(grid.selected - 1)
    elif key.enter:
        grid.open_selected()
    elif key.page_down:
        await grid.next_page()
    elif key.page_up:
        await grid.previous_page()
    elif key.name.lower() == "n" and actor.can(Permission.CUSTOMERS_WRITE):
        await create_customer_dialog(actor)
