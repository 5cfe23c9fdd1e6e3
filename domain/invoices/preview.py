"""Live totals of a draft while the operator types: the same composition and withholding as the use cases, on an
in-memory copy (nothing is saved; the editor recomputes on every change without touching the database)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from domain.billing_accounts.model import BillingAccount
from domain.catalog.model import ServiceItem, TaxRule
from domain.coupons.model import Coupon
from domain.errors import BillingError
from domain.invoices.composition import CompositionContext, compose
from domain.invoices.model import Invoice, InvoiceLine, LineSource, LineType
from domain.invoices.services import LineInput, tax_municipality
from domain.invoices.withholding import preview_withholding
from domain.money import Money
from domain.organizations.model import Organization


@dataclass(frozen=True)
class Preview:
    invoice: Invoice | None  # None when the lines cannot be composed yet
    problem: str | None  # why withholdings (or the whole composition) could not be computed


def preview_draft(
    *,
    organization: Organization,
    account: BillingAccount,
    lines: Sequence[LineInput],
    due_on: date,
    manual_discount_cents: int,
    services: Mapping[uuid.UUID, ServiceItem],
    tax_rules: Sequence[TaxRule],
    coupon: Coupon | None,
    today: date,
    earlier_payments_cents: int = 0,
) -> Preview:
    """The draft as it would be saved now."""
    invoice = Invoice(
        organization_id=organization.id,
        customer_id=account.customer_id,
        billing_account_id=account.id,
        currency=account.currency,
        due_on=due_on,
        manual_discount_cents=manual_discount_cents,
        lines=[],
        withholding_notes=[],
        snapshot={},
        revision=0,
        amount_paid_cents=0,
    )
    charges = []
    for line in lines:
        item = services.get(line.service_item_id) if line.service_item_id else None
        charges.append(
            InvoiceLine(
                type=LineType(line.type),
                source=LineSource.MANUAL,
                description=line.description,
                quantity=line.quantity,
                unit_amount_cents=line.unit_amount_cents,
                amount_cents=0,
                service_item_id=item.id if item else None,
                details={},
            )
        )
    invoice.lines = charges
    context = CompositionContext(
        on=today,
        tax_rules=tax_rules,
        municipality_code=tax_municipality(organization, account),
        coupon=coupon,
        available_credit_cents=max(0, account.balance_cents),
    )
    problems: list[str] = []

    def withhold(inv: Invoice) -> None:
        message = preview_withholding(
            inv,
            org=organization,
            account=account,
            services=services,
            on=due_on,
            earlier_payments_in_month=Money(earlier_payments_cents, "BRL"),
        )
        if message:
            problems.append(message)

    try:
        compose(invoice, context, withhold)
    except BillingError as refusal:
        return Preview(None, refusal.message)
    return Preview(invoice, problems[0] if problems else None)
