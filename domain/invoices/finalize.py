"""Finalization: a draft gets the next number of the organization's gapless series and becomes an open invoice."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from domain.access.permissions import Permission
from domain.base import utcnow
from domain.billing_accounts.model import BillingAccount
from domain.calendar import today_in
from domain.communications.announcements import mark_announced
from domain.communications.events import EventType
from domain.communications.services import emit_invoice_event
from domain.customers.model import Customer
from domain.errors import ValidationFailed
from domain.invoices.composition import compose
from domain.invoices.model import Invoice, InvoiceAction, InvoiceStatus
from domain.invoices.ports import InvoicingUnitOfWork
from domain.invoices.services import composition_context, ensure_billable
from domain.invoices.withholding import WithholdingInputs, apply_withholding, inputs_for
from domain.organizations.model import Organization
from domain.statements.ledger import Movement, enforces_negative_limit, post
from domain.statements.model import StatementKind


def finalize_invoice(uow: InvoicingUnitOfWork, *, invoice_id: uuid.UUID, issued_on: date | None = None) -> Invoice:
    """Give a draft its legal number (gapless, in this transaction), freeze its values and debit the account."""
    with uow:
        uow.actor.require(Permission.INVOICES_FINALIZE)
        uow.describe("invoice.finalized")
        invoice = uow.invoices.get(invoice_id, for_update=True)
        invoice.ensure_allows(InvoiceAction.FINALIZE)
        # Lock order everywhere: invoice, account, then coupon and number series (finalize only).
        account = uow.get(BillingAccount, invoice.billing_account_id, label="Conta de faturamento", for_update=True)
        customer = uow.get(Customer, account.customer_id, label="Cliente")
        ensure_billable(account, customer)
        org = uow.organizations.current()
        issued_on = issued_on or today_in(org.timezone)
        if invoice.due_on < issued_on:
            raise ValidationFailed(
                "O vencimento é anterior à data de emissão: ajuste-o antes de finalizar.", field="due_on"
            )
        coupon = uow.coupons.get(invoice.coupon_id, for_update=True) if invoice.coupon_id else None
        inputs = inputs_for(invoice, org=org, account=account, services=uow.catalog.service_items_by_id())
        earlier = uow.payments.account_total_in_month(account.id, invoice.due_on)
        context = composition_context(uow, org=org, account=account, coupon=coupon, on=issued_on)
        compose(
            invoice,
            context,
            lambda inv: apply_withholding(inv, inputs, on=inv.due_on, earlier_payments_in_month=earlier),
        )
        if coupon is not None:
            coupon.redeem(on=issued_on, currency=invoice.currency)
        number = uow.invoices.next_number()
        invoice.finalize(
            number=number, issued_on=issued_on, at=utcnow(), snapshot=_snapshot(org, customer, account, inputs)
        )
        # The account owes the net value; the credit it used is part of what this invoice consumes.
        debit = invoice.net_value_cents + invoice.credit_applied_cents
        post(
            uow,
            account=account,
            enforce_limit=enforces_negative_limit(customer),
            movement=Movement(
                StatementKind.DEBIT,
                -debit,
                f"Fatura {number} (vencimento {invoice.due_on:%d/%m/%Y})",
                issued_on,
                invoice_id=invoice.id,
            ),
        )
        if invoice.status is InvoiceStatus.OPEN:
            uow.invoices.adjust_customer_totals(customer.id, open_delta=1)
        emit_invoice_event(uow, EventType.INVOICE_CREATED, invoice, today=issued_on)  # type: ignore[arg-type]
        mark_announced(uow, invoice)  # type: ignore[arg-type]
        uow.commit()
        return invoice


def _snapshot(org: Organization, customer: Customer, account: BillingAccount, inputs: WithholdingInputs) -> dict:
    """Who issued the invoice and to whom, as printed: the PDF of a finalized invoice never changes its parties."""
    address: dict[str, Any] = dict(account.billing_address or {})
    if not address and customer.addresses:
        billing = [a for a in customer.addresses if isinstance(a, dict) and a.get("kind") == "billing"]
        address = dict((billing or [a for a in customer.addresses if isinstance(a, dict)] or [{}])[0])
    return {
        "issuer": {
            "legal_name": org.legal_name,
            "trade_name": org.trade_name,
            "cnpj": org.cnpj,
            "municipal_registration": org.municipal_registration,
            "tax_regime": str(org.tax_regime),
        },
        "customer": {
            "name": customer.name,
            "legal_name": customer.legal_name,
            "kind": str(customer.kind),
            "document_type": customer.document_type,
            "document_number": customer.document_number,
            "email": customer.primary_email,
        },
        "account": {
            "name": account.name,
            "email": account.billing_email or account.email,
            "tax_id": account.tax_id,
            "tax_id_type": account.tax_id_type,
            "address": address,
            "payment_method": str(account.payment_method),
        },
        "withholding_inputs": inputs.to_json(),
    }
