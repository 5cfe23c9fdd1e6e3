"""Plans and subscriptions: the lookups their use cases need, and MRR kept equal to the active subscriptions."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from domain.base import new_id, utcnow
from domain.billing_accounts.model import BillingAccount
from domain.customers.model import Customer
from domain.errors import NotFound
from domain.revenue.model import MrrMovement, classify
from domain.subscriptions.model import MRR_STATUSES, Plan, Subscription, SubscriptionProration, SubscriptionStatus
from persistence import bulk


@dataclass
class SubscriptionRepository:
    session: Session

    def plan(self, plan_id: uuid.UUID) -> Plan:
        found = self.session.scalars(select(Plan).where(Plan.id == _uuid(plan_id))).one_or_none()
        if found is None:
            raise NotFound("Plano", plan_id)
        return found

    def plan_named(self, name: str, *, except_id: uuid.UUID | None = None) -> Plan | None:
        statement = select(Plan).where(func.lower(Plan.name) == name.strip().lower())
        if except_id is not None:
            statement = statement.where(Plan.id != except_id)
        with self.session.no_autoflush:
            return self.session.scalars(statement.limit(1)).first()

    def get(self, subscription_id: uuid.UUID, *, for_update: bool = False) -> Subscription:
        statement = select(Subscription).where(Subscription.id == _uuid(subscription_id))
        if for_update:
            statement = statement.with_for_update()
        found = self.session.scalars(statement).one_or_none()
        if found is None:
            raise NotFound("Assinatura", subscription_id)
        return found

    def pending_prorations(self, subscription_id: uuid.UUID) -> list[SubscriptionProration]:
        statement = select(SubscriptionProration).where(
            SubscriptionProration.subscription_id == subscription_id,
            SubscriptionProration.invoice_id.is_(None),
            SubscriptionProration.discarded.is_(False),
        )
        return list(self.session.scalars(statement.order_by(SubscriptionProration.created_on)))

    def refresh_mrr(self, account_ids: Iterable[uuid.UUID]) -> None:
        refresh_mrr(self.session, account_ids)

    def trials_ending(self, first: date, last: date, *, limit: int) -> list[tuple[Subscription, BillingAccount, Plan]]:
        """Trials ending between `first` and `last` not told yet, of live accounts and customers not paused."""
        statement = (
            select(Subscription, BillingAccount, Plan)
            .join(BillingAccount, BillingAccount.id == Subscription.billing_account_id)
            .join(Plan, Plan.id == Subscription.plan_id)
            .join(Customer, Customer.id == Subscription.customer_id)
            .where(Subscription.status == SubscriptionStatus.TRIALING, Subscription.trial_end >= first,
                   Subscription.trial_end <= last, Subscription.trial_notice_on.is_(None),
                   BillingAccount.deleted_at.is_(None), Customer.communications_paused.is_(False))
            .order_by(Subscription.id)
            .limit(limit)
            .with_for_update(of=Subscription)
        )  # fmt: skip
        return [(s, a, p) for s, a, p in self.session.execute(statement).all()]


def refresh_mrr(session: Session, account_ids: Iterable[uuid.UUID]) -> None:
    """Recompute (never add deltas) the accounts' MRR from their active subscriptions and their customers' from their
    live accounts: two set-based UPDATEs, so concurrent changes cannot drift the figures. Derived values: the
    subscription change that moved them is what the audit trail records; each account whose MRR moved gets an
    mrr_movement row (the Painel's MRR bridge)."""
    ids = list(dict.fromkeys(account_ids))
    if not ids:
        return
    org_id = session.info["organization_id"]
    active = [s.value for s in MRR_STATUSES]
    for chunk in (ids[i : i + 5000] for i in range(0, len(ids), 5000)):
        before = _account_mrr(session, org_id, chunk)
        session.execute(
            update(BillingAccount.__table__)
            .where(BillingAccount.__table__.c.organization_id == org_id,
                   bulk.among(session, BillingAccount.__table__.c.id, chunk))
            .values(mrr_amount_cents=select(func.coalesce(func.sum(Subscription.__table__.c.mrr_cents), 0))
                    .where(Subscription.__table__.c.billing_account_id == BillingAccount.__table__.c.id,
                           Subscription.__table__.c.status.in_(active))
                    .scalar_subquery())
        )  # fmt: skip
        _record_movements(session, org_id, before, _account_mrr(session, org_id, chunk))
        customers = select(BillingAccount.__table__.c.customer_id).where(
            bulk.among(session, BillingAccount.__table__.c.id, chunk)
        )
        session.execute(
            update(Customer.__table__)
            .where(Customer.__table__.c.organization_id == org_id, Customer.__table__.c.id.in_(customers))
            .values(mrr_cents=select(func.coalesce(func.sum(BillingAccount.__table__.c.mrr_amount_cents), 0))
                    .where(BillingAccount.__table__.c.customer_id == Customer.__table__.c.id,
                           BillingAccount.__table__.c.deleted_at.is_(None))
                    .scalar_subquery())
        )  # fmt: skip
    for obj in list(session.identity_map.values()):  # loaded rows would show the old figures
        if (isinstance(obj, BillingAccount) and obj.id in ids) or isinstance(obj, Customer):
            session.expire(obj, ["mrr_amount_cents"] if isinstance(obj, BillingAccount) else ["mrr_cents"])


def _account_mrr(session: Session, org_id: uuid.UUID, ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[uuid.UUID, int]]:
    table = BillingAccount.__table__
    rows = session.execute(
        select(table.c.id, table.c.customer_id, table.c.mrr_amount_cents)
        .where(table.c.organization_id == org_id, bulk.among(session, table.c.id, ids))
    ).all()  # fmt: skip
    return {account_id: (customer_id, int(mrr)) for account_id, customer_id, mrr in rows}


def _record_movements(
    session: Session, org_id: uuid.UUID, before: dict[uuid.UUID, tuple[uuid.UUID, int]],
    after: dict[uuid.UUID, tuple[uuid.UUID, int]],
) -> None:  # fmt: skip
    now = utcnow()
    rows = []
    for account_id, (customer_id, mrr) in after.items():
        old = before.get(account_id, (customer_id, 0))[1]
        kind = classify(old, mrr)
        if kind is not None:
            rows.append({
                "id": new_id(), "organization_id": org_id, "billing_account_id": account_id, "customer_id": customer_id,
                "occurred_on": now.date(), "kind": kind.value, "delta_cents": mrr - old, "mrr_after_cents": mrr,
                "created_at": now, "updated_at": now,
            })  # fmt: skip
    if rows:
        session.execute(insert(MrrMovement.__table__), rows)


def _uuid(value: object) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return uuid.UUID(int=0)
