"""The billing run as Huey tasks on the real queues: scheduled at 01:00 UTC, one task per organization, idempotent;
on PostgreSQL with two consumers taking the same run at once, no invoice is created twice."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from domain.invoices.model import Invoice
from jobs import huey_app
from jobs.billing import run_organization_billing, schedule_billing_runs
from persistence import database
from persistence.unit_of_work import SqlUnitOfWork
from tests.jobs.test_queue import run_pending
from tests.support import databases
from tests.support.billing_factories import make_account
from tests.support.factories import make_operator, make_organization
from tests.support.subscription_factories import make_plan, subscribe

NOV = date(2026, 11, 1)


def invoice_count(actor) -> int:  # type: ignore[no-untyped-def]
    with SqlUnitOfWork(actor) as uow:
        return uow.session.scalar(select(func.count()).select_from(Invoice)) or 0


def due_subscriptions(org, admin, n: int) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(admin, "Básico", "100.00")
    for _ in range(n):
        subscribe(admin, make_account(org), plan, start_on=NOV)


def test_the_schedule_fires_at_one_in_the_morning_utc() -> None:
    schedule = schedule_billing_runs.task_class()
    assert schedule.validate_datetime(datetime(2026, 12, 1, 1, 0))
    assert not schedule.validate_datetime(datetime(2026, 12, 1, 4, 0))  # 01:00 in São Paulo is not the time


def test_the_schedule_enqueues_one_run_per_organization_and_a_repeat_creates_nothing(queue: str, sqlite_only) -> None:  # type: ignore[no-untyped-def]
    acme, globex = make_organization("acme"), make_organization("globex")
    admins = [make_operator(acme, "admin"), make_operator(globex, "admin")]
    due_subscriptions(acme, admins[0], 2)
    due_subscriptions(globex, admins[1], 1)
    schedule_billing_runs()
    assert run_pending() == 5  # the schedule, one run per organization, and each run announcing its invoices
    assert [invoice_count(a) for a in admins] == [2, 1]
    result = run_organization_billing(str(acme.id), "2026-11-01", "manual")
    assert run_pending() == 1  # nothing new to announce
    assert result.get(blocking=True, timeout=10)["created"] == 0
    assert invoice_count(admins[0]) == 2


@pytest.fixture
def pg_redis(postgresql_url: str) -> Iterator[str]:
    database.configure(postgresql_url)
    huey_app.configure(redis_url=databases.require_redis(), name=f"fatura-test-billing-{threading.get_ident()}")
    yield postgresql_url
    huey_app.huey.storage.flush_all()
    huey_app.configure(redis_url=None)
    databases.clean(postgresql_url)


def test_two_consumers_running_the_same_organization_at_once_create_no_duplicate(pg_redis: str) -> None:
    org = make_organization("acme")
    admin = make_operator(org, "admin")
    due_subscriptions(org, admin, 30)
    consumers = [huey_app.huey.create_consumer(workers=1, worker_type="thread", periodic=False,
                                               check_worker_health=False) for _ in range(2)]  # fmt: skip
    results = [run_organization_billing(str(org.id), "2026-12-01", "manual") for _ in range(2)]
    for consumer in consumers:
        consumer.start()
    try:
        done = [r.get(blocking=True, timeout=120) for r in results]
    finally:
        for consumer in consumers:
            consumer.stop(graceful=True)
    assert sum(d["created"] for d in done) == 60 and sum(d["failed"] for d in done) == 0
    with SqlUnitOfWork(admin) as uow:
        keys = list(uow.session.execute(select(Invoice.subscription_id, Invoice.period_start, Invoice.number)))
    assert len(keys) == 60 and len({(k[0], k[1]) for k in keys}) == 60 and len({k[2] for k in keys}) == 60
