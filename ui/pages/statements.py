"""Extrato: one billing account's movements by date with opening, running and closing balances, a period filter,
and the exports to CSV and Excel (streamed by /extratos/{id}/exportar.csv|xlsx)."""

from __future__ import annotations

import uuid
from datetime import date
from urllib.parse import urlencode

from nicegui import APIRouter, run, ui

from domain.access.permissions import Permission
from domain.errors import NotFound
from domain.statements.model import STATEMENT_KIND_LABELS
from persistence.queries import statements as queries
from persistence.queries.statements import StatementRow
from ui.components.amounts import day_input, parse_day
from ui.components.formats import day, money, number
from ui.components.frame import page_actor, page_frame

router = APIRouter()
COLUMNS = [
    {"name": "day", "label": "Data", "field": "day", "align": "left"},
    {"name": "kind", "label": "Tipo", "field": "kind", "align": "left"},
    {"name": "description", "label": "Descrição", "field": "description", "align": "left"},
    {"name": "amount", "label": "Valor", "field": "amount", "align": "right"},
    {"name": "balance", "label": "Saldo", "field": "balance", "align": "right"},
]
CELL_SLOT = r"""
<q-td :props="props" :class="props.value.startsWith('-') ? 'text-negative' : ''">{{ props.value }}</q-td>
"""


@router.page("/extratos/{account_id}")
async def statement_page(account_id: str, de: str = "", ate: str = "") -> None:
    actor = await page_actor("Extrato", Permission.INVOICES_READ)
    if actor is None:
        return
    try:
        account = uuid.UUID(account_id)
        header = await run.io_bound(queries.statement_header, actor, account, None, None)
    except (ValueError, NotFound):
        with page_frame("Extrato", actor):
            ui.label("Conta de faturamento não encontrada.").classes("text-slate-600")
        return
    currency = header.currency
    with page_frame("Extrato", actor):
        with ui.row().classes("w-full items-center gap-4"):
            ui.link(header.customer_name, f"/clientes/{header.customer_id}").classes("text-lg font-semibold")
            ui.label(header.account_name).classes("text-slate-600")
            ui.space()
            ui.label(f"Saldo atual: {money(header.balance_cents, currency)}").classes("text-lg font-semibold").props(
                "data-testid=statement-balance"
            ).mark("statement-balance")
        with ui.row().classes("w-full items-end gap-2"):
            date_from = (
                ui.input("De", value=de)
                .props("mask=##/##/#### data-testid=statement-from")
                .mark("statement-from")
                .classes("w-32")
            )
            date_to = (
                ui.input("Até", value=ate)
                .props("mask=##/##/#### data-testid=statement-to")
                .mark("statement-to")
                .classes("w-32")
            )
            ui.button("Aplicar", icon="filter_alt", on_click=lambda: load(reset=True)).props(
                "data-testid=statement-apply"
            ).mark("statement-apply")
            ui.space()
            if actor.can(Permission.EXPORTS_RUN):
                ui.button("Exportar CSV", icon="download", on_click=lambda: export("csv")).props(
                    "outline data-testid=export-csv"
                ).mark("export-csv")
                ui.button("Exportar Excel", icon="grid_on", on_click=lambda: export("xlsx")).props(
                    "outline data-testid=export-xlsx"
                ).mark("export-xlsx")
        summary = (
            ui.label("")
            .classes("text-sm text-slate-700")
            .props("data-testid=statement-summary")
            .mark("statement-summary")
        )
        table = (
            ui.table(columns=COLUMNS, rows=[], row_key="id")
            .classes("w-full")
            .props("data-testid=statement-table")
            .mark("statement-table")
        )
        table.add_slot("body-cell-amount", CELL_SLOT)
        table.add_slot("body-cell-balance", CELL_SLOT)
        table.add_slot("no-data", '<div class="text-grey-7 q-pa-sm">Sem movimentos no período.</div>')
        more = (
            ui.button("Carregar mais", on_click=lambda: load(reset=False))
            .props("flat data-testid=statement-more")
            .mark("statement-more")
        )
        state: dict[str, str | None] = {"cursor": None}

        def period() -> tuple[date | None, date | None] | None:
            try:
                return parse_day(date_from.value), parse_day(date_to.value)
            except ValueError:
                ui.notify("Data inválida: use dd/mm/aaaa.", type="negative")
                return None

        async def load(*, reset: bool) -> None:
            chosen = period()
            if chosen is None:
                return
            if reset:
                state["cursor"] = None
                head = await run.io_bound(queries.statement_header, actor, account, *chosen)
                summary.text = (
                    f"Saldo anterior {money(head.opening_cents, currency)} · {number(head.items_in_period)} movimentos"
                    f" · Saldo final {money(head.closing_cents, currency)}"
                )
            page = await run.io_bound(queries.statement_page, actor, account, *chosen, cursor=state["cursor"])
            rows = [_as_row(r, currency) for r in page.rows]
            table.rows = rows if reset else [*table.rows, *rows]
            table.update()
            state["cursor"] = page.next_cursor
            more.set_visibility(page.next_cursor is not None)

        def export(fmt: str) -> None:
            chosen = period()
            if chosen is not None:
                query = urlencode({"de": day_input(chosen[0]), "ate": day_input(chosen[1])})
                ui.download.from_url(f"/extratos/{account}/exportar.{fmt}?{query}")

        for field in (date_from, date_to):
            field.on("keydown.enter", lambda: load(reset=True))
        await load(reset=True)


def _as_row(row: StatementRow, currency: str) -> dict[str, str]:
    return {
        "id": f"{row.sequence}",
        "day": day(row.occurred_on),
        "kind": STATEMENT_KIND_LABELS[row.kind],
        "description": row.description,
        "amount": money(row.amount_cents, currency),
        "balance": money(row.balance_cents, currency),
    }
