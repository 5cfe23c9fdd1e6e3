"""Read-only parts of the invoice screen: the header with the state badge, finalized lines, payments and the
invoice's effect on the account's statement."""

from __future__ import annotations

from nicegui import ui

from domain.invoices.model import LINE_TYPE_LABELS, STATUSES, LineSource
from domain.payments.model import PAYMENT_METHOD_LABELS, PaymentKind
from domain.statements.model import STATEMENT_KIND_LABELS
from persistence.queries.invoices import InvoiceDetail
from ui.components.amounts import quantity_input
from ui.components.formats import day, moment, money


def header(detail: InvoiceDetail) -> None:
    invoice, customer, account = detail.invoice, detail.customer, detail.account
    spec = STATUSES[invoice.status]
    with ui.row().classes("w-full items-center gap-3"):
        ui.label(invoice.number or "Rascunho").classes("text-2xl font-bold").props("data-testid=invoice-number").mark(
            "invoice-number"
        )
        ui.badge(spec.label, color=spec.color).classes("text-sm px-2 py-1").props("data-testid=invoice-status").mark(
            "invoice-status"
        )
        with ui.column().classes("gap-0 ml-4"):
            ui.link(customer.name, f"/clientes/{customer.id}").classes("font-medium text-slate-800")
            with ui.row().classes("gap-2 text-sm text-slate-600"):
                ui.label(account.name)
                ui.link("extrato", f"/extratos/{account.id}").props("data-testid=account-statement-link").mark(
                    "account-statement-link"
                )
        ui.space()
        facts = [("Emissão", day(invoice.issued_on)), ("Vencimento", day(invoice.due_on))]
        if invoice.paid_at:
            facts.append(("Paga em", moment(invoice.paid_at)))
        if invoice.voided_at:
            facts.append(("Cancelada em", moment(invoice.voided_at)))
        if invoice.uncollectible_at:
            facts.append(("Baixada em", moment(invoice.uncollectible_at)))
        for label, value in facts:
            with ui.column().classes("gap-0 items-end"):
                ui.label(label).classes("text-xs text-slate-500")
                ui.label(value).classes("font-medium")
    reason = invoice.void_reason or invoice.uncollectible_reason
    if reason:
        ui.label(f"Motivo: {reason}").classes("text-sm text-red-800 bg-red-50 px-2 py-1 rounded").props(
            "data-testid=invoice-reason"
        ).mark("invoice-reason")


def lines_table(detail: InvoiceDetail) -> None:
    cur = detail.invoice.currency
    columns = [
        {"name": "type", "label": "Tipo", "field": "type", "align": "left"},
        {"name": "description", "label": "Descrição", "field": "description", "align": "left"},
        {"name": "service", "label": "Serviço", "field": "service", "align": "left"},
        {"name": "quantity", "label": "Qtd.", "field": "quantity", "align": "right"},
        {"name": "unit", "label": "Valor unitário", "field": "unit", "align": "right"},
        {"name": "amount", "label": "Valor", "field": "amount", "align": "right"},
    ]
    rows = []
    for line in detail.invoice.lines:
        manual = line.source is LineSource.MANUAL
        rows.append(
            {
                "id": str(line.id),
                "type": LINE_TYPE_LABELS[line.type],
                "description": line.description,
                "service": line.service_code or "",
                "quantity": quantity_input(line.quantity) if manual else "",
                "unit": money(line.unit_amount_cents, cur) if manual else "",
                "amount": money(line.amount_cents, cur),
            }
        )
    ui.table(columns=columns, rows=rows, row_key="id").classes("w-full").props("data-testid=invoice-lines-table").mark(
        "invoice-lines-table"
    )


def payments_table(detail: InvoiceDetail) -> None:
    ui.label("Pagamentos").classes("text-base font-semibold mt-2")
    if not detail.payments:
        ui.label("Nenhum pagamento registrado.").classes("text-sm text-slate-500")
        return
    cur = detail.invoice.currency
    columns = [
        {"name": "day", "label": "Data", "field": "day", "align": "left"},
        {"name": "kind", "label": "Tipo", "field": "kind", "align": "left"},
        {"name": "method", "label": "Forma", "field": "method", "align": "left"},
        {"name": "reference", "label": "Referência / motivo", "field": "reference", "align": "left"},
        {"name": "amount", "label": "Valor", "field": "amount", "align": "right"},
    ]
    rows = [
        {
            "id": str(p.id),
            "day": day(p.paid_on),
            "kind": "Estorno" if p.kind is PaymentKind.REFUND else "Pagamento",
            "method": PAYMENT_METHOD_LABELS[p.method],
            "reference": p.reference or p.note or "",
            "amount": money(p.amount_cents, cur),
        }
        for p in detail.payments
    ]
    ui.table(columns=columns, rows=rows, row_key="id").classes("w-full").props("data-testid=invoice-payments").mark(
        "invoice-payments"
    )
    with ui.row().classes("gap-6 text-sm"):
        ui.label(f"Pago: {money(detail.invoice.amount_paid_cents, cur)}").props("data-testid=invoice-paid").mark(
            "invoice-paid"
        )
        ui.label(f"Em aberto: {money(detail.invoice.outstanding_cents, cur)}").props(
            "data-testid=invoice-outstanding"
        ).mark("invoice-outstanding")


def statement_effect(detail: InvoiceDetail) -> None:
    ui.label("Efeito no extrato da conta").classes("text-base font-semibold mt-2")
    if not detail.statement:
        ui.label("Rascunhos não movimentam o extrato.").classes("text-sm text-slate-500")
        return
    cur = detail.invoice.currency
    columns = [
        {"name": "day", "label": "Data", "field": "day", "align": "left"},
        {"name": "kind", "label": "Tipo", "field": "kind", "align": "left"},
        {"name": "description", "label": "Descrição", "field": "description", "align": "left"},
        {"name": "amount", "label": "Valor", "field": "amount", "align": "right"},
        {"name": "balance", "label": "Saldo após", "field": "balance", "align": "right"},
    ]
    rows = [
        {
            "id": str(i.id),
            "day": day(i.occurred_on),
            "kind": STATEMENT_KIND_LABELS[i.kind],
            "description": i.description,
            "amount": money(i.amount_cents, cur),
            "balance": money(i.balance_after_cents, cur),
        }
        for i in detail.statement
    ]
    ui.table(columns=columns, rows=rows, row_key="id").classes("w-full").props("data-testid=invoice-statement").mark(
        "invoice-statement"
    )


def withholding_notes(notes: list[str]) -> None:
    if not notes:
        return
    with ui.expansion("Por que cada retenção", icon="info").classes("w-80 text-sm").props("dense"):
        for note in notes:
            ui.label(note).classes("text-xs text-slate-600")
