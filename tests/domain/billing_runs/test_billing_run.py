"""The daily billing run on both databases: one invoice per subscription period whatever happens (repeats, restarts,
manual invoices), trials, drafts or open invoices per the organization, withholdings, statement and failures."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from domain.billing_accounts import services as accounts
from domain.billing_accounts.model import BillingAccount
from domain.billing_runs.model import BillingRun, BillingRunFailure, RunStatus
from domain.billing_runs.services import run_date_for
from domain.customers.model import Customer
from domain.invoices import services as invoice_services
from domain.invoices.finalize import finalize_invoice
from domain.invoices.model import Invoice, InvoiceReason, LineType
from domain.statements.model import StatementItem
from domain.subscriptions import services as subscriptions
from domain.subscriptions.model import Subscription, SubscriptionStatus
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.billing_factories import make_account
from tests.support.subscription_factories import bill, make_plan, reload, set_account, set_preference, subscribe

NOV = date(2026, 11, 1)


def invoices(admin) -> list[Invoice]:  # type: ignore[no-untyped-def]
    with SqlUnitOfWork(admin) as uow:
        found = list(uow.session.scalars(select(Invoice).options(selectinload(Invoice.lines))
                                          .order_by(Invoice.created_at, Invoice.number)))  # fmt: skip
        uow.commit()
        return found


def statement(admin, account) -> list[StatementItem]:  # type: ignore[no-untyped-def]
    with SqlUnitOfWork(admin) as uow:
        found = list(uow.session.scalars(select(StatementItem).where(StatementItem.billing_account_id == account.id)
                                          .order_by(StatementItem.sequence)))  # fmt: skip
        uow.commit()
        return found


def test_the_run_invoices_each_due_period_once_with_withholdings_statement_and_advanced_periods(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org, name="Metalúrgica Horizonte Ltda", withhold_ir=True, withhold_csrf=True)
    plan = make_plan(admin, "Consultoria mensal", "1000.00", service="consultoria")
    sub = subscribe(admin, account, plan, quantity=2, start_on=NOV)
    first = bill(admin, NOV)
    assert (first.created, first.skipped, first.failed) == (1, 0, 0)
    assert bill(admin, NOV).created == 0  # repeated: nothing new
    (invoice,) = invoices(admin)
    assert (invoice.number, invoice.status.value, invoice.reason) == (
        "INV-000001",
        "open",
        InvoiceReason.SUBSCRIPTION_CREATE,
    )
    assert (invoice.period_start, invoice.period_end, invoice.due_on) == (NOV, date(2026, 11, 30), date(2026, 11, 11))
    assert invoice.total_cents == 200_000 and invoice.irrf_cents == 3_000 and invoice.csll_cents == 2_000
    assert invoice.net_value_cents == 187_700 and invoice.withheld_cents == 12_300
    assert invoice.snapshot["account"]["name"] == "Metalúrgica Horizonte Ltda — Matriz"
    (line,) = invoice.lines
    assert (line.type, line.quantity, line.unit_amount_cents, line.amount_cents) == (
        LineType.SUBSCRIPTION,
        2,
        100_000,
        200_000,
    )
    assert (
        line.service_code == "17.01" and line.description == "Assinatura Consultoria mensal — 01/11/2026 a 30/11/2026"
    )
    renewed = reload(admin, Subscription, sub.id)
    assert (renewed.current_period_start, renewed.current_period_end) == (NOV, date(2026, 12, 1))
    (debit,) = statement(admin, account)
    assert debit.amount_cents == -187_700 and debit.description == "Fatura INV-000001 (vencimento 11/11/2026)"
    assert reload(admin, BillingAccount, account.id).balance_cents == -187_700
    customer = reload(admin, Customer, account.customer_id)
    assert (customer.balance_cents, customer.open_invoices_count, customer.mrr_cents) == (-187_700, 1, 200_000)
    second = bill(admin, date(2026, 12, 1))
    assert second.created == 1 and [i.number for i in invoices(admin)] == ["INV-000001", "INV-000002"]
    assert invoices(admin)[1].reason is InvoiceReason.SUBSCRIPTION_CYCLE
    run = reload(admin, BillingRun, second.run_id)
    assert run.status is RunStatus.FINISHED and run.created == 1 and run.finished_at is not None
    assert run.duration_ms is not None


def test_a_subscription_behind_by_several_periods_gets_one_invoice_per_period(org, admin) -> None:  # type: ignore[no-untyped-def]
    sub = subscribe(admin, make_account(org), make_plan(admin, "Básico", "100.00"), start_on=NOV)
    assert bill(admin, date(2027, 2, 15)).created == 4  # 01/11, 01/12, 01/01, 01/02
    assert sorted(i.period_start for i in invoices(admin)) == [
        NOV,
        date(2026, 12, 1),
        date(2027, 1, 1),
        date(2027, 2, 1),
    ]
    assert reload(admin, Subscription, sub.id).current_period_end == date(2027, 3, 1)
    assert bill(admin, date(2027, 2, 15)).created == 0


def test_pending_proration_lands_on_the_next_invoice_exactly_once(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    basic, pro = make_plan(admin, "Básico", "100.00"), make_plan(admin, "Pro", "200.00")
    sub = subscribe(admin, account, basic, start_on=NOV)
    bill(admin, NOV)
    subscriptions.change_subscription(SqlUnitOfWork(admin), subscription_id=sub.id, plan_id=pro.id, quantity=1,
                                      changed_on=date(2026, 11, 16))  # fmt: skip
    bill(admin, date(2026, 12, 1))
    bill(admin, date(2027, 1, 1))
    december, january = invoices(admin)[1:]
    assert [(line.type.value, line.amount_cents) for line in december.lines] == [
        ("subscription", 20_000), ("proration", -5_000), ("proration", 10_000)]  # fmt: skip
    assert december.total_cents == 25_000
    credit = december.lines[1]
    assert credit.details["days_remaining"] == 15 and credit.details["old_plan"] == "Básico"
    assert credit.details["kind"] == "credit" and "proration_id" in credit.details
    assert [line.type.value for line in january.lines] == ["subscription"]


def test_a_downgrade_worth_more_than_the_invoice_carries_the_credit_forward(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    big, small = make_plan(admin, "Grande", "3000.00"), make_plan(admin, "Pequeno", "10.00")
    sub = subscribe(admin, account, big, start_on=NOV)
    bill(admin, NOV)
    subscriptions.change_subscription(SqlUnitOfWork(admin), subscription_id=sub.id, plan_id=small.id, quantity=1,
                                      changed_on=date(2026, 11, 2))  # fmt: skip
    bill(admin, date(2026, 12, 1))
    december = invoices(admin)[1]
    assert december.total_cents == 0 and december.status.value == "paid"
    bill(admin, date(2027, 1, 1))
    january = invoices(admin)[2]
    carried = sum(line.amount_cents for line in december.lines if line.details.get("kind") == "carry_over")
    assert carried > 0 and january.total_cents == 0  # the carried credit still exceeds one month of R$ 10,00
    assert any(line.description == "Crédito proporcional de fatura anterior" for line in january.lines)


def test_a_trial_is_invoiced_at_its_end_only_with_a_payment_method(org, admin) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(admin, "Pro", "200.00")
    paying, without = make_account(org, name="Com Cartão Ltda"), make_account(org, name="Sem Meio Ltda")
    set_account(admin, without.id, auto_collection=False)
    with_card = subscribe(admin, paying, plan, start_on=NOV, trial_days=14)
    no_card = subscribe(admin, without, plan, start_on=NOV, trial_days=14)
    assert bill(admin, date(2026, 11, 14)).created == 0  # trials still running
    summary = bill(admin, date(2026, 11, 15))
    assert (summary.created, summary.skipped) == (1, 1)
    (invoice,) = invoices(admin)
    assert invoice.subscription_id == with_card.id and invoice.period_start == date(2026, 11, 15)
    assert reload(admin, Subscription, with_card.id).status is SubscriptionStatus.ACTIVE
    waiting = reload(admin, Subscription, no_card.id)
    assert waiting.status is SubscriptionStatus.PAST_DUE and waiting.awaiting_payment_method
    assert reload(admin, BillingAccount, without.id).mrr_amount_cents == 0
    assert reload(admin, BillingAccount, paying.id).mrr_amount_cents == 20_000
    assert bill(admin, date(2026, 11, 20)).created == 0  # still no payment method: nothing, nothing counted
    set_account(admin, without.id, auto_collection=True)
    assert bill(admin, date(2026, 11, 20)).created == 1
    assert reload(admin, Subscription, no_card.id).status is SubscriptionStatus.ACTIVE


def test_the_organization_setting_decides_between_drafts_and_open_invoices(org, admin) -> None:  # type: ignore[no-untyped-def]
    set_preference(admin, "invoice_finalization", "draft")
    account = make_account(org, withhold_ir=True)
    subscribe(admin, account, make_plan(admin, "Consultoria", "1000.00", service="consultoria"), start_on=NOV)
    bill(admin, NOV)
    (invoice,) = invoices(admin)
    assert invoice.status.value == "draft" and invoice.number is None and invoice.irrf_cents == 1_500
    assert statement(admin, account) == [] and reload(admin, BillingAccount, account.id).balance_cents == 0
    finalized = finalize_invoice(SqlUnitOfWork(admin), invoice_id=invoice.id, issued_on=NOV)
    assert finalized.number == "INV-000001" and finalized.net_value_cents == 98_500


def test_one_failing_subscription_is_recorded_with_its_reason_and_retried_later(org, admin) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(admin, "Básico", "100.00")
    good = [make_account(org) for _ in range(3)]
    bad = make_account(org, name="Suspensa Ltda")
    for account in [*good, bad]:
        subscribe(admin, account, plan, start_on=NOV)
    accounts.suspend_billing_account(SqlUnitOfWork(admin), account_id=bad.id, reason="Inadimplência")
    summary = bill(admin, NOV)
    assert (summary.created, summary.failed) == (3, 1)
    with SqlUnitOfWork(admin) as uow:
        (failure,) = uow.session.scalars(select(BillingRunFailure)).all()
        assert "Suspensa Ltda — Matriz" in failure.reason and "não recebe novas faturas" in failure.reason
        assert failure.resolved_at is None and failure.period_start == NOV
    assert reload(admin, BillingRun, summary.run_id).failed == 1
    assert bill(admin, NOV).failed == 1  # still suspended: recorded again, nothing invoiced
    accounts.reactivate_billing_account(SqlUnitOfWork(admin), account_id=bad.id, reason="Pagou")
    assert bill(admin, NOV).created == 1
    with SqlUnitOfWork(admin) as uow:
        assert all(f.resolved_at is not None for f in uow.session.scalars(select(BillingRunFailure)))
    assert len(invoices(admin)) == 4


def test_a_run_killed_after_its_first_batch_is_resumed_and_completes_without_duplicates(org, admin) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(admin, "Básico", "100.00")
    for _ in range(5):
        subscribe(admin, make_account(org), plan, start_on=NOV)

    def die(batch: int) -> None:
        raise SystemExit("worker killed")

    with pytest.raises(SystemExit):
        bill(admin, NOV, batch_size=2, after_batch=die, workers=1)
    assert len(invoices(admin)) == 2
    with SqlUnitOfWork(admin) as uow:
        (stuck,) = uow.session.scalars(select(BillingRun)).all()
        assert stuck.status is RunStatus.RUNNING and stuck.cursor is not None and stuck.created == 2
        stuck_id = stuck.id
    resumed = bill(admin, NOV, batch_size=2, workers=1)
    assert resumed.resumed and resumed.run_id == stuck_id and resumed.created == 3
    numbers = sorted(i.number for i in invoices(admin))
    assert numbers == [f"INV-00000{n}" for n in range(1, 6)]  # gapless, no duplicates
    assert reload(admin, BillingRun, stuck_id).created == 5


def test_an_invoice_made_by_hand_for_the_period_is_not_duplicated(org, admin) -> None:  # type: ignore[no-untyped-def]
    from tests.support.billing_factories import consulting

    account = make_account(org)
    sub = subscribe(admin, account, make_plan(admin, "Básico", "100.00"), start_on=NOV)
    invoice_services.create_invoice(SqlUnitOfWork(admin), billing_account_id=account.id, lines=[consulting(admin)],
                                    subscription_id=sub.id, period_start=NOV, due_on=date(2026, 11, 20))  # fmt: skip
    summary = bill(admin, NOV)
    assert (summary.created, summary.skipped) == (0, 1)
    assert len(invoices(admin)) == 1 and reload(admin, Subscription, sub.id).current_period_end == date(2026, 12, 1)


def test_the_run_date_is_the_organizations_calendar_day_whatever_the_clock(org, admin) -> None:  # type: ignore[no-untyped-def]
    sub = subscribe(admin, make_account(org), make_plan(admin, "Básico", "100.00"), start_on=NOV)
    bill(admin, NOV)
    # 01:00 UTC on 1 December is still 30 November in São Paulo: the period ending 01/12 is not due yet.
    late_evening = run_date_for("America/Sao_Paulo", datetime(2026, 12, 1, 1, 0, tzinfo=UTC))
    assert late_evening == date(2026, 11, 30)
    assert bill(admin, late_evening).created == 0
    after_midnight = run_date_for("America/Sao_Paulo", datetime(2026, 12, 1, 3, 30, tzinfo=UTC))
    assert after_midnight == date(2026, 12, 1)
    assert bill(admin, after_midnight).created == 1
    # Another organization's clock (Tokyo is already on 2 December) bills the same period, never twice.
    assert bill(admin, run_date_for("Asia/Tokyo", datetime(2026, 12, 1, 16, 0, tzinfo=UTC))).created == 0
    assert reload(admin, Subscription, sub.id).current_period_end == date(2027, 1, 1)


def test_account_credit_is_used_and_the_statement_opens_with_the_earlier_balance(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org, balance_cents=30_000)  # credit from before the ledger: no statement item yet
    subscribe(admin, account, make_plan(admin, "Básico", "100.00"), quantity=2, start_on=NOV)
    bill(admin, NOV)
    (invoice,) = invoices(admin)
    assert (invoice.total_cents, invoice.credit_applied_cents, invoice.net_value_cents) == (0, 20_000, 0)
    assert invoice.status.value == "paid"
    assert [(line.description, line.amount_cents) for line in invoice.lines][-1] == ("Crédito em conta utilizado",
                                                                                      -20_000)  # fmt: skip
    opening, debit = statement(admin, account)
    assert (opening.description, opening.amount_cents, opening.balance_after_cents) == (
        "Saldo anterior ao extrato", 30_000, 30_000)  # fmt: skip
    assert (debit.sequence, debit.amount_cents, debit.balance_after_cents) == (2, -20_000, 10_000)
    assert reload(admin, BillingAccount, account.id).balance_cents == 10_000
    customer = reload(admin, Customer, account.customer_id)
    assert (customer.balance_cents, customer.open_invoices_count) == (10_000, 0)
