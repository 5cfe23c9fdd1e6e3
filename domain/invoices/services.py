"""Use cases of draft invoices: create (one-off or generated), edit, delete. Finalization is in finalize.py; void and
write-off in closing.py; payments in domain/payments/services.py."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from domain.access.permissions import Permission
from domain.base import new_id
from domain.billing_accounts.model import BillingAccount
from domain.calendar import today_in
from domain.catalog import services as catalog
from domain.catalog.model import ServiceItem
from domain.coupons.errors import CouponNotFound
from domain.coupons.model import Coupon
from domain.customers.model import Customer, CustomerStatus
from domain.errors import NotFound, ValidationFailed
from domain.invoices.composition import CompositionContext, compose
from domain.invoices.errors import AccountNotBillable, CustomerNotBillable, DraftChangedMeanwhile
from domain.invoices.model import (
    Invoice,
    InvoiceAction,
    InvoiceLine,
    InvoiceReason,
    InvoiceStatus,
    LineSource,
    LineType,
)
from domain.invoices.ports import InvoicingUnitOfWork
from domain.invoices.withholding import preview_withholding
from domain.organizations.model import Organization

MAX_LINES = 500


@dataclass(frozen=True)
class LineInput:
    """One charge line as the operator (or a subscription) gives it."""

    description: str
    quantity: Decimal
    unit_amount_cents: int
    type: LineType = LineType.ONE_OFF
    service_item_id: uuid.UUID | None = None
    period_start: date | None = None
    period_end: date | None = None
    details: dict[str, Any] = field(default_factory=dict)


def create_invoice(
    uow: InvoicingUnitOfWork,
    *,
    billing_account_id: uuid.UUID,
    lines: Sequence[LineInput] = (),
    due_on: date | None = None,
    memo: str | None = None,
    manual_discount_cents: int = 0,
    coupon_code: str | None = None,
    reason: InvoiceReason = InvoiceReason.MANUAL,
    subscription_id: uuid.UUID | None = None,
    period_start: date | None = None,
    period_end: date | None = None,
) -> Invoice:
    """A new draft for an active account of an active customer; a subscription's period is invoiced only once."""
    with uow:
        uow.actor.require(Permission.INVOICES_WRITE)
        uow.describe("invoice.created")
        if subscription_id is not None and period_start is not None:
            existing = uow.invoices.find_for_period(subscription_id, period_start)
            if existing is not None:
                uow.commit()  # nothing changed; committing keeps the returned row loaded (a rollback expires it)
                return existing
        account, customer = _billable_account(uow, billing_account_id)
        org = uow.organizations.current()
        today = today_in(org.timezone)
        catalog.install_standard_services(uow)
        invoice = Invoice(
            organization_id=org.id,
            customer_id=customer.id,
            billing_account_id=account.id,
            status=InvoiceStatus.DRAFT,
            reason=InvoiceReason(reason),
            subscription_id=subscription_id,
            period_start=period_start,
            period_end=period_end,
            currency=account.currency,
            due_on=due_on or today + timedelta(days=account.payment_terms_days),
            memo=_clean(memo),
            manual_discount_cents=manual_discount_cents,
            lines=[],
            withholding_notes=[],
            snapshot={},
            revision=0,
        )
        invoice.id = new_id()
        _replace_charges(uow, invoice, lines)
        price_draft(uow, invoice, org=org, account=account, coupon=_coupon(uow, coupon_code), today=today)
        uow.add(invoice)
        uow.commit()
        return invoice


