"""Use cases of payments: record money received (full or partial) and refunds (a new negative payment)."""

from __future__ import annotations

import uuid
from datetime import date

from domain.access.permissions import Permission
from domain.base import new_id, utcnow
from domain.billing_accounts.model import BillingAccount
from domain.calendar import today_in
from domain.communications.events import EventType
from domain.communications.services import emit_invoice_event
from domain.communications.variables import brl
from domain.customers.model import Customer
from domain.dunning.services import reactivate_if_settled
from domain.errors import ValidationFailed
from domain.invoices.errors import InvalidAmount, ReasonRequired, RefundTooLarge
from domain.invoices.model import Invoice, InvoiceAction
from domain.invoices.ports import InvoicingUnitOfWork
from domain.invoices.withholding import WithholdingInputs, apply_withholding
from domain.money import Money
from domain.payments.model import PAYMENT_METHOD_LABELS, Payment, PaymentKind, PaymentMethodKind
from domain.statements.ledger import Movement, enforces_negative_limit, post
from domain.statements.model import StatementKind
from domain.taxes.withholding import compute_withholding


def record_payment(
    uow: InvoicingUnitOfWork,
    *,
    invoice_id: uuid.UUID,
    amount_cents: int,
    paid_on: date,
    method: PaymentMethodKind = PaymentMethodKind.PIX,
    reference: str | None = None,
    note: str | None = None,
) -> Payment:
    """Money received for an open invoice; it becomes paid once payments reach its net value (any excess is credit)."""
    with uow:
        uow.actor.require(Permission.PAYMENTS_RECORD)
        uow.describe("payment.recorded")
        if type(amount_cents) is not int or amount_cents <= 0:
            raise InvalidAmount("O valor do pagamento deve ser maior que zero.")
        invoice = uow.invoices.get(invoice_id, for_update=True)
        invoice.ensure_allows(InvoiceAction.RECORD_PAYMENT)
        account = uow.get(BillingAccount, invoice.billing_account_id, label="Conta de faturamento", for_update=True)
        _check_date(uow, paid_on)
        if not uow.payments.for_invoice(invoice.id):  # the first payment decides the rule version
            _rejudge_withholding(uow, invoice, account, paid_on)
        method = PaymentMethodKind(method)
        payment = Payment(
            id=new_id(),
            organization_id=invoice.organization_id,
            invoice_id=invoice.id,
            billing_account_id=account.id,
            customer_id=invoice.customer_id,
            kind=PaymentKind.PAYMENT,
            amount_cents=amount_cents,
            currency=invoice.currency,
            method=method,
            paid_on=paid_on,
            reference=(reference or "").strip() or None,
            note=(note or "").strip() or None,
        )
        uow.add(payment)
        post(
            uow,
            account=account,
            movement=Movement(
                StatementKind.CREDIT,
                amount_cents,
                f"Pagamento {PAYMENT_METHOD_LABELS[method]} — fatura {invoice.number}",
                paid_on,
                invoice_id=invoice.id,
                payment_id=payment.id,
            ),
        )
        settled = invoice.register_payment(amount_cents, at=utcnow())
        if settled:
            uow.invoices.adjust_customer_totals(invoice.customer_id, open_delta=-1)
        emit_invoice_event(
            uow,  # type: ignore[arg-type]
            EventType.PAYMENT_RECEIVED,
            invoice,
            extra_variables={"valor": brl(amount_cents, invoice.currency)},
            extra_data={"payment": {"id": str(payment.id), "amount_cents": amount_cents, "paid_on": paid_on.isoformat(),
                                    "method": method.value, "settled_invoice": settled}},
        )  # fmt: skip
        if settled:  # the organization may have chosen that paying the overdue invoices reactivates the account
            reactivate_if_settled(uow, account, today=today_in(uow.organizations.current().timezone))  # type: ignore[arg-type]
        uow.commit()
        return payment


