"""Two billing runs at once on PostgreSQL (two workers): they split the work, and the database itself refuses a
second invoice for a subscription period."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from domain.invoices.model import Invoice
from persistence import database
from persistence.unit_of_work import SqlUnitOfWork
from tests.support import databases
from tests.support.billing_factories import make_account
from tests.support.factories import make_operator, make_organization
from tests.support.subscription_factories import bill, make_plan, subscribe

NOV = date(2026, 11, 1)


@pytest.fixture
def pg(postgresql_url: str) -> Iterator[str]:
    database.configure(postgresql_url)
    yield postgresql_url
    databases.clean(postgresql_url)


def invoice_keys(admin) -> list[tuple]:  # type: ignore[no-untyped-def]
    with SqlUnitOfWork(admin) as uow:
        return list(uow.session.execute(select(Invoice.subscription_id, Invoice.period_start, Invoice.number)))


def test_two_concurrent_runs_create_each_invoice_once_with_gapless_numbers(pg: str) -> None:
    org = make_organization("acme")
    admin = make_operator(org, "admin")
    plan = make_plan(admin, "Básico", "100.00")
    for _ in range(12):
        account = make_account(org)
        for _ in range(3):
            subscribe(admin, account, plan, start_on=NOV)
    start = threading.Barrier(2)
    results, errors = [], []

    def worker() -> None:
        try:
            start.wait()
            results.append(bill(admin, date(2026, 12, 1), batch_size=4))
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    keys = invoice_keys(admin)
    assert len(keys) == 72 and len({(k[0], k[1]) for k in keys}) == 72  # 36 subscriptions × 2 periods
    assert sorted(k[2] for k in keys) == [f"INV-{n:06d}" for n in range(1, 73)]
    assert sum(r.created for r in results) == 72 and sum(r.failed for r in results) == 0
    assert bill(admin, date(2026, 12, 1)).created == 0


def test_the_database_refuses_a_second_invoice_for_the_same_subscription_period(pg: str) -> None:
    org = make_organization("acme")
    admin = make_operator(org, "admin")
    subscribe(admin, make_account(org), make_plan(admin, "Básico", "100.00"), start_on=NOV)
    bill(admin, NOV)
    with SqlUnitOfWork(admin) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Invoice)) == 1
        with pytest.raises(IntegrityError, match="uq_invoice_subscription_id_period_start"):
            columns = [c.name for c in Invoice.__table__.columns if c.name not in ("id", "number")]
            uow.session.execute(text(
                f"INSERT INTO invoice (id, {', '.join(columns)}) SELECT gen_random_uuid(), "
                f"{', '.join('i.' + c for c in columns)} FROM invoice i"
            ))  # fmt: skip
