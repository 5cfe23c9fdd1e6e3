"""The Painel's receivables: what is still owed, by days past the due date, and the invoices in each state."""

from __future__ import annotations

from datetime import date, timedelta

from domain.invoices.closing import void_invoice
from domain.invoices.finalize import finalize_invoice
from domain.payments.services import record_payment
from persistence.queries.receivables import invoices_by_state, receivables_by_age
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.billing_factories import draft, make_account, open_invoice

TODAY = date(2026, 11, 21)


def due(admin, account, days_late: int):  # type: ignore[no-untyped-def]
    """An open invoice issued ten days before its due date, `days_late` days before TODAY."""
    due_on = TODAY - timedelta(days=days_late)
    invoice = draft(admin, account, due_on=due_on)
    return finalize_invoice(SqlUnitOfWork(admin), invoice_id=invoice.id, issued_on=due_on - timedelta(days=10))


def test_open_invoices_fall_in_the_bucket_of_their_days_past_due(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    amounts = {}
    for days_late in (-5, 0, 1, 30, 31, 75, 91, 400):
        invoice = due(admin, account, days_late)
        amounts[days_late] = invoice.net_value_cents
    buckets = receivables_by_age(admin, TODAY)
    assert [(b.label, b.invoices) for b in buckets] == [
        ("A vencer", 2), ("1–30 dias", 2), ("31–60 dias", 1), ("61–90 dias", 1), ("> 90 dias", 2),
    ]  # fmt: skip
    assert buckets[0].outstanding_cents == amounts[-5] + amounts[0]
    assert buckets[4].outstanding_cents == amounts[91] + amounts[400]


def test_a_partial_payment_lowers_what_is_owed_and_paid_or_void_invoices_are_not_owed(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    partly = due(admin, account, 10)
    record_payment(SqlUnitOfWork(admin), invoice_id=partly.id, amount_cents=1_000, paid_on=TODAY)
    paid = due(admin, account, 10)
    record_payment(SqlUnitOfWork(admin), invoice_id=paid.id, amount_cents=paid.net_value_cents, paid_on=TODAY)
    voided = due(admin, account, 10)
    void_invoice(SqlUnitOfWork(admin), invoice_id=voided.id, reason="emitida em duplicidade")
    late = receivables_by_age(admin, TODAY)[1]
    assert (late.invoices, late.outstanding_cents) == (1, partly.net_value_cents - 1_000)


def test_invoices_are_counted_and_summed_per_state_in_the_lifecycle_order(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    draft(admin, account)
    first, second = open_invoice(admin, account), open_invoice(admin, account)
    states = invoices_by_state(admin)
    assert [s.label for s in states] == ["Rascunho", "Em aberto", "Paga", "Cancelada", "Incobrável"]
    assert (states[1].invoices, states[1].total_cents) == (2, first.total_cents + second.total_cents)
    assert (states[0].invoices, states[2].invoices) == (1, 0)
