"""The MRR bridge of the Painel: every change of an account's MRR is kept as new, expansion, contraction or churn,
and the months add up (opening + movements = closing, the current month closing at today's MRR)."""

from __future__ import annotations

from datetime import date

from domain.revenue.model import MovementKind
from domain.subscriptions import services as subscriptions
from persistence.queries.revenue import first_of_month, mrr_bridge
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.billing_factories import make_account
from tests.support.subscription_factories import make_plan, subscribe


def test_subscriptions_leave_new_expansion_contraction_and_churn_movements(org, admin) -> None:  # type: ignore[no-untyped-def]
    first, second = make_account(org), make_account(org)
    basic, pro = make_plan(admin, "Básico", "100.00"), make_plan(admin, "Pro", "250.00")
    kept = subscribe(admin, first, basic)  # new: +100
    subscriptions.change_subscription(SqlUnitOfWork(admin), subscription_id=kept.id, plan_id=pro.id, quantity=2,
                                      changed_on=date(2026, 11, 10))  # expansion: +400  # fmt: skip
    subscriptions.change_subscription(SqlUnitOfWork(admin), subscription_id=kept.id, plan_id=pro.id, quantity=1,
                                      changed_on=date(2026, 11, 12))  # contraction: −250  # fmt: skip
    gone = subscribe(admin, second, basic)  # new: +100
    subscriptions.cancel_subscription(SqlUnitOfWork(admin), subscription_id=gone.id, at_period_end=False,
                                      reason="cliente encerrou o contrato")  # churn: −100  # fmt: skip
    today = date.today()  # movements are dated when they happen
    months = mrr_bridge(admin, today=today, current_mrr_cents=25_000, months=3)
    assert [m.month for m in months] == [first_of_month(today, 2), first_of_month(today, 1), first_of_month(today)]
    current = months[-1]
    assert current.moves == {MovementKind.NEW: 20_000, MovementKind.EXPANSION: 40_000,
                             MovementKind.CONTRACTION: -25_000, MovementKind.CHURN: -10_000}  # fmt: skip
    assert (current.opening_cents, current.closing_cents) == (0, 25_000)
    assert months[0].closing_cents == months[1].opening_cents == 0