def update_invoice_draft(
    uow: InvoicingUnitOfWork,
    *,
    invoice_id: uuid.UUID,
    lines: Sequence[LineInput],
    due_on: date,
    memo: str | None = None,
    manual_discount_cents: int = 0,
    coupon_code: str | None = None,
    expected_revision: int | None = None,
) -> Invoice:
    """A draft's lines, due date, discount and coupon change freely; the values are recomposed. With
    `expected_revision` (the revision the editor opened), a draft saved meanwhile by someone else is refused."""
    with uow:
        uow.actor.require(Permission.INVOICES_WRITE)
        uow.describe("invoice.draft_updated")
        invoice = uow.invoices.get(invoice_id, for_update=True)
        invoice.ensure_allows(InvoiceAction.EDIT)
        if expected_revision is not None and invoice.revision != expected_revision:
            raise DraftChangedMeanwhile(invoice.display_number)
        account, _customer = _billable_account(uow, invoice.billing_account_id)
        org = uow.organizations.current()
        before = _lines_summary(invoice)
        invoice.due_on, invoice.memo, invoice.manual_discount_cents = due_on, _clean(memo), manual_discount_cents
        _replace_charges(uow, invoice, lines)
        price_draft(
            uow, invoice, org=org, account=account, coupon=_coupon(uow, coupon_code), today=today_in(org.timezone)
        )
        invoice.revision += 1
        _record_lines_change(uow, invoice, before)
        uow.commit()
        return invoice


def add_invoice_lines(uow: InvoicingUnitOfWork, *, invoice_id: uuid.UUID, lines: Sequence[LineInput]) -> Invoice:
    """Append charge lines to a draft, keeping its lines, due date, discount and coupon; the values are recomposed.
    The draft is locked before its lines are read, so two callers adding at once both keep their lines (reading the
    lines outside the transaction and rewriting them all would lose one)."""
    with uow:
        uow.actor.require(Permission.INVOICES_WRITE)
        uow.describe("invoice.lines_added")
        if not lines:
            raise ValidationFailed("Informe ao menos um item.", field="lines")
        invoice = uow.invoices.get(invoice_id, for_update=True)
        invoice.ensure_allows(InvoiceAction.EDIT)
        account, _customer = _billable_account(uow, invoice.billing_account_id)
        org = uow.organizations.current()
        before = _lines_summary(invoice)
        kept = [line for line in invoice.lines if line.source is LineSource.MANUAL]
        if len(kept) + len(lines) > MAX_LINES:
            raise ValidationFailed(f"Uma fatura tem no máximo {MAX_LINES} itens.", field="lines")
        invoice.lines = [*kept, *_charge_lines(uow, invoice, lines)]  # the composition adds the generated lines back
        coupon = uow.coupons.get(invoice.coupon_id) if invoice.coupon_id else None
        price_draft(uow, invoice, org=org, account=account, coupon=coupon, today=today_in(org.timezone))
        invoice.revision += 1
        _record_lines_change(uow, invoice, before)
        uow.commit()
        return invoice


def _record_lines_change(uow: InvoicingUnitOfWork, invoice: Invoice, before: list[str]) -> None:
    """Lines are audited through their invoice: one event with the before and after."""
    after = _lines_summary(invoice)
    if after != before:
        uow.record_event(
            action="invoice.lines_changed",
            entity_type="invoice",
            entity_id=invoice.id,
            changes={"lines": [before, after]},
            root_id=invoice.customer_id,
        )


def delete_invoice_draft(uow: InvoicingUnitOfWork, *, invoice_id: uuid.UUID) -> None:
    """A draft has no number yet, so it may be discarded; anything finalized is voided instead."""
    with uow:
        uow.actor.require(Permission.INVOICES_WRITE)
        uow.describe("invoice.draft_deleted")
        invoice = uow.invoices.get(invoice_id, for_update=True)
        invoice.ensure_allows(InvoiceAction.DELETE)
        uow.delete(invoice)
        uow.commit()


def price_draft(
    uow: InvoicingUnitOfWork,
    invoice: Invoice,
    *,
    org: Organization,
    account: BillingAccount,
    coupon: Coupon | None,
    today: date,
) -> str | None:
    """Compose the values of a draft as they would be today; withholdings with the due date. Returns the reason
    withholdings could not be computed yet (shown in the editor; finalization refuses it), or None."""
    services = uow.catalog.service_items_by_id()
    earlier = uow.payments.account_total_in_month(account.id, invoice.due_on)
    problem: list[str] = []

    def withhold(inv: Invoice) -> None:
        message = preview_withholding(
            inv, org=org, account=account, services=services, on=inv.due_on, earlier_payments_in_month=earlier
        )
        if message:
            problem.append(message)

    compose(invoice, composition_context(uow, org=org, account=account, coupon=coupon, on=today), withhold)
    return problem[0] if problem else None


