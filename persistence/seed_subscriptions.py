"""Demo plans and subscriptions for `make run`: four plans and about 100 subscriptions in every situation, a few of
them due today, so "Executar faturamento" creates invoices on a fresh demo.

    from persistence.seed_subscriptions import seed_subscriptions
    seed_subscriptions(database_url, organization_id)   # once; a second call creates nothing
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select

from domain.access.permissions import Actor
from domain.billing_accounts.model import AccountStatus, BillingAccount
from domain.calendar import today_in
from domain.customers.model import Customer, CustomerStatus
from domain.subscriptions import services as subscriptions
from domain.subscriptions.model import Plan, PlanInterval, Subscription, SubscriptionStatus
from domain.subscriptions.services import PlanInput
from persistence.unit_of_work import SqlUnitOfWork

PLANS = [  # name, amount in cents, interval, service code
    ("Essencial", 19_900, PlanInterval.MONTH, "software"),
    ("Profissional", 49_900, PlanInterval.MONTH, "software"),
    ("Consultoria mensal", 350_000, PlanInterval.MONTH, "consultoria"),
    ("Hospedagem anual", 1_198_800, PlanInterval.YEAR, "hospedagem"),
]
SUBSCRIPTIONS = 100


def seed_subscriptions(database_url: str, organization_id: uuid.UUID) -> int:
    """Creates the demo plans and subscriptions once; returns how many subscriptions were created."""
    actor = Actor.system("seed", organization_id)

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(actor, database_url=database_url)

    with uow() as u:
        if (u.session.scalar(select(func.count()).select_from(Plan)) or 0) > 0:
            return 0
    plans = []
    for name, cents, interval, code in PLANS:
        with uow() as u:
            from domain.catalog import services as catalog

            catalog.install_standard_services(u)
            service = u.catalog.service_item_by_code(code)
            u.commit()
        assert service is not None
        plans.append(subscriptions.create_plan(uow(), values=PlanInput(name, cents, interval, service.id)))
    with uow() as u:
        today = today_in(u.organizations.current().timezone)
        accounts = list(u.session.execute(
            select(BillingAccount.id, BillingAccount.customer_id)
            .join(Customer, Customer.id == BillingAccount.customer_id)
            .where(BillingAccount.status == AccountStatus.ACTIVE, BillingAccount.deleted_at.is_(None),
                   BillingAccount.currency == "BRL", Customer.status == CustomerStatus.ACTIVE,
                   Customer.deleted_at.is_(None))
            .order_by(BillingAccount.id).limit(SUBSCRIPTIONS)
        ))  # fmt: skip
        for n, (account_id, customer_id) in enumerate(accounts):
            u.add(_subscription(n, account_id, customer_id, plans[n % len(plans)], today))
        u.flush()
        u.subscriptions.refresh_mrr([a for a, _ in accounts])
        u.commit()
    return len(accounts)


def _subscription(n: int, account_id: uuid.UUID, customer_id: uuid.UUID, plan: Plan, today) -> Subscription:  # type: ignore[no-untyped-def]
    """Mostly running subscriptions whose periods end over the next month (a few today or earlier: due), some new
    (their first invoice comes from the next run), trials, cancellations."""
    quantity = 1 + n % 3
    values = {"organization_id": plan.organization_id, "customer_id": customer_id, "billing_account_id": account_id,
              "plan_id": plan.id, "quantity": quantity, "cancel_at_period_end": False,
              "mrr_cents": plan.mrr_cents(quantity)}  # fmt: skip
    kind = n % 10
    if kind == 7:  # new today: awaiting its first invoice
        return Subscription(**values, status=SubscriptionStatus.ACTIVE, started_on=today, billing_anchor=today,
                            current_period_start=today, current_period_end=today)  # fmt: skip
    if kind == 8:  # a trial, ending within the next two weeks (or just ended)
        trial_end = today + timedelta(days=(n % 15) - 1)
        start = trial_end - timedelta(days=14)
        return Subscription(**values, status=SubscriptionStatus.TRIALING, started_on=start, billing_anchor=trial_end,
                            current_period_start=start, current_period_end=trial_end, trial_end=trial_end)  # fmt: skip
    # Running: the current period ends between 3 days ago and 27 days ahead.
    end = today + timedelta(days=(n * 7) % 31 - 3)
    step = relativedelta(months=1) if plan.interval is PlanInterval.MONTH else relativedelta(years=1)
    start = end - step
    sub = Subscription(**values, status=SubscriptionStatus.ACTIVE, started_on=start - timedelta(days=90),
                       billing_anchor=start, current_period_start=start, current_period_end=end)  # fmt: skip
    if kind == 9:
        sub.status, sub.canceled_on, sub.cancel_reason = (
            SubscriptionStatus.CANCELED,
            start,
            "Cliente encerrou o contrato",
        )
    if kind == 6:
        sub.cancel_at_period_end, sub.cancel_reason = True, "Não renovar ao fim do período"
    return sub
