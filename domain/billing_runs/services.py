"""The daily billing run: every subscription whose current period ended on or before the run date gets the invoice
of its next period, once. Batches of `BATCH_SIZE`, each its own transaction:

1. select the due subscriptions after the cursor (keyset on account and id; on PostgreSQL `FOR UPDATE SKIP
   LOCKED`, so two workers split the work instead of waiting), with their account, plan and pending prorations,
   in one query each;
2. decide and compose each one in memory (domain/billing_runs/compose.py), a refusal becoming a failure;
3. write invoices, lines, statement items, periods, balances, MRR and counts set-based; the unique constraint on
   invoice(subscription_id, period_start) is the last word: a duplicate is impossible, not merely checked.

A batch that fails as a whole (an unexpected error) is retried one subscription at a time, so one bad row is
recorded as a failure and the rest are invoiced. The cursor is committed with each batch: a run whose worker died is
resumed by the next start. When a pass reaches the end it starts again from the beginning while the previous pass
changed something (a subscription several periods behind gets one period per pass), so the run ends with nothing due
but the failures and the trials waiting for a payment method.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from domain.access.permissions import Permission
from domain.billing_runs.compose import Decision, Outcome, decide, number_invoices
from domain.billing_runs.events import events_of, publish
from domain.billing_runs.model import BillingRun
from domain.billing_runs.ports import BillingRunUnitOfWork
from domain.calendar import DEFAULT_TIMEZONE
from domain.errors import BillingError

log = logging.getLogger(__name__)
BATCH_SIZE = 2000
MAX_PASSES = 120  # ten years of monthly periods behind, one per pass


@dataclass
class RunSummary:
    run_id: uuid.UUID
    run_date: date
    created: int = 0
    skipped: int = 0
    failed: int = 0
    resumed: bool = False
    seconds: float = 0.0
    events: list[tuple[str, str]] = field(default_factory=list)  # (event name, entity id): see events.py

    def as_dict(self) -> dict[str, object]:
        return {"run_id": str(self.run_id), "run_date": self.run_date.isoformat(), "created": self.created,
                "skipped": self.skipped, "failed": self.failed, "resumed": self.resumed,
                "seconds": round(self.seconds, 3)}  # fmt: skip


def run_date_for(timezone: str | None, now: datetime) -> date:
    """The organization's calendar day at `now` (the scheduled run at 01:00 UTC is still the previous day in São
    Paulo, so it bills periods that ended up to that day; the key is a date, never a timestamp)."""
    return now.astimezone(ZoneInfo(timezone or DEFAULT_TIMEZONE)).date()


def run_billing(
    new_uow: Callable[[], BillingRunUnitOfWork],
    *,
    run_date: date,
    trigger: str = "schedule",
    batch_size: int = BATCH_SIZE,
    after_batch: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> RunSummary:
    """Run (or resume, or join) the organization's billing run up to `run_date`. `after_batch` is called with the
    batch number after each commit (progress; tests use it to kill a run half-way). `workers` threads share the run
    (default: 2 on PostgreSQL, where one computes its batch while the other's is being written; 1 on SQLite)."""
    started = time.perf_counter()
    with new_uow() as uow:
        uow.actor.require(Permission.BILLING_RUN)
        run, resumed = uow.billing_runs.start_or_join(run_date, trigger=trigger, started_by=uow.actor.name)
        run_id, cursor, run_date = run.id, _cursor(run.cursor), run.run_date
        uow.commit()
    summary = RunSummary(run_id, run_date, resumed=resumed)
    with new_uow() as uow:
        ctx = uow.billing_runs.context(run_date)
        uow.commit()  # nothing written; committing keeps what was loaded (a rollback would expire it)
    cache: dict = {}
    count = workers or (2 if ctx.set_based else 1)
    lock, errors = threading.Lock(), []

    def work() -> None:
        try:
            _loop(new_uow, run_id, ctx, cache, summary, lock, cursor=cursor, batch_size=batch_size,
                  after_batch=after_batch)  # fmt: skip
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, name=f"billing-run-{n}") for n in range(count - 1)]
    with _collector_spared():
        for thread in threads:
            thread.start()
        work()
        for thread in threads:
            thread.join()
        if threads and not errors:  # a last sweep alone: what one worker left to the other is certainly free now
            work()
    if errors:
        raise errors[0]
    with new_uow() as uow:
        uow.billing_runs.finish(run_id)
        uow.commit()
    summary.seconds = time.perf_counter() - started
    return summary


