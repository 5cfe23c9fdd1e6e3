"""Relatórios: receivables aging per account (the 50 most overdue on screen, every account in the export) and the
MRR movements of a period, both to CSV or Excel; shortcuts to the other exports (statements, segments)."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from nicegui import APIRouter, run, ui

from domain.access.permissions import Actor, Permission
from persistence.queries import reports as queries
from persistence.queries.common import organization_today
from persistence.queries.receivables import AGE_BUCKETS
from reports import financial_exports
from ui.components.amounts import parse_day
from ui.components.formats import day, money, number
from ui.components.frame import page_actor, page_frame

router = APIRouter()
SHOWN = 50
COLUMNS = [
    {"name": "customer", "label": "Cliente", "field": "customer", "align": "left"},
    {"name": "account", "label": "Conta", "field": "account", "align": "left"},
    *[{"name": f"b{n}", "label": label, "field": f"b{n}", "align": "right"} for n, (label, _f, _l) in
      enumerate(AGE_BUCKETS)],
    {"name": "total", "label": "Total", "field": "total", "align": "right"},
]  # fmt: skip


@router.page("/relatorios")
async def reports_page() -> None:
    actor = await page_actor("Relatórios", Permission.EXPORTS_RUN)
    if actor is None:
        return
    with page_frame("Relatórios", actor):
        today = await run.io_bound(organization_today, actor)
        if actor.can(Permission.INVOICES_READ):
            await _aging(actor, today)
        if actor.can(Permission.DASHBOARD_READ):
            _movements(actor, today)
        with ui.card().classes("w-full gap-1").props("flat bordered"):
            ui.label("Outras exportações").classes("text-base font-semibold")
            ui.markdown(
                "- **Extrato de uma conta** (CSV/Excel, com saldo a cada movimento): abra a conta em "
                "[Contas](/contas) › Extrato completo e exportação.\n"
                "- **Clientes de um segmento** (CSV/Excel): [Segmentos](/segmentos) › Ações em lote › Exportar.\n"
                "- **PDFs de faturas** (ZIP): [Faturas](/faturas) › filtre e baixe os PDFs.\n"
                "- **Dados de um titular** (LGPD, ZIP): a aba LGPD do cliente."
            ).classes("text-sm")


async def _aging(actor: Actor, today: date) -> None:
    rows = await run.io_bound(lambda: list(queries.aging_by_account(actor, today, limit=SHOWN)))
    with ui.card().classes("w-full gap-1").props("flat bordered"):
        with ui.row().classes("w-full items-center gap-2"):
            ui.label(f"Contas a receber por idade em {day(today)}").classes("text-base font-semibold")
            ui.label(f"as {SHOWN} contas com mais valor vencido; a exportação traz todas").classes(
                "text-xs text-slate-500"
            )
            ui.space()
            for fmt, label in (("csv", "CSV"), ("xlsx", "Excel")):
                ui.button(label, icon="download", on_click=lambda f=fmt: _download_aging(actor, today, f)).props(
                    f"dense outline data-testid=aging-{fmt}"
                )
        data = [{"id": str(r.account_id), "customer": r.customer_name, "account": r.account_name,
                 **{f"b{n}": money(v, r.currency) for n, v in enumerate(r.buckets)},
                 "total": money(r.total_cents, r.currency)} for r in rows]  # fmt: skip
        table = ui.table(columns=COLUMNS, rows=data, row_key="id").classes("w-full").mark("aging-table")
        table.add_slot("no-data", '<div class="text-grey-7 q-pa-sm">Nenhuma conta com valores em aberto.</div>')


def _movements(actor: Actor, today: date) -> None:
    with ui.card().classes("w-full gap-1").props("flat bordered"):
        ui.label("Movimentos de MRR").classes("text-base font-semibold")
        ui.label("Cada mudança de MRR de uma conta: novo, expansão, redução, cancelamento.").classes(
            "text-xs text-slate-500"
        )
        with ui.row().classes("items-center gap-2"):
            start = ui.input("De", value=day(today.replace(day=1))).classes("w-32").mark("movements-from")
            end = ui.input("Até", value=day(today)).classes("w-32").mark("movements-to")
            for fmt, label in (("csv", "CSV"), ("xlsx", "Excel")):
                ui.button(label, icon="download",
                          on_click=lambda f=fmt: _download_movements(actor, start.value, end.value, f)).props(
                    f"dense outline data-testid=movements-{fmt}")  # fmt: skip


async def _download_aging(actor: Actor, today: date, fmt: str) -> None:
    out = Path(tempfile.mkdtemp()) / f"contas-a-receber-{today:%Y-%m-%d}.{fmt}"
    written = await run.io_bound(financial_exports.aging_file, actor, today, fmt, out)
    ui.download.file(out, out.name)
    ui.notify(f"{number(written)} contas exportadas.", type="positive")


async def _download_movements(actor: Actor, start: str, end: str, fmt: str) -> None:
    try:
        date_from, date_to = parse_day(start), parse_day(end)
    except ValueError:
        date_from = date_to = None
    if date_from is None or date_to is None:
        ui.notify("Datas inválidas: use dd/mm/aaaa.", type="negative")
        return
    if date_to < date_from or date_to - date_from > timedelta(days=3660):
        ui.notify("O período vai de uma data a outra igual ou posterior (até 10 anos).", type="negative")
        return
    out = Path(tempfile.mkdtemp()) / f"movimentos-mrr-{date_from:%Y-%m-%d}-a-{date_to:%Y-%m-%d}.{fmt}"
    written = await run.io_bound(financial_exports.movements_file, actor, date_from, date_to, fmt, out)
    ui.download.file(out, out.name)
    ui.notify(f"{number(written)} movimentos exportados.", type="positive")
