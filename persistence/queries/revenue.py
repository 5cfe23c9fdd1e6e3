"""The MRR bridge for the Painel: month by month, what the MRR was and what moved it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from domain.access.permissions import Actor, Permission
from domain.revenue.model import MovementKind, MrrMovement
from persistence.queries.common import read_session


@dataclass(frozen=True)
class MonthBridge:
    month: date  # first day of the month
    opening_cents: int
    moves: dict[MovementKind, int]  # signed sums: churn and contraction are negative
    closing_cents: int


def first_of_month(day: date, back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def mrr_bridge(actor: Actor, *, today: date, current_mrr_cents: int, months: int = 6) -> list[MonthBridge]:
    """The last `months` months, oldest first. Closing MRR of the current month is today's MRR; each earlier month
    closes where the next one opens (today's MRR minus what moved since), so the bridge always adds up."""
    start = first_of_month(today, months - 1)
    with read_session(actor, Permission.DASHBOARD_READ) as session:
        # Summed per day in SQL (at most a few hundred rows), then per month here: portable across both databases.
        rows = session.execute(
            select(MrrMovement.occurred_on, MrrMovement.kind, func.sum(MrrMovement.delta_cents))
            .where(MrrMovement.occurred_on >= start)
            .group_by(MrrMovement.occurred_on, MrrMovement.kind)
        ).all()  # fmt: skip
    sums: dict[date, dict[MovementKind, int]] = {}
    for occurred_on, kind, delta in rows:
        month = first_of_month(occurred_on)
        moves = sums.setdefault(month, {})
        moves[MovementKind(kind)] = moves.get(MovementKind(kind), 0) + int(delta)
    bridge: list[MonthBridge] = []
    closing = current_mrr_cents
    for back in range(months):
        month = first_of_month(today, back)
        moves = sums.get(month, {})
        opening = closing - sum(moves.values())
        bridge.append(MonthBridge(month, opening, {k: moves.get(k, 0) for k in MovementKind}, closing))
        closing = opening
    return list(reversed(bridge))
