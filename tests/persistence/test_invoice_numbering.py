"""Gapless invoice numbers under real concurrency: PostgreSQL, a connection per operator, all finalizing at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from sqlalchemy import select

from domain.errors import BillingError
from domain.invoices.finalize import finalize_invoice
from domain.organizations.model import NumberSeries
from persistence import database
from persistence.unit_of_work import SqlUnitOfWork
from tests.support import databases
from tests.support.billing_factories import ISSUED, draft, make_account
from tests.support.factories import make_operator, make_organization

OPERATORS = 8


@pytest.fixture
def pg(postgresql_url: str) -> Iterator[str]:
    database.configure(postgresql_url)
    yield postgresql_url
    databases.clean(postgresql_url)


def finalize_together(actor, invoice_ids) -> list[str | BillingError]:  # type: ignore[no-untyped-def]
    """Every operator waits at the barrier, then all finalize at the same moment, each in its own transaction."""
    barrier = threading.Barrier(len(invoice_ids))

    def finalize(invoice_id):  # type: ignore[no-untyped-def]
        barrier.wait()
        try:
            return finalize_invoice(SqlUnitOfWork(actor), invoice_id=invoice_id, issued_on=ISSUED).number
        except BillingError as refusal:
            return refusal

    with ThreadPoolExecutor(max_workers=len(invoice_ids)) as pool:
        return list(pool.map(finalize, invoice_ids))


def next_value(actor) -> int:  # type: ignore[no-untyped-def]
    with SqlUnitOfWork(actor) as uow:
        return uow.session.scalars(select(NumberSeries.next_value)).one()


def test_operators_finalizing_at_once_get_distinct_consecutive_numbers(pg: str) -> None:
    org = make_organization("acme")
    admin = make_operator(org, "admin")
    drafts = [draft(admin, make_account(org)).id for _ in range(OPERATORS)]
    numbers = finalize_together(admin, drafts)
    assert sorted(numbers) == [f"INV-{n:06d}" for n in range(1, OPERATORS + 1)]  # type: ignore[type-var]
    assert next_value(admin) == OPERATORS + 1


def test_finalizations_that_fail_midway_leave_no_gap(pg: str) -> None:
    org = make_organization("acme")
    admin = make_operator(org, "admin")
    good = [draft(admin, make_account(org)).id for _ in range(4)]
    # prepaid accounts without overdraft: refused after taking a number, so their transactions roll back
    bad = [draft(admin, make_account(org, billing_model="prepaid")).id for _ in range(4)]
    results = finalize_together(admin, [i for pair in zip(good, bad, strict=True) for i in pair])
    numbers = sorted(r for r in results if isinstance(r, str))
    assert numbers == ["INV-000001", "INV-000002", "INV-000003", "INV-000004"]
    assert sum(isinstance(r, BillingError) for r in results) == 4
    assert next_value(admin) == 5


def test_a_finalization_waits_for_the_one_holding_the_series(pg: str) -> None:
    org = make_organization("acme")
    admin = make_operator(org, "admin")
    invoice_id = draft(admin, make_account(org)).id
    with psycopg.connect(pg.replace("+psycopg", "")) as holder:
        holder.execute("SELECT next_value FROM number_series WHERE organization_id = %s FOR UPDATE", (org.id,))
        worker = ThreadPoolExecutor(max_workers=1)
        pending = worker.submit(
            lambda: finalize_invoice(SqlUnitOfWork(admin), invoice_id=invoice_id, issued_on=ISSUED).number
        )
        with pytest.raises(TimeoutError):
            pending.result(timeout=0.5)  # blocked on the row lock, not numbered on the side
        holder.execute("UPDATE number_series SET next_value = next_value + 1 WHERE organization_id = %s", (org.id,))
        holder.commit()  # another transaction took INV-000001 meanwhile
    assert pending.result(timeout=10) == "INV-000002"
    worker.shutdown()
