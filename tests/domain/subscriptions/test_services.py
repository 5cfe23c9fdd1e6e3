"""Plans and subscriptions through their use cases: MRR kept equal to the active subscriptions, changes with their
proration waiting for the next invoice, cancellations, and refusals in pt-BR."""

from __future__ import annotations

from datetime import date

import pytest

from domain.billing_accounts.model import BillingAccount
from domain.customers.model import Customer
from domain.errors import BillingError
from domain.subscriptions import services as subscriptions
from domain.subscriptions.model import Subscription, SubscriptionStatus
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.billing_factories import make_account
from tests.support.subscription_factories import bill, make_plan, reload, subscribe


def mrr(admin, account) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    found = reload(admin, BillingAccount, account.id)
    return found.mrr_amount_cents, reload(admin, Customer, account.customer_id).mrr_cents


def change(admin, sub, plan, quantity, on):  # type: ignore[no-untyped-def]
    return subscriptions.change_subscription(SqlUnitOfWork(admin), subscription_id=sub.id, plan_id=plan.id,
                                             quantity=quantity, changed_on=on)  # fmt: skip


def test_account_and_customer_mrr_follow_the_active_subscriptions(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    monthly, yearly = make_plan(admin, "Mensal", "100.00"), make_plan(admin, "Anual", "1000.00", interval="year")
    subscribe(admin, account, monthly, quantity=3)
    assert mrr(admin, account) == (30_000, 30_000)
    subscribe(admin, account, yearly)  # 100000 / 12 = 8333,33
    assert mrr(admin, account) == (38_333, 38_333)
    subscribe(admin, account, monthly, trial_days=14)  # a trial is not revenue yet
    assert mrr(admin, account) == (38_333, 38_333)


def test_a_change_mid_period_stores_the_proration_for_the_next_invoice_and_moves_mrr(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    basic, pro = make_plan(admin, "Básico", "100.00"), make_plan(admin, "Pro", "200.00")
    sub = subscribe(admin, account, basic, start_on=date(2026, 11, 1))
    bill(admin, date(2026, 11, 1))  # first period invoiced: [01/11, 01/12)
    preview = subscriptions.preview_change(SqlUnitOfWork(admin), subscription_id=sub.id, plan_id=pro.id, quantity=1,
                                           changed_on=date(2026, 11, 16))  # fmt: skip
    stored = change(admin, sub, pro, 1, date(2026, 11, 16))
    assert [line.amount_cents for line in stored.lines] == [line.amount_cents for line in preview.lines]
    assert [line.amount_cents for line in stored.lines] == [-5_000, 10_000]
    assert mrr(admin, account) == (20_000, 20_000)
    with SqlUnitOfWork(admin) as uow:
        pending = uow.subscriptions.pending_prorations(sub.id)
        assert [(p.amount_cents, p.details["old_plan"], p.details["new_plan"]) for p in pending] == [
            (-5_000, "Básico", "Pro"), (10_000, "Básico", "Pro")]  # fmt: skip


def test_before_its_first_invoice_a_subscription_changes_without_proration(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    basic, pro = make_plan(admin, "Básico", "100.00"), make_plan(admin, "Pro", "200.00")
    sub = subscribe(admin, account, basic, start_on=date(2026, 11, 1))
    preview = change(admin, sub, pro, 2, date(2026, 11, 1))
    assert preview.lines == ()
    assert reload(admin, Subscription, sub.id).quantity == 2 and mrr(admin, account) == (40_000, 40_000)


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("interval", "mesma periodicidade"),
        ("quantity", "A quantidade deve ser um número inteiro entre 1 e 100.000."),
        ("same", "nada mudaria"),
        ("outside", "A data da alteração deve estar no período atual (01/11/2026 a 30/11/2026)."),
    ],
)
def test_changes_that_cannot_be_made_are_refused_in_portuguese(org, admin, kind, message) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    basic = make_plan(admin, "Básico", "100.00")
    sub = subscribe(admin, account, basic, start_on=date(2026, 11, 1))
    bill(admin, date(2026, 11, 1))
    target, quantity, on = basic, 2, date(2026, 11, 10)
    if kind == "interval":
        target = make_plan(admin, "Anual", "1000.00", interval="year")
    elif kind == "quantity":
        quantity = 0
    elif kind == "same":
        quantity = 1
    else:
        on = date(2026, 12, 1)
    with pytest.raises(BillingError) as refusal:
        change(admin, sub, target, quantity, on)
    assert message in refusal.value.message


def test_a_plan_name_is_unique_and_needs_a_positive_amount(org, admin) -> None:  # type: ignore[no-untyped-def]
    make_plan(admin, "Pro", "100.00")
    with pytest.raises(BillingError, match="Já existe um plano chamado “pro”"):
        make_plan(admin, "pro", "150.00")
    with pytest.raises(BillingError, match="maior que zero"):
        make_plan(admin, "Grátis", "0")


def test_canceling_now_stops_billing_discards_pending_proration_and_drops_mrr(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    basic, pro = make_plan(admin, "Básico", "100.00"), make_plan(admin, "Pro", "200.00")
    sub = subscribe(admin, account, basic, start_on=date(2026, 11, 1))
    bill(admin, date(2026, 11, 1))
    change(admin, sub, pro, 1, date(2026, 11, 16))
    with pytest.raises(BillingError, match="Informe o motivo"):
        subscriptions.cancel_subscription(SqlUnitOfWork(admin), subscription_id=sub.id, at_period_end=False, reason="")
    subscriptions.cancel_subscription(SqlUnitOfWork(admin), subscription_id=sub.id, at_period_end=False,
                                      reason="Cliente encerrou o contrato", canceled_on=date(2026, 11, 20))  # fmt: skip
    canceled = reload(admin, Subscription, sub.id)
    assert canceled.status is SubscriptionStatus.CANCELED and canceled.canceled_on == date(2026, 11, 20)
    assert mrr(admin, account) == (0, 0)
    with SqlUnitOfWork(admin) as uow:
        assert uow.subscriptions.pending_prorations(sub.id) == []
    assert bill(admin, date(2026, 12, 1)).created == 0
    with pytest.raises(BillingError, match="está cancelada"):
        change(admin, sub, basic, 2, date(2026, 11, 25))


def test_canceling_at_period_end_lets_the_run_cancel_it_instead_of_invoicing(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    sub = subscribe(admin, account, make_plan(admin, "Básico", "100.00"), start_on=date(2026, 11, 1))
    bill(admin, date(2026, 11, 1))
    subscriptions.cancel_subscription(SqlUnitOfWork(admin), subscription_id=sub.id, at_period_end=True,
                                      reason="Não renovar")  # fmt: skip
    assert reload(admin, Subscription, sub.id).status is SubscriptionStatus.ACTIVE
    assert mrr(admin, account) == (10_000, 10_000)
    summary = bill(admin, date(2026, 12, 1))
    assert (summary.created, summary.skipped) == (0, 1)
    ended = reload(admin, Subscription, sub.id)
    assert ended.status is SubscriptionStatus.CANCELED and ended.canceled_on == date(2026, 12, 1)
    assert mrr(admin, account) == (0, 0)
