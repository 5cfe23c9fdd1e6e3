"""Plans, subscriptions and the proration items a mid-period change leaves for the next invoice.

Period convention: a subscription's current period is the half-open interval [current_period_start,
current_period_end): `current_period_end` is the first day of the next period, the day the billing run invoices it.
Invoices and their lines show the covered days inclusively (start .. end − 1 day), as people read them.

Billing is in advance: the run invoices the period that starts when the current one ends, then advances the period.
A trial is the first period ([start, trial_end)); when it ends the first paid period is invoiced only if the billing
account has a payment method (see `has_payment_method`).

MRR counts `active` subscriptions only (a trial is not revenue yet; past_due is revenue at risk, shown apart): plan
amount × quantity per month, a yearly plan as amount × quantity / 12 rounded half-up.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Audited, Base, TenantScoped, Timestamped, new_id
from domain.money import round_half_up


class PlanInterval(StrEnum):
    MONTH = "month"
    YEAR = "year"


class SubscriptionStatus(StrEnum):
    TRIALING = "trialing"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    CANCELED = "canceled"


INTERVAL_LABELS = {PlanInterval.MONTH: "Mensal", PlanInterval.YEAR: "Anual"}
STATUS_LABELS = {
    SubscriptionStatus.TRIALING: "Em teste",
    SubscriptionStatus.ACTIVE: "Ativa",
    SubscriptionStatus.PAST_DUE: "Em atraso",
    SubscriptionStatus.CANCELED: "Cancelada",
}
STATUS_COLORS = {"trialing": "blue-8", "active": "positive", "past_due": "orange-9", "canceled": "grey-7"}
LIVE_STATUSES = (SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE)
MRR_STATUSES = (SubscriptionStatus.ACTIVE,)


def monthly_cents(amount_cents: int, interval: PlanInterval | str, quantity: int) -> int:
    """What one subscription adds to MRR: a yearly plan counts a twelfth, rounded half-up once."""
    total = amount_cents * quantity
    if PlanInterval(interval) is PlanInterval.YEAR:
        return round_half_up(Decimal(total) / 12)
    return total


class Plan(Audited, TenantScoped, Timestamped, Base):
    __tablename__ = "plan"
    __tenant_index__ = False
    __table_args__ = (UniqueConstraint("organization_id", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    amount_cents: Mapped[int] = mapped_column(BigInteger)  # per unit, per interval
    currency: Mapped[str] = mapped_column(String(3), default="BRL")
    interval: Mapped[PlanInterval] = mapped_column(default=PlanInterval.MONTH)
    service_item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("service_item.id"))
    is_active: Mapped[bool] = mapped_column(default=True)

    @property
    def interval_label(self) -> str:
        return INTERVAL_LABELS[self.interval]

    def mrr_cents(self, quantity: int) -> int:
        return monthly_cents(self.amount_cents, self.interval, quantity)


class Subscription(Audited, TenantScoped, Timestamped, Base):
    __tablename__ = "subscription"
    __tenant_index__ = False  # every index below leads with organization_id
    __table_args__ = (
        Index("ix_subscription_run", "organization_id", "status", "current_period_end", "id"),  # the billing run
        Index("ix_subscription_org_account", "organization_id", "billing_account_id", "id"),
        Index("ix_subscription_org_customer", "organization_id", "customer_id"),
        Index("ix_subscription_org_plan", "organization_id", "plan_id", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"))  # denormalized: merges and LGPD
    billing_account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("billing_account.id"))
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan.id"))
    status: Mapped[SubscriptionStatus] = mapped_column(default=SubscriptionStatus.ACTIVE)
    quantity: Mapped[int] = mapped_column(default=1)
    started_on: Mapped[date]
    billing_anchor: Mapped[date]  # the day cycles count from (31/01 → 28/02 → 31/03 keeps the 31st)
    current_period_start: Mapped[date]
    current_period_end: Mapped[date]  # exclusive: the first day of the next period
    trial_end: Mapped[date | None]
    cancel_at_period_end: Mapped[bool] = mapped_column(default=False)
    canceled_at: Mapped[datetime | None]
    canceled_on: Mapped[date | None]
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    mrr_cents: Mapped[int] = mapped_column(BigInteger, default=0)  # what this subscription adds to its account's MRR
    trial_notice_on: Mapped[date | None]  # when trial_ending went out (once per trial)

    @property
    def audit_root_id(self) -> uuid.UUID:
        return self.customer_id

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def awaiting_first_invoice(self) -> bool:
        """Created, not invoiced yet: the empty period [start, start) makes the next run invoice the first one."""
        return self.current_period_start == self.current_period_end

    @property
    def awaiting_payment_method(self) -> bool:
        """A trial that ended without a payment method: past due, its period still the trial's."""
        return self.status is SubscriptionStatus.PAST_DUE and self.trial_end == self.current_period_end


class SubscriptionProration(TenantScoped, Base):
    """A proration line waiting for the subscription's next invoice; the billing run consumes it exactly once
    (`invoice_id` is set in the run's transaction). Negative amounts are credits for unused time."""

    __tablename__ = "subscription_proration"
    __tenant_index__ = False
    __table_args__ = (Index("ix_subscription_proration_pending", "organization_id", "subscription_id", "invoice_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    subscription_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subscription.id", ondelete="CASCADE"))
    description: Mapped[str] = mapped_column(String(500))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    service_item_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("service_item.id"))
    period_start: Mapped[date]
    period_end: Mapped[date]  # inclusive, as invoice lines show it
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_on: Mapped[date]
    invoice_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("invoice.id"))
    discarded: Mapped[bool] = mapped_column(default=False)  # the subscription was canceled before it was invoiced
