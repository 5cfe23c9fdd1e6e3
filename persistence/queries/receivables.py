"""Receivables for the Painel: what customers still owe, by age past the due date, and invoices by state.

Both read the invoice table through ix_invoice_org_status_due (organization, status, due date): the open invoices
of an organization are a small part of all its invoices, so the aging stays fast with millions of invoices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, literal, select

from domain.access.permissions import Actor, Permission
from domain.invoices.model import STATUSES, Invoice, InvoiceStatus
from persistence.queries.common import read_session

# (label, first day past due, last day past due); None: open-ended. Day 0 and before: not yet due.
AGE_BUCKETS: tuple[tuple[str, int | None, int | None], ...] = (
    ("A vencer", None, 0),
    ("1–30 dias", 1, 30),
    ("31–60 dias", 31, 60),
    ("61–90 dias", 61, 90),
    ("> 90 dias", 91, None),
)


@dataclass(frozen=True)
class AgeBucket:
    label: str
    invoices: int
    outstanding_cents: int


@dataclass(frozen=True)
class StateFigure:
    status: str
    label: str
    color: str
    invoices: int
    total_cents: int


OUTSTANDING = Invoice.net_value_cents - Invoice.amount_paid_cents  # what the customer still owes of an invoice
OWED = (Invoice.status == InvoiceStatus.OPEN, OUTSTANDING > 0)  # the invoices receivables are made of


def age_bucket(today: date) -> Any:
    """The number of an invoice's AGE_BUCKETS entry on `today`, as SQL (the one definition every aging uses).

    Newest first: "due on or after today − N days" means at most N days late."""
    return case(
        *[(Invoice.due_on >= today - timedelta(days=last), literal(n))
          for n, (_label, _first, last) in enumerate(AGE_BUCKETS) if last is not None],
        else_=literal(len(AGE_BUCKETS) - 1),
    )  # fmt: skip


def receivables_by_age(actor: Actor, today: date) -> list[AgeBucket]:
    """Open invoices' outstanding amounts (net value minus what was paid) in the five age buckets, in order."""
    bucket = age_bucket(today)
    with read_session(actor, Permission.INVOICES_READ) as session:
        rows = session.execute(
            select(bucket.label("bucket"), func.count(), func.coalesce(func.sum(OUTSTANDING), 0))
            .where(*OWED)
            .group_by("bucket")
        ).all()
    found = {int(n): (count, int(cents)) for n, count, cents in rows}
    return [AgeBucket(label, *found.get(n, (0, 0))) for n, (label, _first, _last) in enumerate(AGE_BUCKETS)]


def invoices_by_state(actor: Actor) -> list[StateFigure]:
    with read_session(actor, Permission.INVOICES_READ) as session:
        rows = dict(
            (status, (count, int(total)))
            for status, count, total in session.execute(
                select(Invoice.status, func.count(), func.coalesce(func.sum(Invoice.total_cents), 0)).group_by(
                    Invoice.status
                )
            ).all()
        )
    return [StateFigure(status.value, spec.label, spec.color, *rows.get(status, (0, 0)))
            for status, spec in STATUSES.items()]  # fmt: skip
