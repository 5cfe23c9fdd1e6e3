"""Cliente › Extrato: the customer's newest movements over all its accounts (each account's full statement, with
export, is one click away on the Contas tab). Faturas uses the invoice grid (ui/components/invoice_lists.py)."""

from __future__ import annotations

import uuid

from nicegui import run, ui

from domain.access.permissions import Actor, Permission
from persistence.queries import customer_page as queries
from ui.components.formats import day, money


async def statement_tab(actor: Actor, customer_id: uuid.UUID) -> None:
    if not actor.can(Permission.INVOICES_READ):
        ui.label("Seu papel não dá acesso ao extrato.").classes("text-sm text-slate-500")
        return
    rows = await run.io_bound(queries.statement, actor, customer_id)
    if not rows:
        ui.label("Sem movimentos." if rows is not None else "Extrato ainda não disponível nesta instalação.").classes(
            "text-sm text-slate-500"
        )
        return
    columns = [
        {"name": "day", "label": "Data", "field": "day", "align": "left"},
        {"name": "account", "label": "Conta", "field": "account", "align": "left"},
        {"name": "label", "label": "Descrição", "field": "label", "align": "left"},
        {"name": "amount", "label": "Valor", "field": "amount", "align": "right"},
        {"name": "balance", "label": "Saldo", "field": "balance", "align": "right"},
    ]
    data = [{"id": str(r.id), "day": day(r.day), "account": r.account_name, "label": r.label,
             "amount": money(r.amount_cents, r.currency), "balance": money(r.balance_after_cents, r.currency)}
            for r in rows]  # fmt: skip
    ui.table(columns=columns, rows=data, row_key="id").classes("w-full").props("data-testid=customer-statement")
