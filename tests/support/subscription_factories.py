"""Plans, subscriptions and billing runs for tests, through the real use cases."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from domain.access.permissions import Actor
from domain.billing_accounts.model import BillingAccount
from domain.billing_runs.services import RunSummary, run_billing
from domain.subscriptions import services as subscriptions
from domain.subscriptions.model import Plan, PlanInterval, Subscription
from domain.subscriptions.services import PlanInput
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.billing_factories import service_id

_seq = itertools.count(1)


def make_plan(
    actor: Actor, name: str | None = None, reais: str = "100.00", interval: str = "month", service: str = "software",
    **values: Any,
) -> Plan:  # fmt: skip
    cents = int(Decimal(reais) * 100)
    return subscriptions.create_plan(SqlUnitOfWork(actor), values=PlanInput(
        name=name or f"Plano {next(_seq)}", amount_cents=cents, interval=PlanInterval(interval),
        service_item_id=service_id(actor, service), **values))  # fmt: skip


def subscribe(
    actor: Actor, account: BillingAccount, plan: Plan, *, quantity: int = 1, start_on: date = date(2026, 11, 1),
    trial_days: int = 0,
) -> Subscription:  # fmt: skip
    return subscriptions.create_subscription(
        SqlUnitOfWork(actor), billing_account_id=account.id, plan_id=plan.id, quantity=quantity, start_on=start_on,
        trial_days=trial_days,
    )  # fmt: skip


def bill(actor: Actor, run_date: date, **kw: Any) -> RunSummary:
    return run_billing(lambda: SqlUnitOfWork(actor), run_date=run_date, **kw)


def set_account(actor: Actor, account_id: Any, **values: Any) -> None:
    """Change an account's columns directly (auto_collection, status): the registry's use cases are tested there."""
    with SqlUnitOfWork(actor) as uow:
        account = uow.get(BillingAccount, account_id, label="Conta")
        for key, value in values.items():
            setattr(account, key, value)
        uow.commit()


def set_preference(actor: Actor, key: str, value: Any) -> None:
    with SqlUnitOfWork(actor) as uow:
        org = uow.organizations.current()
        org.preferences = {**(org.preferences or {}), key: value}
        uow.commit()


def reload(actor: Actor, model: type, entity_id: Any) -> Any:
    with SqlUnitOfWork(actor) as uow:
        found = uow.get(model, entity_id, label="teste")
        uow.commit()
        return found
