"""Merge storage: the inventory of a pair of customers (with a digest of every row involved) and the set-based moves.

Tables of areas built in parallel (subscription, payment_method) take part as soon as they exist
(`optional_table`). Statement items and payments are append-only (a PostgreSQL trigger refuses any UPDATE): they are
counted and digested, never rewritten; they follow their billing account.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, Table, and_, cast, func, literal_column, or_, select, true, update
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from domain.billing_accounts.model import BillingAccount
from domain.customers.model import Customer
from domain.merges.plan import FOLLOWS_ACCOUNT, AccountLine, MergeInventory
from persistence.repositories.registry import ACTIVE_SUBSCRIPTION_STATUSES, optional_table

MOVED = ("billing_account", "invoice", "subscription", "payment_method", "portal_user")
AUDITED_ONE_BY_ONE = ("billing_account", "portal_user")  # few rows each; invoices and subscriptions are summarized


@dataclass
class MergeRepository:
    session: Session

    def inventory(self, source_id: uuid.UUID, target_id: uuid.UUID) -> MergeInventory:
        tables = self._tables()
        digest = hashlib.sha256()
        for row in self.session.execute(
            select(Customer.id, Customer.updated_at, Customer.deleted_at).where(Customer.id.in_([source_id, target_id]))
            .order_by(Customer.id)
        ):  # fmt: skip
            digest.update(repr(tuple(row)).encode())
        counts: dict[str, int] = {}
        source_accounts = select(BillingAccount.id).where(BillingAccount.customer_id == source_id)
        for name, table in tables.items():
            if name in FOLLOWS_ACCOUNT:  # found through the source's accounts (indexed), all of them the source's
                owned, of_source = table.c.billing_account_id.in_(source_accounts), true()
            else:  # the source's rows move; the target's accounts and subscriptions shape what the plan shows
                both = name in ("billing_account", "subscription")
                owned = table.c.customer_id.in_([source_id, target_id] if both else [source_id])
                of_source = table.c.customer_id == source_id
            counts[name], rows = self._rows_digest(table, owned, of_source)
            digest.update(f"{name}:{rows}".encode())
        return MergeInventory(
            source_accounts=self._accounts(source_id), target_accounts=self._accounts(target_id), counts=counts,
            invoice_statuses=self._invoice_statuses(tables.get("invoice"), source_id),
            portal_users=self._portal_users(tables.get("portal_user"), source_id),
            subscription_overlaps=self._overlaps(tables.get("subscription"), source_id, target_id),
            digest=digest.hexdigest(),
        )  # fmt: skip

    def move_all(self, source_id: uuid.UUID, target_id: uuid.UUID) -> dict[str, list[uuid.UUID]]:
        moved: dict[str, list[uuid.UUID]] = {}
        for name, table in self._tables().items():
            if name in FOLLOWS_ACCOUNT:
                continue
            statement = (update(table).where(table.c.organization_id == self.session.info["organization_id"],
                                             table.c.customer_id == source_id)
                         .values(customer_id=target_id))  # fmt: skip
            if name in AUDITED_ONE_BY_ONE:
                moved[name] = list(self.session.scalars(statement.returning(table.c.id)))
            else:
                self.session.execute(statement)
        return moved

    def _rows_digest(self, table: Table, owned: Any, of_source: Any) -> tuple[int, str]:
        """(rows of the source, a digest of which rows there are and when any of them last changed), computed by the
        database: 10,000 invoices are summed up in milliseconds instead of travelling to Python."""
        key = cast(table.c.id, String) + ":" + cast(table.c.customer_id, String)
        changed = func.max(table.c.updated_at) if "updated_at" in table.c else literal_column("NULL")
        owned = and_(table.c.organization_id == self.session.info["organization_id"], owned)
        if self.session.get_bind().dialect.name == "postgresql":
            joined = func.md5(func.string_agg(key, aggregate_order_by(literal_column("','"), table.c.id)))
            statement = select(func.count().filter(of_source), joined, changed).where(owned)
        else:  # group_concat follows the order of an ordered subquery
            stamp = [table.c.updated_at] if "updated_at" in table.c else []
            rows = (select(key.label("key"), of_source.label("of_source"), *stamp).where(owned)
                    .order_by(table.c.id).subquery())  # fmt: skip
            changed = func.max(rows.c.updated_at) if stamp else changed
            statement = select(func.count().filter(rows.c.of_source), func.group_concat(rows.c.key), changed)
        count, joined_rows, last_change = self.session.execute(statement).one()
        return int(count), hashlib.sha256(f"{joined_rows}|{last_change}".encode()).hexdigest()

    def _tables(self) -> dict[str, Table]:
        found = {}
        for name in (*MOVED, *FOLLOWS_ACCOUNT):
            table = optional_table(self.session, name)
            if table is not None and "customer_id" in table.c:
                found[name] = table
        return found

    def _accounts(self, customer_id: uuid.UUID) -> list[AccountLine]:
        statement = select(BillingAccount).where(BillingAccount.customer_id == customer_id)
        accounts = self.session.scalars(statement.order_by(BillingAccount.created_at, BillingAccount.id))
        return [AccountLine(a.id, a.name, a.status.value, a.currency, a.balance_cents, a.mrr_amount_cents,
                            a.payment_method.value, a.is_live) for a in accounts]  # fmt: skip

    def _invoice_statuses(self, invoice: Table | None, source_id: uuid.UUID) -> dict[str, int]:
        if invoice is None:
            return {}
        statement = select(invoice.c.status, func.count()).where(
            invoice.c.organization_id == self.session.info["organization_id"], invoice.c.customer_id == source_id
        )
        return {str(status): int(n) for status, n in self.session.execute(statement.group_by(invoice.c.status))}

    def _portal_users(self, portal_user: Table | None, source_id: uuid.UUID) -> list[str]:
        if portal_user is None:
            return []
        statement = select(portal_user.c.email).where(portal_user.c.customer_id == source_id)
        return list(self.session.scalars(statement.order_by(portal_user.c.email)))

    def _overlaps(self, subscription: Table | None, source_id: uuid.UUID, target_id: uuid.UUID) -> list[str]:
        """Plans both customers subscribe to, active on both sides, with overlapping current periods."""
        needed = {"plan_id", "status", "current_period_start", "current_period_end"}
        if subscription is None or not needed <= set(subscription.c.keys()):
            return []
        mine, theirs = subscription.alias("mine"), subscription.alias("theirs")
        active = ACTIVE_SUBSCRIPTION_STATUSES
        statement = select(mine.c.plan_id).distinct().where(
            mine.c.customer_id == source_id, theirs.c.customer_id == target_id, mine.c.plan_id == theirs.c.plan_id,
            mine.c.status.in_(active), theirs.c.status.in_(active),
            _before(mine.c.current_period_start, theirs.c.current_period_end),
            _before(theirs.c.current_period_start, mine.c.current_period_end),
        )  # fmt: skip
        plan_ids = list(self.session.scalars(statement))
        plans = optional_table(self.session, "plan")
        if plans is None or not plan_ids:
            return [str(plan_id) for plan_id in plan_ids]
        names = dict(self.session.execute(select(plans.c.id, plans.c.name).where(plans.c.id.in_(plan_ids))).all())
        return sorted(names.get(plan_id, str(plan_id)) for plan_id in plan_ids)  # people read plan names


def _before(start: Any, end: Any) -> Any:
    """A period without an end is open: it overlaps whatever starts after it began."""
    return or_(end.is_(None), and_(start.is_not(None), start < end))
