"""Closing an open invoice without payment: void (cancelled, with a reason) or uncollectible (written off)."""

from __future__ import annotations

import uuid
from datetime import date

from domain.access.permissions import Permission
from domain.base import utcnow
from domain.billing_accounts.model import BillingAccount
from domain.calendar import today_in
from domain.invoices.errors import PaymentsExist
from domain.invoices.model import Invoice, InvoiceAction
from domain.invoices.ports import InvoicingUnitOfWork
from domain.statements.ledger import Movement, post
from domain.statements.model import StatementKind


def void_invoice(
    uow: InvoicingUnitOfWork, *, invoice_id: uuid.UUID, reason: str, voided_on: date | None = None
) -> Invoice:
    """Cancel an open invoice that has no payments, with a reason; the statement gets its debit back."""
    with uow:
        uow.actor.require(Permission.INVOICES_VOID)
        uow.describe("invoice.voided", reason=(reason or "").strip() or None)
        invoice = uow.invoices.get(invoice_id, for_update=True)
        invoice.ensure_allows(InvoiceAction.VOID)
        if invoice.amount_paid_cents != 0:
            raise PaymentsExist(invoice.display_number)
        account = uow.get(BillingAccount, invoice.billing_account_id, label="Conta de faturamento", for_update=True)
        on = voided_on or today_in(uow.organizations.current().timezone)
        invoice.void(reason=reason, at=utcnow())
        posted = uow.statements.sum_for_invoice(invoice.id)  # the debit and any withholding adjustment
        if posted:
            post(
                uow,
                account=account,
                movement=Movement(
                    StatementKind.REVERSAL,
                    -posted,
                    f"Cancelamento da fatura {invoice.number}: {invoice.void_reason}",
                    on,
                    invoice_id=invoice.id,
                ),
            )
        uow.invoices.adjust_customer_totals(invoice.customer_id, open_delta=-1)
        uow.commit()
        return invoice


def mark_invoice_uncollectible(
    uow: InvoicingUnitOfWork, *, invoice_id: uuid.UUID, reason: str, written_off_on: date | None = None
) -> Invoice:
    """Write off what is left to collect on an open invoice (a manager's decision or exhausted dunning)."""
    with uow:
        uow.actor.require(Permission.INVOICES_WRITE_OFF)
        uow.describe("invoice.written_off", reason=(reason or "").strip() or None)
        invoice = uow.invoices.get(invoice_id, for_update=True)
        invoice.ensure_allows(InvoiceAction.MARK_UNCOLLECTIBLE)
        account = uow.get(BillingAccount, invoice.billing_account_id, label="Conta de faturamento", for_update=True)
        on = written_off_on or today_in(uow.organizations.current().timezone)
        write_off(uow, invoice, account, reason=reason, on=on)
        uow.commit()
        return invoice


def write_off(uow: InvoicingUnitOfWork, invoice: Invoice, account: BillingAccount, *, reason: str, on: date) -> None:
    """The write-off itself, inside the caller's transaction (also used by dunning for all of an account's overdue
    invoices at once): the invoice becomes uncollectible and the balance gets back what it still weighed."""
    invoice.mark_uncollectible(reason=reason, at=utcnow())
    remaining = -uow.statements.sum_for_invoice(invoice.id)  # what the invoice still weighs on the balance
    if remaining > 0:
        post(
            uow,
            account=account,
            movement=Movement(
                StatementKind.REVERSAL,
                remaining,
                f"Baixa da fatura {invoice.number} como incobrável",
                on,
                invoice_id=invoice.id,
            ),
        )
    uow.invoices.adjust_customer_totals(invoice.customer_id, open_delta=-1)
