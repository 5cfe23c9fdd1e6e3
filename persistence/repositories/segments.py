"""Saved views, and the set-based bulk changes over a segment's selection (batches of ids, one UPDATE each)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from domain.base import utcnow
from domain.billing_accounts.model import AccountStatus, BillingAccount
from domain.customers.model import Customer
from domain.errors import NotFound
from domain.segments.model import SavedView
from persistence.audit import record_event
from persistence.queries.saved_views import visible_to
from persistence.queries.segments import selection


@dataclass
class SavedViewRepository:
    session: Session

    def get_visible(self, view_id: uuid.UUID, *, for_update: bool = False) -> SavedView:
        statement = select(SavedView).where(SavedView.id == view_id, self._visible())
        if for_update:
            statement = statement.with_for_update()
        view = self.session.scalars(statement).one_or_none()
        if view is None:
            raise NotFound("Visão", view_id)
        return view

    def name_taken(self, name: str, *, except_id: uuid.UUID | None) -> bool:
        statement = select(SavedView.id).where(func.lower(SavedView.name) == name.lower(), self._visible())
        if except_id is not None:
            statement = statement.where(SavedView.id != except_id)
        with self.session.no_autoflush:
            return self.session.scalar(statement.limit(1)) is not None

    def _visible(self) -> Any:
        return visible_to(self.session.info["actor"])


@dataclass
class SegmentSelectionRepository:
    """NOTE: the action names are domain.segments.bulk.BulkAction values."""

    session: Session

    def count_for(self, tree: dict[str, Any], action: str, params: dict[str, Any]) -> int:
        where = self._changing(tree, action, params)
        if action == "suspend_accounts":
            statement = select(func.count()).where(*_active_accounts(select(Customer.id).where(*where)))
        else:
            statement = select(func.count()).select_from(Customer).where(*where)
        return int(self.session.scalar(statement) or 0)

    def apply_batch(
        self, tree: dict[str, Any], action: str, params: dict[str, Any], *, after_id: uuid.UUID | None, size: int
    ) -> tuple[int, uuid.UUID | None]:
        statement = select(Customer.id).where(*self._changing(tree, action, params))
        if after_id is not None:
            statement = statement.where(Customer.id > after_id)
        ids = list(self.session.scalars(statement.order_by(Customer.id).limit(size)))
        if not ids:
            return 0, None
        if action == "suspend_accounts":
            return self._suspend(ids, params["reason"]), ids[-1]
        return self._retag(ids, action, params["tag"]), ids[-1]

    def _changing(self, tree: dict[str, Any], action: str, params: dict[str, Any]) -> list[Any]:
        """The selection narrowed to the customers the action would still change: re-running changes nothing twice."""
        narrowing = {
            "add_tag": {"field": "tags", "cmp": "none", "value": [params.get("tag")]},
            "remove_tag": {"field": "tags", "cmp": "any", "value": [params.get("tag")]},
            "suspend_accounts": {"field": "account_status", "cmp": "eq", "value": AccountStatus.ACTIVE.value},
        }.get(action)
        if narrowing is not None:
            whole = {"op": tree["op"], "children": tree["children"]}
            tree = {"version": tree["version"], "op": "and", "children": [whole, narrowing]}
        return selection(self.session, tree)

    def _retag(self, ids: list[uuid.UUID], action: str, tag: str) -> int:
        postgres = self.session.get_bind().dialect.name == "postgresql"
        before = dict(self.session.execute(
            select(Customer.id, Customer.tags).where(Customer.id.in_(ids)).with_for_update()
        ).all())  # fmt: skip
        if action == "add_tag":
            value = Customer.tags.op("||")(func.jsonb_build_array(tag)) if postgres else func.json_insert(
                Customer.tags, "$[#]", tag)  # fmt: skip
        else:
            each = func.json_each(Customer.tags).table_valued("value")
            value = Customer.tags.op("-")(tag) if postgres else (
                select(func.json_group_array(each.c.value)).where(each.c.value != tag).scalar_subquery())  # fmt: skip
        statement = update(Customer).where(Customer.id.in_(ids)).values(tags=value, updated_at=utcnow())
        changed = self.session.execute(
            statement.returning(Customer.id, Customer.tags).execution_options(synchronize_session=False)
        ).all()
        for customer_id, tags in changed:
            changes = {"tags": [before[customer_id], tags]}
            record_event(self.session, action=self._action(), entity_type="customer", entity_id=customer_id,
                         root_id=customer_id, changes=changes)  # fmt: skip
        return len(changed)

    def _suspend(self, ids: list[uuid.UUID], reason: str) -> int:
        """Set-based form of BillingAccount.suspend (domain/billing_accounts/model.py): only active accounts, with
        the moment and the reason recorded; the customer's own status does not change."""
        now = utcnow()
        statement = (
            update(BillingAccount)
            .where(*_active_accounts(ids))
            .values(status=AccountStatus.SUSPENDED, suspended_at=now, suspension_reason=reason, updated_at=now)
            .returning(BillingAccount.id, BillingAccount.customer_id)
            .execution_options(synchronize_session=False)
        )
        changed = self.session.execute(statement).all()
        for account_id, customer_id in changed:
            record_event(self.session, action=self._action(), entity_type="billing_account",
                         entity_id=account_id, root_id=customer_id, reason=reason,
                         changes={"status": [AccountStatus.ACTIVE.value, AccountStatus.SUSPENDED.value],
                                  "suspended_at": [None, now], "suspension_reason": [None, reason]})  # fmt: skip
        return len(changed)

    def _action(self) -> str:
        return self.session.info.get("audit_action") or "segment.bulk_change"


def _active_accounts(customer_ids: Any) -> tuple[Any, ...]:
    return (BillingAccount.customer_id.in_(customer_ids), BillingAccount.status == AccountStatus.ACTIVE,
            BillingAccount.deleted_at.is_(None))  # fmt: skip
