"""Fatura: one invoice. A draft is edited inline with live totals, withholdings and net value; any invoice shows its
state badge and exactly the actions its state allows (and the operator's role), its payments, its statement effect
and its PDF."""

from __future__ import annotations

from nicegui import APIRouter, run, ui

from domain.access.permissions import Permission
from domain.errors import NotFound
from domain.invoices.model import ACTIONS, InvoiceAction, InvoiceStatus
from persistence.queries import invoices as queries
from ui.components import invoice_view
from ui.components.frame import page_actor, page_frame
from ui.components.invoice_screen import InvoiceScreen
from ui.components.invoice_totals import TotalsPanel

router = APIRouter()
A = InvoiceAction


@router.page("/faturas/{invoice_id}")
async def invoice_page(invoice_id: str) -> None:
    actor = await page_actor("Faturas", Permission.INVOICES_READ)
    if actor is None:
        return
    try:
        detail = await run.io_bound(queries.invoice_detail, actor, invoice_id)
    except NotFound:
        with page_frame("Faturas", actor):
            ui.label("Fatura não encontrada.").classes("text-slate-600")
        return
    invoice = detail.invoice
    editing = invoice.status is InvoiceStatus.DRAFT and A.EDIT in detail.actions
    title = f"Fatura {invoice.number}" if invoice.number else "Rascunho de fatura"
    with page_frame(title, actor):
        invoice_view.header(detail)
        screen = InvoiceScreen(actor, detail)
        with ui.row().classes("w-full gap-2"):
            for action in detail.actions:
                if action is A.EDIT:
                    continue  # a draft is edited in place: "Salvar rascunho" beside the fields
                spec = ACTIONS[action]
                ui.button(spec.label, icon=spec.icon, on_click=lambda _, a=action: screen.run(a)).props(
                    f"data-testid=action-{action.value} " + ("color=primary" if action is A.FINALIZE else "outline")
                )
            if A.DOWNLOAD_PDF in detail.actions:
                ui.button("Visualizar PDF", icon="preview", on_click=screen.preview_pdf).props(
                    "flat data-testid=preview-pdf"
                ).mark("preview-pdf")
        if editing:  # the lines take the whole width: a line has seven cells
            screen.draft_form()
        with ui.row().classes("w-full items-start gap-4 no-wrap"):
            with ui.column().classes("grow gap-2 min-w-0"):
                if not editing:
                    invoice_view.lines_table(detail)
                if invoice.memo and not editing:
                    ui.label(f"Observações: {invoice.memo}").classes("text-sm text-slate-700")
                invoice_view.payments_table(detail)
                invoice_view.statement_effect(detail)
            with ui.column().classes("gap-2"):
                screen.totals = TotalsPanel(invoice.currency)
                screen.totals.show(invoice, None if invoice.withholding_rule_version else _problem(invoice))
                invoice_view.withholding_notes(list(invoice.withholding_notes or []))
        if editing:
            context = await run.io_bound(queries.draft_context, actor, invoice.id)
            screen.tax_rules, screen.earlier_payments_cents = context.tax_rules, context.earlier_payments_cents
            screen.recompute()


def _problem(invoice) -> str | None:  # type: ignore[no-untyped-def]
    notes = invoice.withholding_notes or []
    return notes[0] if notes and str(notes[0]).startswith("Retenções não calculadas") else None
