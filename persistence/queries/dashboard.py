"""Figures for the Painel."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from domain.access.model import Operator
from domain.access.permissions import Actor, Permission
from domain.billing_accounts.model import AccountStatus, BillingAccount
from domain.customers.model import Customer
from domain.organizations.model import Organization
from persistence.queries.common import read_session
from persistence.queries.counting import count_within_budget


@dataclass(frozen=True)
class Overview:
    customers: int
    accounts_by_status: dict[str, int]
    mrr_cents: int
    balance_cents: int
    operators: int
    timezone: str
    customers_is_estimate: bool = False


def overview(actor: Actor) -> Overview:
    with read_session(actor, Permission.DASHBOARD_READ) as session:
        customers = count_within_budget(
            session, select(Customer.id).where(Customer.organization_id == actor.organization_id,
                                               Customer.deleted_at.is_(None))
        )  # fmt: skip
        by_status = dict(
            session.execute(
                select(BillingAccount.status, func.count())
                .where(BillingAccount.deleted_at.is_(None))
                .group_by(BillingAccount.status)
            ).all()
        )
        # MRR counts every live account's active subscriptions (a suspended account is still under contract), so the
        # Painel's MRR bridge, built from every account's movements, closes on this figure.
        mrr, balance = session.execute(
            select(func.coalesce(func.sum(BillingAccount.mrr_amount_cents), 0),
                   func.coalesce(func.sum(case((BillingAccount.status == AccountStatus.ACTIVE,
                                                BillingAccount.balance_cents), else_=0)), 0))
            .where(BillingAccount.deleted_at.is_(None))
        ).one()  # fmt: skip
        operators = session.scalar(select(func.count()).select_from(Operator).where(Operator.is_active))
        timezone = session.scalar(select(Organization.timezone).where(Organization.id == actor.organization_id))
        return Overview(
            customers=customers.value, customers_is_estimate=customers.is_estimate, timezone=timezone or "",
            accounts_by_status={str(AccountStatus(k).value): v for k, v in by_status.items()},
            mrr_cents=int(mrr), balance_cents=int(balance), operators=operators or 0,
        )  # fmt: skip
