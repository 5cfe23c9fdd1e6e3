"""Merging duplicate customers: PREVIEW shows the plan, MOVE_ALL executes exactly that plan in one transaction."""

from __future__ import annotations

import uuid
from datetime import datetime

from domain.access.permissions import Permission
from domain.base import utcnow
from domain.customers.errors import clean_reason
from domain.customers.model import Customer
from domain.merges.errors import MergeConflict, MergePreviewOutdated, MergeSelf, MergeSourceDeleted
from domain.merges.plan import MergePlan, build_plan
from domain.merges.ports import MergeUnitOfWork


def preview_merge(uow: MergeUnitOfWork, *, source_id: uuid.UUID, target_id: uuid.UUID) -> MergePlan:
    """PREVIEW: what MOVE_ALL would move, keep, fill and refuse. Nothing changes."""
    with uow:
        uow.actor.require(Permission.MERGES_RUN)
        source, target = _pair(uow, source_id, target_id, lock=False)
        return build_plan(source, target, uow.merges.inventory(source.id, target.id))


def merge_customers(
    uow: MergeUnitOfWork, *, source_id: uuid.UUID, target_id: uuid.UUID, fingerprint: str, reason: str | None = None,
    now: datetime | None = None,
) -> MergePlan:  # fmt: skip
    """MOVE_ALL: the previewed plan, all or nothing; the source ends soft-deleted pointing at the target, and both
    customers' audit timelines tell what happened. Refused when anything changed since the preview."""
    with uow:
        uow.actor.require(Permission.MERGES_RUN)
        source, target = _pair(uow, source_id, target_id, lock=True)
        plan = build_plan(source, target, uow.merges.inventory(source.id, target.id))
        if plan.conflicts:
            raise MergeConflict(plan.conflicts)
        if plan.fingerprint != fingerprint:
            raise MergePreviewOutdated()
        reason = clean_reason(reason)
        # The source leaves first: its document and external id become free for the target to take.
        uow.describe("customer.merged_into", reason=reason)
        source.deleted_at, source.merged_into_id = now or utcnow(), target.id
        uow.flush()
        uow.describe("customer.merged", reason=reason)
        for name, value in plan.changed_fields().items():
            setattr(target, name, value)  # lists and dicts are new objects: JSON columns see the change
        target.refresh_derived()
        uow.flush()
        moved = uow.merges.move_all(source.id, target.id)
        for kind, ids in moved.items():
            for entity_id in ids:
                uow.record_event(action=f"{kind}.moved", entity_type=kind, entity_id=entity_id, root_id=target.id,
                                 changes={"customer_id": [str(source.id), str(target.id)]})  # fmt: skip
        counts = plan.moved_counts()
        uow.record_event(action="customer.merged", entity_type="customer", entity_id=target.id, root_id=target.id,
                         changes={"merged_from": [None, str(source.id)], **counts})  # fmt: skip
        uow.record_event(action="customer.merged_into", entity_type="customer", entity_id=source.id,
                         root_id=source.id, changes={"merged_into": [None, str(target.id)], **counts})  # fmt: skip
        uow.customers.refresh_totals(target.id)
        uow.customers.refresh_totals(source.id)
        uow.commit()
        return plan


def _pair(uow: MergeUnitOfWork, source_id: uuid.UUID, target_id: uuid.UUID, *, lock: bool) -> tuple[Customer, Customer]:
    if source_id == target_id:
        raise MergeSelf()
    # Locked in id order, so two merges touching the same customers queue instead of deadlocking.
    first, second = sorted((source_id, target_id), key=str)
    loaded = {c: uow.get(Customer, c, label="Cliente", for_update=lock) for c in (first, second)}
    source, target = loaded[source_id], loaded[target_id]
    if not source.is_live:
        raise MergeSourceDeleted(source.name, merged=source.merged_into_id is not None)
    return source, target