def refund_payment(
    uow: InvoicingUnitOfWork,
    *,
    invoice_id: uuid.UUID,
    amount_cents: int,
    refunded_on: date,
    reason: str,
    method: PaymentMethodKind = PaymentMethodKind.PIX,
    refund_of_id: uuid.UUID | None = None,
) -> Payment:
    """Give money back on an invoice: a new negative payment, never more than was paid; a paid invoice stays paid."""
    with uow:
        uow.actor.require(Permission.PAYMENTS_RECORD)
        uow.describe("payment.refunded", reason=(reason or "").strip() or None)
        if type(amount_cents) is not int or amount_cents <= 0:
            raise InvalidAmount("O valor do estorno deve ser maior que zero.")
        if len((reason or "").strip()) < 3:
            raise ReasonRequired()
        invoice = uow.invoices.get(invoice_id, for_update=True)
        invoice.ensure_allows(InvoiceAction.REFUND)
        if amount_cents > invoice.amount_paid_cents:
            raise RefundTooLarge()
        account = uow.get(BillingAccount, invoice.billing_account_id, label="Conta de faturamento", for_update=True)
        customer = uow.get(Customer, account.customer_id, label="Cliente")
        _check_date(uow, refunded_on)
        method = PaymentMethodKind(method)
        payment = Payment(
            id=new_id(),
            organization_id=invoice.organization_id,
            invoice_id=invoice.id,
            billing_account_id=account.id,
            customer_id=invoice.customer_id,
            kind=PaymentKind.REFUND,
            amount_cents=-amount_cents,
            currency=invoice.currency,
            method=method,
            paid_on=refunded_on,
            note=reason.strip(),
            refund_of_id=refund_of_id,
        )
        uow.add(payment)
        post(
            uow,
            account=account,
            enforce_limit=enforces_negative_limit(customer),
            movement=Movement(
                StatementKind.REVERSAL,
                -amount_cents,
                f"Estorno de pagamento — fatura {invoice.number}",
                refunded_on,
                invoice_id=invoice.id,
                payment_id=payment.id,
            ),
        )
        invoice.register_payment(-amount_cents, at=utcnow())
        uow.commit()
        return payment


def _check_date(uow: InvoicingUnitOfWork, on: date) -> None:
    if on > today_in(uow.organizations.current().timezone):
        raise ValidationFailed("A data do pagamento não pode ser futura.", field="paid_on")


def _rejudge_withholding(uow: InvoicingUnitOfWork, invoice: Invoice, account: BillingAccount, paid_on: date) -> None:
    """The first payment's date decides which rule version applies (see domain/invoices/withholding.py). When it
    differs from the version used at the due date, the withholdings are recomputed and the net difference posted."""
    frozen = (invoice.snapshot or {}).get("withholding_inputs")
    if not frozen or invoice.currency != "BRL" or invoice.withholding_base_cents <= 0:
        return
    inputs = WithholdingInputs.from_json(frozen)
    earlier = uow.payments.account_total_in_month(account.id, paid_on)
    probe = compute_withholding(
        issuer=inputs.issuer,
        payer=inputs.payer,
        service=inputs.service,
        gross=Money(invoice.withholding_base_cents, "BRL"),
        paid_on=paid_on,
        earlier_payments_in_month=earlier,
    )
    if probe.rule_version == invoice.withholding_rule_version:
        return
    net_before = invoice.net_value_cents
    apply_withholding(invoice, inputs, on=paid_on, earlier_payments_in_month=earlier)
    difference = invoice.net_value_cents - net_before  # more net: the customer owes more in cash
    invoice.revision += 1
    if difference:
        post(
            uow,
            account=account,
            movement=Movement(
                StatementKind.DEBIT if difference > 0 else StatementKind.CREDIT,
                -difference,
                f"Ajuste de retenções da fatura {invoice.number} (regras vigentes em {paid_on:%d/%m/%Y})",
                paid_on,
                invoice_id=invoice.id,
            ),
        )
