"""Invoices and statement of one account or customer, for other screens (the customer page's tabs).

await invoices_table(actor, customer_id=...)          # or billing_account_id=...
await statement_table(actor, billing_account_id=...)
"""

from __future__ import annotations

import uuid

from nicegui import run, ui

from domain.access.permissions import Actor, Permission
from domain.statements.model import STATEMENT_KIND_LABELS
from persistence.queries import statements as statement_queries
from persistence.queries.invoices import InvoiceFilter
from ui.components.formats import day, money
from ui.components.invoice_grid import InvoiceGrid


async def invoices_table(
    actor: Actor, *, billing_account_id: uuid.UUID | None = None, customer_id: uuid.UUID | None = None
) -> None:
    """The account's (or customer's) invoices, newest due date first, paged on the server, with their totals."""
    if not actor.can(Permission.INVOICES_READ):
        ui.label("Seu papel não dá acesso a faturas.").classes("text-sm text-slate-500")
        return
    with ui.row().classes("w-full items-center gap-2"):
        link = f"/faturas?conta={billing_account_id}" if billing_account_id else "/faturas"
        ui.link("Abrir em Faturas", link).classes("text-sm")
        ui.space()
        if billing_account_id and actor.can(Permission.INVOICES_WRITE):
            from ui.pages.invoices import new_invoice  # NOTE: the page owns the creation flow

            ui.button("Nova fatura", icon="add", on_click=lambda: new_invoice(actor, str(billing_account_id))).props(
                "dense outline"
            )
    grid = InvoiceGrid(actor, on_open=lambda invoice_id: ui.navigate.to(f"/faturas/{invoice_id}"))
    await grid.reload(InvoiceFilter(billing_account_id=billing_account_id, customer_id=customer_id))


async def statement_table(actor: Actor, billing_account_id: uuid.UUID, limit: int = 20) -> None:
    """The latest movements of the account with the running balance, and a link to the full statement."""
    if not actor.can(Permission.INVOICES_READ):
        ui.label("Seu papel não dá acesso ao extrato.").classes("text-sm text-slate-500")
        return
    header, rows = await run.io_bound(statement_queries.recent_items, actor, billing_account_id, limit)
    with ui.row().classes("w-full items-center gap-4"):
        ui.label(f"Saldo: {money(header.balance_cents, header.currency)}").classes("font-semibold").props(
            "data-testid=account-balance"
        ).mark("account-balance")
        ui.link("Extrato completo e exportação", f"/extratos/{billing_account_id}").classes("text-sm")
    columns = [
        {"name": "day", "label": "Data", "field": "day", "align": "left"},
        {"name": "kind", "label": "Tipo", "field": "kind", "align": "left"},
        {"name": "description", "label": "Descrição", "field": "description", "align": "left"},
        {"name": "amount", "label": "Valor", "field": "amount", "align": "right"},
        {"name": "balance", "label": "Saldo", "field": "balance", "align": "right"},
    ]
    data = [
        {
            "id": f"{r.sequence}",
            "day": day(r.occurred_on),
            "kind": STATEMENT_KIND_LABELS[r.kind],
            "description": r.description,
            "amount": money(r.amount_cents, header.currency),
            "balance": money(r.balance_cents, header.currency),
        }
        for r in rows
    ]
    table = (
        ui.table(columns=columns, rows=data, row_key="id")
        .classes("w-full")
        .props("data-testid=statement-recent")
        .mark("statement-recent")
    )
    table.add_slot("no-data", '<div class="text-grey-7 q-pa-sm">Sem movimentos.</div>')