def composition_context(
    uow: InvoicingUnitOfWork, *, org: Organization, account: BillingAccount, coupon: Coupon | None, on: date
) -> CompositionContext:
    return CompositionContext(
        on=on,
        tax_rules=uow.catalog.tax_rules(),
        municipality_code=tax_municipality(org, account),
        coupon=coupon,
        available_credit_cents=max(0, account.balance_cents),
    )


def tax_municipality(org: Organization, account: BillingAccount) -> str | None:
    """Where municipal tax rules are looked up: the account's ISS municipality, its billing address, or the issuer's."""
    address = account.billing_address or {}
    return account.iss_municipality_code or address.get("ibge_code") or (org.preferences or {}).get("municipality_code")


def ensure_billable(account: BillingAccount, customer: Customer) -> None:
    """Suspended or closed accounts, and customers not active, receive no new invoices."""
    if account.deleted_at is not None:
        raise AccountNotBillable(account.name, "deleted")
    account.ensure_can_invoice()  # NOTE: the registry's rule (suspended: with its reason; closed: final)
    if customer.deleted_at is not None:
        raise CustomerNotBillable(customer.name, "deleted")
    if customer.status is not CustomerStatus.ACTIVE:
        raise CustomerNotBillable(customer.name, str(customer.status))


def _billable_account(uow: InvoicingUnitOfWork, account_id: uuid.UUID) -> tuple[BillingAccount, Customer]:
    account = uow.get(BillingAccount, account_id, label="Conta de faturamento")
    customer = uow.get(Customer, account.customer_id, label="Cliente")
    ensure_billable(account, customer)
    return account, customer


def _replace_charges(uow: InvoicingUnitOfWork, invoice: Invoice, lines: Sequence[LineInput]) -> None:
    if len(lines) > MAX_LINES:
        raise ValidationFailed(f"Uma fatura tem no máximo {MAX_LINES} itens.", field="lines")
    invoice.lines = _charge_lines(uow, invoice, lines)  # the composition adds the generated lines back


def _charge_lines(uow: InvoicingUnitOfWork, invoice: Invoice, lines: Sequence[LineInput]) -> list[InvoiceLine]:
    services: dict[uuid.UUID, ServiceItem] = uow.catalog.service_items_by_id()
    charges = []
    for line in lines:
        item = None
        if line.service_item_id is not None:
            item = services.get(line.service_item_id)
            if item is None:
                raise NotFound("Serviço", line.service_item_id)
        charges.append(
            InvoiceLine(
                organization_id=invoice.organization_id,
                type=LineType(line.type),
                source=LineSource.MANUAL,
                description=(line.description or "").strip()[:500],
                quantity=line.quantity,
                unit_amount_cents=line.unit_amount_cents,
                amount_cents=0,
                period_start=line.period_start,
                period_end=line.period_end,
                service_item_id=item.id if item else None,
                service_code=item.lc116_code if item else None,
                service_description=item.description if item else None,
                details=dict(line.details or {}),
            )
        )
    return charges


def _coupon(uow: InvoicingUnitOfWork, code: str | None) -> Coupon | None:
    code = (code or "").strip().upper()
    if not code:
        return None
    coupon = uow.coupons.find_by_code(code)
    if coupon is None:
        raise CouponNotFound(code)
    return coupon


def _lines_summary(invoice: Invoice) -> list[str]:
    return [
        f"{line.description} | {line.quantity} × {line.unit_amount_cents} = {line.amount_cents}"
        for line in invoice.lines
        if line.source is LineSource.MANUAL
    ]


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None
