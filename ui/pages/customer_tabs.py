"""Cliente › Faturas and Extrato: simple read-only lists from the invoices and statements areas.

NOTE: each tab is one small function so the invoices area can replace it with its own richer view; both show an
empty state while those tables do not exist yet.
"""

from __future__ import annotations

import uuid

from nicegui import run, ui

from domain.access.permissions import Actor, Permission
from persistence.queries import customer_page as queries
from ui.components.formats import day, money

INVOICE_STATUS = {"draft": "Rascunho", "open": "Em aberto", "paid": "Paga", "void": "Cancelada",
                  "uncollectible": "Incobrável"}  # fmt: skip


async def invoices_tab(actor: Actor, customer_id: uuid.UUID) -> None:
    if not actor.can(Permission.INVOICES_READ):
        ui.label("Seu papel não dá acesso a faturas.").classes("text-sm text-slate-500")
        return
    rows = await run.io_bound(queries.invoices, actor, customer_id)
    if not rows:
        ui.label("Nenhuma fatura." if rows is not None else "Faturas ainda não disponíveis nesta instalação.").classes(
            "text-sm text-slate-500"
        )
        return
    columns = [
        {"name": "label", "label": "Número", "field": "label", "align": "left"},
        {"name": "account", "label": "Conta", "field": "account", "align": "left"},
        {"name": "day", "label": "Vencimento", "field": "day", "align": "left"},
        {"name": "status", "label": "Situação", "field": "status", "align": "left"},
        {"name": "amount", "label": "Total", "field": "amount", "align": "right"},
    ]
    data = [{"id": str(r.id), "label": r.label, "account": r.account_name, "day": day(r.day),
             "status": INVOICE_STATUS.get(r.status, r.status), "amount": money(r.amount_cents, r.currency)}
            for r in rows]  # fmt: skip
    ui.table(columns=columns, rows=data, row_key="id").classes("w-full").props("data-testid=customer-invoices")


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
