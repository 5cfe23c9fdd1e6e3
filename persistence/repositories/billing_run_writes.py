"""The writes of one billing-run batch, set-based: invoices (through a staging table, ON CONFLICT DO NOTHING), their
lines, statement items, account and customer figures, subscription periods and statuses, consumed prorations, MRR,
failures and audit events. A handful of statements per batch whatever its size; no ORM objects on this path."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from domain.audit.model import AuditEvent
from domain.base import new_id, utcnow
from domain.billing_accounts.model import BillingAccount
from domain.billing_runs.compose import Decision, JsonText, Outcome, RunContext
from domain.billing_runs.model import BillingRunFailure
from domain.customers.model import Customer
from domain.invoices.model import Invoice, InvoiceLine
from domain.statements.model import StatementItem
from domain.subscriptions.model import Subscription, SubscriptionProration, SubscriptionStatus
from persistence import bulk
from persistence.repositories import billing_run_sql
from persistence.repositories.subscriptions import refresh_mrr


class BatchConflict(RuntimeError):
    """Another transaction invoiced or changed part of this batch: roll it back (numbers included) and redo it."""


def write_outcomes(
    session: Session, org_id: uuid.UUID, run: uuid.UUID, outcomes: list[Outcome], ctx: RunContext | None = None,
    before_invoices: Callable[[], None] | None = None,
) -> dict[str, int]:  # fmt: skip
    """Periods, balances, MRR and failures first; then `before_invoices` (which takes the invoice numbers: the series
    stays locked until commit, so the part written under it is kept short); then invoices and what refers to them."""
    now = utcnow()
    invoiced = [o for o in outcomes if o.decision is Decision.INVOICE]
    failed = [o for o in outcomes if o.decision is Decision.FAIL]
    moved = [o for o in outcomes if o.decision is not Decision.FAIL]
    _ledger(session, invoiced)
    _subscriptions(session, moved, now)
    changed_status = {o.subscription.billing_account_id for o in moved if o.new_status is not o.subscription.status}
    refresh_mrr(session, sorted(changed_status))
    _failures(session, org_id, run, failed, invoiced if ctx is None or ctx.open_failures else [], now)
    set_based = ctx is not None and ctx.set_based
    if set_based:
        billing_run_sql.stage_invoices(session, ctx, invoiced)  # type: ignore[arg-type]
    if before_invoices is not None:
        before_invoices()
    if set_based:  # PostgreSQL: INSERT…SELECT from staged rows (billing_run_sql.py); opening items are rare
        if billing_run_sql.write_invoices(session, ctx, invoiced) != len(invoiced):  # type: ignore[arg-type]
            raise BatchConflict("invoice already present for a period of this batch")
        opening = [item for o in invoiced for item in o.statement if item["invoice_id"] is None]
        bulk.copy_rows(session, StatementItem.__table__, opening)
    else:
        if _insert_invoices(session, [o.invoice for o in invoiced]) != len(invoiced):
            raise BatchConflict("invoice already present for a period of this batch")
        bulk.copy_rows(session, InvoiceLine.__table__, [line for o in invoiced for line in o.lines])
        bulk.copy_rows(session, StatementItem.__table__, [item for o in invoiced for item in o.statement])
    bulk.copy_rows(session, SubscriptionProration.__table__, [o.carry_over for o in invoiced if o.carry_over])
    consumed = [{"id": pid, "invoice_id": o.invoice["id"]} for o in invoiced for pid in o.consumed]  # type: ignore[index]
    if bulk.update_by_id(session, SubscriptionProration.__table__, consumed, set_sql={"invoice_id": "v.invoice_id"},
                         types={"invoice_id": "uuid"}, guard="t.invoice_id IS NULL") != len(consumed):  # fmt: skip
        raise BatchConflict("a proration item was consumed by another invoice")
    _audit(session, org_id, outcomes, now, invoices=not set_based)
    return {"created": len(invoiced), "skipped": len(moved) - len(invoiced), "failed": len(failed)}


def _insert_invoices(session: Session, rows: list[dict[str, Any] | None]) -> int:
    invoices = [r for r in rows if r is not None]
    if not invoices:
        return 0
    table = Invoice.__table__
    if not bulk.is_postgres(session):
        statement = sqlite.insert(table).on_conflict_do_nothing()
        session.execute(statement, [{c.name: bulk.parsed(r[c.name]) for c in table.columns} for r in invoices])
        ids = [r["id"] for r in invoices]  # (total_changes() would also count what triggers wrote)
        return session.execute(select(func.count()).select_from(table).where(table.c.id.in_(ids))).scalar() or 0
    # COPY straight into the table: a period invoiced meanwhile (by hand) makes the unique constraint refuse the
    # whole COPY, the batch rolls back and is redone one by one, where the period is seen as already invoiced.
    bulk.copy_rows(session, table, invoices)
    return len(invoices)


def _ledger(session: Session, invoiced: list[Outcome]) -> None:
    """Accounts end at their last posted balance; customers move by the debits and the invoices left open."""
    balances: dict[uuid.UUID, int] = {}
    customer_balance: dict[uuid.UUID, int] = defaultdict(int)
    customer_open: dict[uuid.UUID, int] = defaultdict(int)
    for o in invoiced:
        invoice = o.invoice
        assert invoice is not None
        if invoice["status"] == "open":
            customer_open[invoice["customer_id"]] += 1
        for item in o.statement:
            balances[item["billing_account_id"]] = item["balance_after_cents"]
            if item["invoice_id"] is not None:  # an opening item is already in the balances
                customer_balance[item["customer_id"]] += item["amount_cents"]
    bulk.update_by_id(session, BillingAccount.__table__, [{"id": k, "balance": v} for k, v in balances.items()],
                      set_sql={"balance_cents": "v.balance"}, types={"balance": "bigint"})  # fmt: skip
    customers = [{"id": c, "balance_delta": customer_balance.get(c, 0), "open_delta": customer_open.get(c, 0)}
                 for c in sorted(set(customer_balance) | set(customer_open))]  # fmt: skip
    bulk.update_by_id(session, Customer.__table__, customers,
                      set_sql={"balance_cents": "t.balance_cents + v.balance_delta",
                               "open_invoices_count": "t.open_invoices_count + v.open_delta"},
                      types={"balance_delta": "bigint", "open_delta": "integer"})  # fmt: skip


def _subscriptions(session: Session, moved: list[Outcome], now: Any) -> None:
    rows = []
    for o in moved:
        sub = o.subscription
        start, end = o.new_period or (sub.period_start, sub.period_end)
        canceled = o.new_status is SubscriptionStatus.CANCELED
        rows.append({"id": sub.id, "new_start": start, "new_end": end, "status": (o.new_status or sub.status).value,
                     "old_end": sub.period_end, "canceled_on": sub.period_end if canceled else None,
                     "canceled_at": now if canceled else None, "updated_at": now})  # fmt: skip
    updated = bulk.update_by_id(
        session, Subscription.__table__, rows,
        set_sql={"current_period_start": "v.new_start", "current_period_end": "v.new_end", "status": "v.status",
                 "canceled_on": "COALESCE(v.canceled_on, t.canceled_on)",
                 "canceled_at": "COALESCE(v.canceled_at, t.canceled_at)", "updated_at": "v.updated_at"},
        types={"new_start": "date", "new_end": "date", "status": "varchar", "old_end": "date", "canceled_on": "date",
               "canceled_at": "timestamptz", "updated_at": "timestamptz"},
        guard="t.current_period_end = v.old_end",
    )  # fmt: skip
    if updated != len(rows):
        raise BatchConflict("a subscription of this batch changed meanwhile")


def _failures(
    session: Session, org_id: uuid.UUID, run: uuid.UUID, failed: list[Outcome], invoiced: list[Outcome], now: Any
) -> None:
    if failed:
        session.execute(insert(BillingRunFailure.__table__), [
            {"id": uuid.uuid4(), "organization_id": org_id, "billing_run_id": run, "subscription_id": o.subscription.id,
             "period_start": o.subscription.period_end, "code": o.code[:64], "reason": o.reason, "occurred_at": now,
             "resolved_at": None} for o in failed])  # fmt: skip
    if invoiced:
        table = BillingRunFailure.__table__
        session.execute(
            update(table)
            .where(table.c.organization_id == org_id, table.c.resolved_at.is_(None),
                   bulk.among(session, table.c.subscription_id, [o.subscription.id for o in invoiced]))
            .values(resolved_at=now)
        )  # fmt: skip


def _audit(session: Session, org_id: uuid.UUID, outcomes: list[Outcome], now: Any, *, invoices: bool = True) -> None:
    """One event per invoice created (with the period it moved the subscription to) and one per status change. The
    invoice's changes are serialized here: the same shape 100,000 times."""
    actor = session.info["actor"]
    rows = []
    for o in outcomes:
        sub = o.subscription
        if invoices and o.decision is Decision.INVOICE:
            invoice = o.invoice
            assert invoice is not None
            period = (
                f', "subscription_period": [null, ["{o.new_period[0]}", "{o.new_period[1]}"]]' if o.new_period else ""
            )
            changes = JsonText(
                f'{{"number": [null, {json.dumps(invoice["number"])}], "status": [null, "{invoice["status"]}"], '
                f'"subscription_id": [null, "{sub.id}"], "period_start": [null, "{invoice["period_start"]}"], '
                f'"total_cents": [null, {invoice["total_cents"]}], '
                f'"net_value_cents": [null, {invoice["net_value_cents"]}]{period}}}'
            )  # fmt: skip
            rows.append(_event(org_id, actor, now, "invoice.created", "invoice", invoice["id"], sub.customer_id,
                               changes))  # fmt: skip
        if o.decision is not Decision.FAIL and o.new_status is not None and o.new_status is not sub.status:
            rows.append(_event(org_id, actor, now, f"subscription.{o.new_status.value}", "subscription", sub.id,
                               sub.customer_id, {"status": [sub.status.value, o.new_status.value]}))  # fmt: skip
    bulk.copy_rows(session, AuditEvent.__table__, rows)


def _event(org_id, actor, now, action, entity_type, entity_id, root_id, changes) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {"id": new_id(), "organization_id": org_id, "occurred_at": now, "actor_kind": actor.kind,
            "actor_id": actor.id, "actor_name": actor.name, "action": action, "entity_type": entity_type,
            "entity_id": str(entity_id), "root_id": str(root_id), "changes": changes,
            "reason": billing_run_sql.audit_reason(actor)}  # fmt: skip
