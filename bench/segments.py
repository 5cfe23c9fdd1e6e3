"""segments: a segment of two groups and three conditions over 1,000,000 customers on PostgreSQL, and a merge.

- first page (50 rows, sorted by name) of (UF in SP/RJ OR tag vip) AND (MRR ≥ R$ 999,00): ≤ 100 ms p95;
- its count (the planner's estimate, flagged "≈", past 50,000 rows; exact below, within a time budget): ≤ 500 ms,
  and the exact count of a narrow segment (two tags and a UF) through the GIN index: ≤ 500 ms;
- the merge (MOVE_ALL, including its own re-check of the plan) of a customer with 10,000 invoices, 10,000 statement
  items, 10,000 subscriptions and 3 billing accounts into another: ≤ 1 s.
- duplicate suggestions over the newest customers (informational).
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select

from bench.common import p95_ms, report, seeded_database
from domain.access.permissions import Actor
from domain.base import new_id
from domain.billing_accounts.model import BillingAccount
from domain.catalog.model import ServiceItem
from domain.customers.model import Customer
from domain.invoices.model import Invoice
from domain.merges.services import merge_customers, preview_merge
from domain.statements.model import StatementItem
from domain.subscriptions.model import Plan, Subscription
from persistence.database import open_session
from persistence.queries.merges import suggest_duplicates
from persistence.queries.segments import count_segment, list_segment
from persistence.unit_of_work import SqlUnitOfWork

PAGE_TARGET_MS, COUNT_TARGET_MS, MERGE_TARGET_MS = 100, 500, 1000
MERGE_INVOICES = MERGE_STATEMENT_ITEMS = MERGE_SUBSCRIPTIONS = 10_000
TREE = {"version": 1, "op": "and", "children": [
    {"op": "or", "children": [{"field": "uf", "cmp": "in", "value": ["SP", "RJ"]},
                              {"field": "tags", "cmp": "any", "value": ["vip"]}]},
    {"op": "and", "children": [{"field": "mrr", "cmp": "gte", "value": 99_900}]},
]}  # fmt: skip


# A narrow segment (a few thousand customers): counted exactly, through the tags' GIN index.
NARROW = {"version": 1, "op": "and", "children": [
    {"field": "tags", "cmp": "all", "value": ["vip", "governo"]}, {"field": "uf", "cmp": "eq", "value": "SP"},
]}  # fmt: skip


def run() -> None:
    with seeded_database() as url:
        actor = _demo_actor(url)
        page = list_segment(actor, TREE)
        assert page.rows, "the segment selected nobody"
        report("segments", "first_page_ms", p95_ms(lambda: list_segment(actor, TREE)), "ms", "≤", PAGE_TARGET_MS)
        cursor = page.next_cursor
        report("segments", "next_page_ms", p95_ms(lambda: list_segment(actor, TREE, cursor=cursor)), "ms", "≤",
               PAGE_TARGET_MS)  # fmt: skip
        for name, tree in (("count", TREE), ("count_narrow", NARROW)):
            count = count_segment(actor, tree)
            report("segments", f"{name}_ms", p95_ms(lambda t=tree: count_segment(actor, t), runs=10), "ms", "≤",
                   COUNT_TARGET_MS)  # fmt: skip
            print(f"segments.{name}_value: {count.value} customers ({'estimate' if count.is_estimate else 'exact'})")
        started = time.perf_counter()
        suggest_duplicates(actor)
        report("segments", "duplicate_suggestions_ms", (time.perf_counter() - started) * 1000, "ms", "≤", 2000)
        _merge(actor, url)


def _merge(actor: Actor, url: str) -> None:
    source, target = _heavy_customer(actor, url), _any_customer(actor, url)
    started = time.perf_counter()
    plan = preview_merge(SqlUnitOfWork(actor), source_id=source, target_id=target)
    report("segments", "merge_preview_ms", (time.perf_counter() - started) * 1000, "ms", "≤", MERGE_TARGET_MS)
    started = time.perf_counter()
    merge_customers(SqlUnitOfWork(actor), source_id=source, target_id=target, fingerprint=plan.fingerprint)
    report("segments", "merge_move_all_ms", (time.perf_counter() - started) * 1000, "ms", "≤", MERGE_TARGET_MS)
    moved = {m.kind: m.count for m in plan.moves}
    print(f"# segments merge moved: {moved}")


def _heavy_customer(actor: Actor, url: str) -> uuid.UUID:
    """A customer with 3 accounts, 10,000 invoices, 10,000 statement items and 10,000 subscriptions, inserted
    set-based (untimed)."""
    with open_session(actor, url) as session:
        customer_id = session.scalar(select(Customer.id).where(Customer.deleted_at.is_(None)).limit(1))
        account_ids = list(session.scalars(select(BillingAccount.id).where(BillingAccount.customer_id == customer_id)))
        for n in range(3 - len(account_ids)):
            account_ids.append(new_id())
            session.execute(insert(BillingAccount).values(
                id=account_ids[-1], organization_id=actor.organization_id, customer_id=customer_id,
                name=f"Filial bench {n}", currency="BRL", billing_address={}))  # fmt: skip
        today, now, series = date.today(), datetime.now(UTC), uuid.uuid4().hex[:6].upper()
        invoices = [{"id": new_id(), "organization_id": actor.organization_id, "customer_id": customer_id,
                     "billing_account_id": account_ids[n % 3], "status": "paid", "currency": "BRL",
                     "number": f"B{series}-{n:06d}", "issued_on": today - timedelta(days=n % 900),
                     "due_on": today - timedelta(days=n % 900 - 10), "total_cents": 10_000, "net_value_cents": 10_000,
                     "subtotal_cents": 10_000, "amount_paid_cents": 10_000, "withholding_notes": [], "snapshot": {},
                     "paid_at": now, "revision": 1} for n in range(MERGE_INVOICES)]  # fmt: skip
        session.execute(insert(Invoice), invoices)
        items = [{"id": new_id(), "organization_id": actor.organization_id, "billing_account_id": account_ids[n % 3],
                  "customer_id": customer_id, "sequence": 1_000 + n, "kind": "debit", "amount_cents": -10_000,
                  "currency": "BRL", "balance_after_cents": 0, "description": "Fatura", "occurred_on": today,
                  "invoice_id": invoices[n]["id"]} for n in range(MERGE_STATEMENT_ITEMS)]  # fmt: skip
        session.execute(insert(StatementItem), items)
        _subscriptions(session, actor, customer_id, account_ids, today, now)
        session.commit()
        return customer_id


def _subscriptions(session, actor: Actor, customer_id: uuid.UUID, account_ids: list[uuid.UUID], today: date,
                   now: datetime) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    service = session.scalar(select(ServiceItem.id).limit(1))
    plans = [new_id() for _ in range(10)]  # plans of the source only: the target has none, so nothing overlaps
    series = uuid.uuid4().hex[:6]
    session.execute(insert(Plan), [
        {"id": plan, "organization_id": actor.organization_id, "name": f"Bench {series}-{n}", "amount_cents": 9_900,
         "currency": "BRL", "interval": "month", "service_item_id": service, "is_active": True, "created_at": now,
         "updated_at": now} for n, plan in enumerate(plans)
    ])  # fmt: skip
    start = today.replace(day=1)
    session.execute(insert(Subscription), [
        {"id": new_id(), "organization_id": actor.organization_id, "customer_id": customer_id,
         "billing_account_id": account_ids[n % 3], "plan_id": plans[n % 10], "status": "active", "quantity": 1,
         "started_on": start, "billing_anchor": start, "current_period_start": start,
         "current_period_end": (start + timedelta(days=32)).replace(day=1), "cancel_at_period_end": False,
         "mrr_cents": 9_900, "created_at": now, "updated_at": now}
        for n in range(MERGE_SUBSCRIPTIONS)
    ])  # fmt: skip


def _any_customer(actor: Actor, url: str) -> uuid.UUID:
    with open_session(actor, url) as session:
        return session.scalar(select(Customer.id).where(Customer.deleted_at.is_(None), Customer.kind == "juridical")
                              .order_by(Customer.id.desc()).limit(1))  # fmt: skip


def _demo_actor(url: str) -> Actor:
    with open_session(Actor.system("bench"), url) as session:
        org_id = session.scalar(select(Customer.organization_id).limit(1))
    return Actor.system("bench", org_id)
