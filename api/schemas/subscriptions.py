"""Plans and subscriptions in and out of the API. Periods are half-open: `current_period_end` is the first day of the
next period (the day the billing run invoices it); proration lines show their days inclusively, as invoices do.

Quantity, trial days and plan amounts are checked by the domain (not here), so a refusal carries its stable code and
pt-BR message: `SUBSCRIPTION_QUANTITY_INVALID` on `quantity`, `PLAN_INVALID` on `amount_cents`, ...
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SubscriptionStatusIn = Literal["trialing", "active", "past_due", "canceled"]


class PlanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=120, examples=["Pro mensal"])
    amount_cents: int = Field(le=10**13, description="Per unit, per interval; more than zero", examples=[19900])
    currency: str = Field("BRL", max_length=3, examples=["BRL"])
    interval: Literal["month", "year"] = "month"
    service_item_id: str = Field(
        max_length=64, description="Id (UUID) or code of the service the plan bills", examples=["software"]
    )
    description: str | None = Field(None, max_length=2000)
    is_active: bool = True


class PlanOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    name: str
    description: str | None
    amount_cents: int
    currency: str
    interval: str = Field(examples=["month"])
    service_item_id: uuid.UUID
    is_active: bool
    created_at: datetime
    updated_at: datetime


class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    billing_account_id: uuid.UUID
    plan_id: uuid.UUID
    quantity: int = Field(1, description="1 to 100,000", examples=[3])
    start_on: date | None = Field(None, description="Default: today in the organization's timezone")
    trial_days: int = Field(0, description="0 to 365", examples=[14])


class ChangeIn(BaseModel):
    """Both plan and quantity are required (even the unchanged one): a default read from the subscription a moment
    before could undo a concurrent change of the other."""

    model_config = ConfigDict(extra="forbid")
    plan_id: uuid.UUID
    quantity: int = Field(description="1 to 100,000", examples=[5])
    changed_on: date | None = Field(None, description="Inside the current period; default: today")
    reason: str | None = Field(None, max_length=500, description="Why (goes to the audit trail)")


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    at_period_end: bool = Field(False, description="Keep it until the current period ends (no further invoices)")
    reason: str = Field(max_length=500, description="At least 3 characters", examples=["Cliente migrou de sistema"])


class SubscriptionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    customer_id: uuid.UUID
    billing_account_id: uuid.UUID
    plan_id: uuid.UUID
    status: str = Field(examples=["active"])
    quantity: int
    started_on: date
    billing_anchor: date
    current_period_start: date
    current_period_end: date = Field(description="Exclusive: the first day of the next period")
    trial_end: date | None
    cancel_at_period_end: bool
    canceled_at: datetime | None
    canceled_on: date | None
    cancel_reason: str | None
    mrr_cents: int = Field(description="What it adds to MRR while active (a yearly plan counts a twelfth)")
    created_at: datetime
    updated_at: datetime


class PeriodOut(BaseModel):
    start: date
    end: date = Field(description="Inclusive")


class ProrationLineOut(BaseModel):
    amount_cents: int = Field(description="Negative: credit for the unused time", examples=[-5000])
    description: str
    period: PeriodOut
    service_item_id: uuid.UUID | None
    details: dict[str, Any]


class ProrationOut(BaseModel):
    """The lines the change adds to the subscription's next invoice (none before its first invoice or in a trial)."""

    currency: str
    total_cents: int
    days_in_period: int
    days_remaining: int
    lines: list[ProrationLineOut]


class ChangeOut(BaseModel):
    subscription: SubscriptionOut
    proration: ProrationOut = Field(description="The lines stored for the next invoice")
