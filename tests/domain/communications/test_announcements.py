"""invoice_created for the billing run's invoices: announced once after the batch commits, and a sweep catches what
a dead worker left, without sending anything twice."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from domain.base import utcnow
from domain.communications.model import OutboxEmail
from domain.invoices.model import Invoice
from jobs.communications import announce_invoices, sweep_unannounced_invoices
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.billing_factories import make_account, open_invoice
from tests.support.subscription_factories import bill, make_plan, subscribe


def emails(admin, event: str = "invoice_created") -> int:  # type: ignore[no-untyped-def]
    with SqlUnitOfWork(admin) as uow:
        return uow.session.scalar(select(func.count()).select_from(OutboxEmail).where(OutboxEmail.event == event))


def cycle_invoices(admin) -> list[str]:  # type: ignore[no-untyped-def]
    with SqlUnitOfWork(admin) as uow:
        return [str(i) for i in uow.session.scalars(select(Invoice.id).where(Invoice.subscription_id.is_not(None)))]


def test_a_billing_run_invoice_is_announced_once_even_when_announced_again(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    subscribe(admin, account, make_plan(admin, "Básico", "100.00"), start_on=date(2026, 10, 1))
    bill(admin, date(2026, 11, 1))
    invoices = cycle_invoices(admin)
    before = emails(admin)
    assert announce_invoices.call_local(str(org.id), invoices) == len(invoices) > 0
    assert announce_invoices.call_local(str(org.id), invoices) == 0
    assert emails(admin) == before + len(invoices)


def test_the_sweep_announces_what_a_dead_worker_left_and_nothing_twice(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    subscribe(admin, account, make_plan(admin, "Básico", "100.00"), start_on=date(2026, 10, 1))
    bill(admin, date(2026, 11, 1))
    announce_invoices.call_local(str(org.id), cycle_invoices(admin)[:1])  # one made it, the worker died
    before = emails(admin)
    assert sweep_unannounced_invoices.call_local() == len(cycle_invoices(admin)) - 1
    assert sweep_unannounced_invoices.call_local() == 0
    assert emails(admin) == before + len(cycle_invoices(admin)) - 1


def test_an_invoice_an_operator_finalized_was_announced_by_the_finalization(org, admin) -> None:  # type: ignore[no-untyped-def]
    invoice = open_invoice(admin, make_account(org))
    assert announce_invoices.call_local(str(org.id), [str(invoice.id)]) == 0
    assert invoice.finalized_at is not None and invoice.finalized_at >= utcnow() - timedelta(minutes=5)


def test_each_committed_batch_of_the_run_is_announced_through_the_queue(org, admin) -> None:  # type: ignore[no-untyped-def]
    from jobs import huey_app

    account = make_account(org)
    subscribe(admin, account, make_plan(admin, "Básico", "100.00"), quantity=2, start_on=date(2026, 10, 1))
    before = emails(admin)
    huey_app.configure(redis_url=None, immediate=True)  # the announcing task runs as soon as it is enqueued
    try:
        bill(admin, date(2026, 11, 1))
    finally:
        huey_app.configure(redis_url=None)
    assert emails(admin) == before + len(cycle_invoices(admin))
    assert sweep_unannounced_invoices.call_local() == 0