def _loop(new_uow, run_id, ctx, cache, summary, lock, *, cursor, batch_size, after_batch) -> None:  # type: ignore[no-untyped-def]
    """Batches after the cursor until a pass finds nothing due and the previous pass changed nothing. Two loops may
    run at once: SKIP LOCKED gives each its own subscriptions and accounts."""
    batch_number, passes, changed_in_pass = 0, 0, False
    while passes < MAX_PASSES:
        try:
            done = _batch(new_uow, run_id, ctx, cache, summary, after=cursor, limit=batch_size)
        except Exception:
            log.exception("billing run batch failed; redoing it one subscription at a time", extra={"run": str(run_id)})
            done = _one_by_one(new_uow, run_id, ctx, cache, summary, after=cursor, limit=batch_size)
        if done is None:  # the end of a pass
            passes += 1
            if cursor is None and not changed_in_pass:
                break
            cursor, changed_in_pass = None, False
            with new_uow() as uow:
                uow.billing_runs.set_cursor(run_id, None)
                uow.commit()
            continue
        cursor, counts = done
        with lock:
            for key in ("created", "skipped", "failed"):
                setattr(summary, key, getattr(summary, key) + counts[key])
        changed_in_pass = changed_in_pass or counts["created"] > 0 or counts["skipped"] > 0
        batch_number += 1
        if after_batch is not None:
            after_batch(batch_number)


def _batch(new_uow, run_id, ctx, cache, summary, *, after, limit, only=None):  # type: ignore[no-untyped-def]
    """One transaction: select (and lock) the due subscriptions, decide, write. None when nothing is due."""
    with new_uow() as uow:
        uow.describe("billing_run.batch")
        selected, accounts = uow.billing_runs.due_batch(run_id, ctx.run_date, after=after, limit=limit, only=only)
        if not selected:
            return None
        subs = [sub for sub in selected if sub.billing_account_id in accounts]  # the rest: another worker's account
        if not subs:
            return _key(selected[-1]), {"created": 0, "skipped": 0, "failed": 0}
        outcomes: list[Outcome] = [
            decide(sub, accounts[sub.billing_account_id], ctx, cache, invoiced=sub.already_invoiced) for sub in subs
        ]
        wanted = sum(1 for o in outcomes if o.decision is Decision.INVOICE)

        def numbers() -> None:  # as late as possible: the series stays locked until this batch commits
            if ctx.finalize and wanted:
                number_invoices(outcomes, uow.billing_runs.take_numbers(wanted), describe=not ctx.set_based)

        counts = uow.billing_runs.write_batch(run_id, outcomes, cursor=_key(selected[-1]), ctx=ctx,
                                              before_invoices=numbers)  # fmt: skip
        uow.commit()
    emitted = events_of(outcomes)
    summary.events.extend(emitted)
    publish(ctx.organization_id, emitted)
    return _key(selected[-1]), counts


def _one_by_one(new_uow, run_id, ctx, cache, summary, *, after, limit):  # type: ignore[no-untyped-def]
    with new_uow() as uow:
        subs, _ = uow.billing_runs.due_batch(run_id, ctx.run_date, after=after, limit=limit)
    if not subs:
        return None
    counts = {"created": 0, "skipped": 0, "failed": 0}
    for sub in subs:
        try:
            done = _batch(new_uow, run_id, ctx, cache, summary, after=None, limit=1, only=[sub.id])
            one = done[1] if done else {"created": 0, "skipped": 0, "failed": 0}
        except Exception as error:
            log.exception("billing run: subscription failed", extra={"subscription": str(sub.id)})
            known = isinstance(error, BillingError)
            reason = error.message if known else f"Erro inesperado ao faturar: {str(error)[:300]}"
            code = error.code if known else "unexpected_error"
            with new_uow() as uow:
                uow.billing_runs.record_failures(run_id, [(sub.id, sub.period_end, code, reason)])
                uow.billing_runs.set_cursor(run_id, _key(sub))
                uow.commit()
            one = {"created": 0, "skipped": 0, "failed": 1}
        for key in counts:
            counts[key] += one[key]
    return _key(subs[-1]), counts


_spared_lock, _spared_runs = threading.Lock(), [0]


@contextmanager
def _collector_spared() -> Iterator[None]:
    """A batch allocates a few objects per subscription, and every few batches the garbage collector scanned all the
    process had loaded before the run (the app's modules and caches): a quarter of the run's Python CPU, under the
    GIL both workers share. Frozen, those objects are left out of the scans until the last run of the process ends
    (runs of several organizations may overlap); what the run creates is collected as usual (as in jobs/imports.py)."""
    with _spared_lock:
        _spared_runs[0] += 1
        gc.freeze()
    try:
        yield
    finally:
        with _spared_lock:
            _spared_runs[0] -= 1
            if not _spared_runs[0]:
                gc.unfreeze()


def _key(sub) -> tuple[uuid.UUID, uuid.UUID]:  # type: ignore[no-untyped-def]
    """Batches follow (billing account, subscription): an account's subscriptions travel together, so its balance,
    statement and customer move once per run instead of once per batch that happens to touch them."""
    return sub.billing_account_id, sub.id


def _cursor(value: str | None) -> tuple[uuid.UUID, uuid.UUID] | None:
    if not value or ":" not in value:
        return None
    account, subscription = value.split(":", 1)
    return uuid.UUID(account), uuid.UUID(subscription)


__all__ = ["BATCH_SIZE", "BillingRun", "RunSummary", "run_billing", "run_date_for"]
