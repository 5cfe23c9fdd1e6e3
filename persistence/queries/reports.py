"""Relatórios: receivables aging per billing account and the MRR movements of a period, for the screen and exports.

Both read set-based (one GROUP BY over the open invoices through ix_invoice_org_status_due; a range of
ix_mrr_movement_org_day) and stream their rows, so an export of every account does not hold them all in memory."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select

from domain.access.permissions import Actor, Permission
from domain.billing_accounts.model import BillingAccount
from domain.customers.model import Customer
from domain.invoices.model import Invoice
from domain.revenue.model import MovementKind, MrrMovement
from persistence.queries.common import read_session
from persistence.queries.receivables import AGE_BUCKETS, OUTSTANDING, OWED, age_bucket

STREAM_BATCH = 2_000


@dataclass(frozen=True)
class AgingRow:
    account_id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str
    account_name: str
    document: str
    currency: str
    buckets: tuple[int, ...]  # outstanding cents per AGE_BUCKETS entry

    @property
    def total_cents(self) -> int:
        return sum(self.buckets)

    @property
    def overdue_cents(self) -> int:
        return sum(self.buckets[1:])


@dataclass(frozen=True)
class MovementRow:
    occurred_on: date
    customer_name: str
    account_name: str
    kind: MovementKind
    delta_cents: int
    mrr_after_cents: int


def aging_by_account(actor: Actor, today: date, *, limit: int | None = None) -> Iterator[AgingRow]:
    """Accounts that owe something, the most overdue first, with what they owe in each age bucket."""
    bucket = age_bucket(today)
    sums = [func.coalesce(func.sum(case((bucket == n, OUTSTANDING), else_=0)), 0) for n in range(len(AGE_BUCKETS))]
    overdue = func.coalesce(func.sum(case((Invoice.due_on < today, OUTSTANDING), else_=0)), 0)
    statement = (
        select(BillingAccount.id, Customer.id, Customer.name, BillingAccount.name, Customer.document_number,
               BillingAccount.currency, *sums)
        .join(BillingAccount, BillingAccount.id == Invoice.billing_account_id)
        .join(Customer, Customer.id == Invoice.customer_id)
        .where(*OWED)
        .group_by(BillingAccount.id, Customer.id, Customer.name, BillingAccount.name, Customer.document_number,
                  BillingAccount.currency)
        .order_by(overdue.desc(), BillingAccount.id)
    )  # fmt: skip
    if limit is not None:
        statement = statement.limit(limit)
    with read_session(actor, Permission.INVOICES_READ) as session:
        for row in session.execute(statement.execution_options(yield_per=STREAM_BATCH)):
            yield AgingRow(row[0], row[1], row[2], row[3], row[4], row[5], tuple(int(v) for v in row[6:]))


def mrr_movements(actor: Actor, date_from: date, date_to: date) -> Iterator[MovementRow]:
    statement = (
        select(MrrMovement.occurred_on, Customer.name, BillingAccount.name, MrrMovement.kind, MrrMovement.delta_cents,
               MrrMovement.mrr_after_cents)
        .join(Customer, Customer.id == MrrMovement.customer_id)
        .join(BillingAccount, BillingAccount.id == MrrMovement.billing_account_id)
        .where(MrrMovement.occurred_on >= date_from, MrrMovement.occurred_on <= date_to)
        .order_by(MrrMovement.occurred_on, MrrMovement.created_at)
    )  # fmt: skip
    with read_session(actor, Permission.DASHBOARD_READ) as session:
        for row in session.execute(statement.execution_options(yield_per=STREAM_BATCH)):
            yield MovementRow(row[0], row[1], row[2], MovementKind(row[3]), int(row[4]), int(row[5]))
