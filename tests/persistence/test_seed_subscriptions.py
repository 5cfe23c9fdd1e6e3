"""Demo subscriptions: plans and about 100 subscriptions in every situation, some due, so a demo run invoices."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from domain.billing_accounts.model import BillingAccount
from domain.calendar import today_in
from domain.subscriptions.model import Subscription
from persistence.seed_subscriptions import seed_subscriptions
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.billing_factories import make_account
from tests.support.subscription_factories import bill


def test_the_demo_has_plans_and_subscriptions_some_due_and_mrr_on_the_accounts(org, admin, database_url) -> None:  # type: ignore[no-untyped-def]
    for _ in range(20):
        make_account(org)
    assert seed_subscriptions(database_url, org.id) == 20
    assert seed_subscriptions(database_url, org.id) == 0
    with SqlUnitOfWork(admin) as uow:
        statuses = Counter(str(s) for s in uow.session.scalars(select(Subscription.status)))
        mrr = sum(uow.session.scalars(select(BillingAccount.mrr_amount_cents)))
        today = today_in(uow.organizations.current().timezone)
    assert set(statuses) == {"active", "trialing", "canceled"} and mrr > 0
    summary = bill(admin, today)
    assert summary.created >= 3 and summary.failed == 0
