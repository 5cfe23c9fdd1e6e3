"""Billing periods and proration: pure functions, no database.

Periods are half-open [start, end). A period ends on the same day of the next month (or year) as the anchor day it
started from; when that month is shorter, on its last day + 1 (relativedelta clamps: 31/01 → 28/02 → 31/03 keeps the
anchor because the anchor, not the previous end, is used).

Proration of a change on `changed_on` inside [start, end): days remaining = end − changed_on, days in the period =
end − start. The old plan's unused remainder is credited (a negative line) and the new plan's remainder is charged,
each rounded half-up once on the exact Decimal fraction. A change on the first day of a period prorates the whole
period; the last period day still has one day remaining.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from dateutil.relativedelta import relativedelta

from domain.money import round_half_up
from domain.subscriptions.model import PlanInterval


def period_end(anchor: date, interval: PlanInterval | str, periods: int = 1) -> date:
    """The exclusive end of the `periods`-th period counted from `anchor` (the day the subscription's cycle began)."""
    step = (
        relativedelta(months=periods) if PlanInterval(interval) is PlanInterval.MONTH else relativedelta(years=periods)
    )
    return anchor + step


@lru_cache(maxsize=4096)  # the billing run asks the same few questions 100,000 times
def next_period(anchor: date, interval: PlanInterval | str, start: date) -> tuple[date, date]:
    """The period that begins at `start` (an end of the previous period), keeping the anchor day."""
    n = 1
    while (end := period_end(anchor, interval, n)) <= start:
        n += 1
    return start, end


@dataclass(frozen=True)
class PlanTerms:
    """What proration needs to know of a plan."""

    id: Any
    name: str
    amount_cents: int
    currency: str
    interval: PlanInterval
    service_item_id: Any = None


@dataclass(frozen=True)
class ProrationLine:
    description: str
    amount_cents: int  # negative: credit for unused time
    service_item_id: Any
    period_start: date
    period_end: date  # inclusive
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProrationPreview:
    lines: tuple[ProrationLine, ...]
    days_in_period: int
    days_remaining: int
    currency: str

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)


def prorate(
    *,
    old_plan: PlanTerms,
    old_quantity: int,
    new_plan: PlanTerms,
    new_quantity: int,
    period_start: date,
    period_end: date,
    changed_on: date,
) -> ProrationPreview:
    """Credit for the unused part of the old terms and a charge for the rest of the period on the new terms."""
    if not period_start <= changed_on < period_end:
        raise ValueError("the change date must fall inside the current period")
    days_total = (period_end - period_start).days
    days_left = (period_end - changed_on).days
    fraction = Decimal(days_left) / Decimal(days_total)
    last_day = period_end - timedelta(days=1)
    common = {
        "days_in_period": days_total,
        "days_used": days_total - days_left,
        "days_remaining": days_left,
        "changed_on": changed_on.isoformat(),
        "old_plan_id": str(old_plan.id),
        "old_plan": old_plan.name,
        "old_quantity": old_quantity,
        "new_plan_id": str(new_plan.id),
        "new_plan": new_plan.name,
        "new_quantity": new_quantity,
    }
    period = f"{changed_on:%d/%m/%Y} a {last_day:%d/%m/%Y}"
    credit = round_half_up(Decimal(old_plan.amount_cents * old_quantity) * fraction)
    charge = round_half_up(Decimal(new_plan.amount_cents * new_quantity) * fraction)
    lines = (
        ProrationLine(
            f"Crédito proporcional: {old_plan.name} × {old_quantity} não utilizado ({period}, "
            f"{days_left}/{days_total} dias)",
            -credit,
            old_plan.service_item_id,
            changed_on,
            last_day,
            {**common, "kind": "credit", "full_amount_cents": old_plan.amount_cents * old_quantity,
             "amount_cents": -credit},
        ),
        ProrationLine(
            f"Proporcional: {new_plan.name} × {new_quantity} ({period}, {days_left}/{days_total} dias)",
            charge,
            new_plan.service_item_id,
            changed_on,
            last_day,
            {**common, "kind": "charge", "full_amount_cents": new_plan.amount_cents * new_quantity,
             "amount_cents": charge},
        ),
    )  # fmt: skip
    return ProrationPreview(lines, days_total, days_left, new_plan.currency)
