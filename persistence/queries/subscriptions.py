"""Read views of plans, subscriptions and billing runs: the Assinaturas list (filters, keyset paging newest first, MRR
of the filtered set), a customer's subscriptions, the plans, and the last runs with their failures."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select

from domain.access.permissions import Actor, Permission
from domain.billing_accounts.model import BillingAccount
from domain.billing_runs.model import BillingRun, BillingRunFailure
from domain.customers.model import Customer
from domain.subscriptions.model import MRR_STATUSES, Plan, Subscription, SubscriptionStatus
from persistence.queries.common import Page, decode_cursor, encode_cursor, read_session
from persistence.queries.counting import count_within_budget
from persistence.queries.customers import search_condition as customer_search


@dataclass(frozen=True)
class SubscriptionFilter:
    statuses: tuple[str, ...] = ()
    plan_id: uuid.UUID | None = None
    billing_account_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None
    search: str | None = None  # customer name, document or e-mail prefix, or account name prefix


@dataclass(frozen=True)
class SubscriptionRow:
    id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str
    billing_account_id: uuid.UUID
    account_name: str
    plan_id: uuid.UUID
    plan_name: str
    interval: str
    amount_cents: int
    currency: str
    quantity: int
    status: SubscriptionStatus
    current_period_start: date
    current_period_end: date
    trial_end: date | None
    cancel_at_period_end: bool
    canceled_on: date | None
    mrr_cents: int
    awaiting_first_invoice: bool


def _conditions(f: SubscriptionFilter) -> list[Any]:
    conditions: list[Any] = []
    if f.statuses:
        conditions.append(Subscription.status.in_([SubscriptionStatus(s) for s in f.statuses]))
    if f.plan_id:
        conditions.append(Subscription.plan_id == f.plan_id)
    if f.billing_account_id:
        conditions.append(Subscription.billing_account_id == f.billing_account_id)
    if f.customer_id:
        conditions.append(Subscription.customer_id == f.customer_id)
    typed = (f.search or "").strip()
    if typed:  # the Clientes search (name, document or e-mail prefix: index ranges), or the account's name
        accounts = select(BillingAccount.id).where(func.lower(BillingAccount.name).startswith(typed.lower()))
        conditions.append(or_(Subscription.customer_id.in_(select(Customer.id).where(customer_search(typed))),
                              Subscription.billing_account_id.in_(accounts)))  # fmt: skip
    return conditions


def list_subscriptions(
    actor: Actor,
    filters: SubscriptionFilter,
    *,
    cursor: str | None = None,
    per_page: int = 50,
    with_totals: bool = True,
) -> Page[SubscriptionRow]:
    """Newest first (ids are time-ordered), keyset-paged; the count and MRR of the whole filtered set."""
    with read_session(actor, Permission.SUBSCRIPTIONS_READ) as session:
        org_id = actor.organization_id
        conditions = [Subscription.organization_id == org_id, *_conditions(filters)]
        statement = (
            select(Subscription, Plan.name, Plan.interval, Plan.amount_cents, Plan.currency, Customer.name,
                   BillingAccount.name)
            .join(Plan, Plan.id == Subscription.plan_id)
            .join(Customer, Customer.id == Subscription.customer_id)
            .join(BillingAccount, BillingAccount.id == Subscription.billing_account_id)
            .where(*conditions)
            .order_by(Subscription.id.desc())
            .limit(per_page + 1)
        )  # fmt: skip
        after = decode_cursor(cursor)
        if after:
            statement = statement.where(Subscription.id < uuid.UUID(str(after[0])))
        found = session.execute(statement).all()
        rows = [_row(*r) for r in found[:per_page]]
        page = Page(rows=rows, next_cursor=encode_cursor([str(rows[-1].id)]) if len(found) > per_page else None)
        if with_totals:
            count = count_within_budget(session, select(Subscription.id).where(*conditions))
            page.total, page.total_is_estimate = count.value, count.is_estimate
            page.extra["mrr_cents"] = int(session.scalar(
                select(func.coalesce(func.sum(Subscription.mrr_cents), 0))
                .where(*conditions, Subscription.status.in_(MRR_STATUSES))) or 0)  # fmt: skip
        return page


def _row(
    sub: Subscription, plan: str, interval: Any, amount: int, currency: str, customer: str, account: str
) -> SubscriptionRow:
    return SubscriptionRow(
        sub.id, sub.customer_id, customer, sub.billing_account_id, account, sub.plan_id, plan, str(interval), amount,
        currency, sub.quantity, sub.status, sub.current_period_start, sub.current_period_end, sub.trial_end,
        sub.cancel_at_period_end, sub.canceled_on, sub.mrr_cents if sub.status in MRR_STATUSES else 0,
        sub.awaiting_first_invoice,
    )  # fmt: skip


@dataclass(frozen=True)
class PlanRow:
    id: uuid.UUID
    name: str
    description: str | None
    amount_cents: int
    currency: str
    interval: str
    service_item_id: uuid.UUID
    is_active: bool
    live_subscriptions: int


def plans(actor: Actor, *, active_only: bool = False) -> list[PlanRow]:
    with read_session(actor, Permission.SUBSCRIPTIONS_READ) as session:
        live = (select(func.count()).where(Subscription.plan_id == Plan.id,
                                           Subscription.status != SubscriptionStatus.CANCELED)
                .scalar_subquery())  # fmt: skip
        statement = select(Plan, live).order_by(Plan.is_active.desc(), Plan.name)
        if active_only:
            statement = statement.where(Plan.is_active)
        return [PlanRow(p.id, p.name, p.description, p.amount_cents, p.currency, str(p.interval), p.service_item_id,
                        p.is_active, int(n)) for p, n in session.execute(statement)]  # fmt: skip


@dataclass(frozen=True)
class RunFailureRow:
    subscription_id: uuid.UUID
    customer_name: str
    account_name: str
    plan_name: str
    period_start: date
    reason: str
    resolved_at: datetime | None


@dataclass(frozen=True)
class RunRow:
    id: uuid.UUID
    run_date: date
    status: str
    status_label: str
    trigger: str
    started_by: str
    started_at: datetime
    finished_at: datetime | None
    duration_ms: int | None
    created: int
    skipped: int
    failed: int
    failures: list[RunFailureRow]


def last_runs(actor: Actor, limit: int = 10) -> list[RunRow]:
    """The organization's last runs, newest first, with the failures of each (open ones first)."""
    with read_session(actor, Permission.SUBSCRIPTIONS_READ) as session:
        runs = list(session.scalars(select(BillingRun).order_by(BillingRun.started_at.desc()).limit(limit)))
        failures: dict[uuid.UUID, list[RunFailureRow]] = {r.id: [] for r in runs}
        if runs:
            statement = (
                select(BillingRunFailure, Customer.name, BillingAccount.name, Plan.name)
                .join(Subscription, Subscription.id == BillingRunFailure.subscription_id)
                .join(Customer, Customer.id == Subscription.customer_id)
                .join(BillingAccount, BillingAccount.id == Subscription.billing_account_id)
                .join(Plan, Plan.id == Subscription.plan_id)
                .where(BillingRunFailure.billing_run_id.in_(list(failures)))
                .order_by(BillingRunFailure.resolved_at.is_not(None), BillingRunFailure.occurred_at)
                .limit(500)
            )  # fmt: skip
            for f, customer, account, plan in session.execute(statement):
                failures[f.billing_run_id].append(
                    RunFailureRow(f.subscription_id, customer, account, plan, f.period_start, f.reason, f.resolved_at)
                )
        return [RunRow(r.id, r.run_date, r.status.value, r.status_label, r.trigger, r.started_by, r.started_at,
                       r.finished_at, r.duration_ms, r.created, r.skipped, r.failed, failures[r.id])
                for r in runs]  # fmt: skip


def service_options(actor: Actor) -> dict[str, str]:
    """The services (LC 116) a plan may bill, id → label."""
    from domain.catalog.model import ServiceItem

    with read_session(actor, Permission.SUBSCRIPTIONS_READ) as session:
        items = session.scalars(select(ServiceItem).where(ServiceItem.is_active).order_by(ServiceItem.lc116_code))
        return {str(i.id): i.label for i in items}


def account_label(actor: Actor, account_id: uuid.UUID) -> str | None:
    with read_session(actor, Permission.SUBSCRIPTIONS_READ) as session:
        row = session.execute(
            select(Customer.name, BillingAccount.name)
            .join(Customer, Customer.id == BillingAccount.customer_id)
            .where(BillingAccount.id == account_id)
        ).first()
        return f"{row[0]} — {row[1]}" if row else None
