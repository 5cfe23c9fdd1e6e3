"""Writes an AuditEvent for every changed Audited row at flush time, inside the same transaction as the change.

The rows are inserted right after the ORM's own statements of that flush (`after_flush`, where the pre-flush history
is still readable), so the event never precedes the row it points at, whatever the mappers' insert order.

The use case names the action and the operator's reason (`UnitOfWork.describe`); without it the action is the
entity's table plus created/updated/deleted. Set-based changes that bypass the ORM call `record_event` themselves.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from domain.access.permissions import Actor
from domain.audit.model import AuditEvent
from domain.base import Audited, new_id, utcnow


@event.listens_for(Session, "after_flush")
def _audit_changes(session: Session, _context: object) -> None:
    rows = []
    for verb, objects in (("created", session.new), ("updated", session.dirty), ("deleted", session.deleted)):
        for obj in list(objects):
            if not isinstance(obj, Audited):
                continue
            changes = _changes(obj, verb)
            if verb == "updated" and not changes:
                continue  # touched but unchanged: nothing to tell an auditor
            rows.append(_event_row(session, obj, verb, changes))
    if rows:
        session.connection().execute(insert(AuditEvent.__table__), rows)


def record_event(
    session: Session, *, action: str, entity_type: str, entity_id: object, changes: dict[str, Any],
    root_id: object | None = None, reason: str | None = None,
) -> AuditEvent:  # fmt: skip
    """For changes made with set-based SQL, which the flush hook cannot see."""
    actor: Actor = session.info["actor"]
    audit = AuditEvent(
        organization_id=session.info.get("organization_id"),
        actor_kind=actor.kind, actor_id=actor.id, actor_name=actor.name,
        action=action, entity_type=entity_type, entity_id=str(entity_id),
        root_id=None if root_id is None else str(root_id),
        changes=json_safe(changes), reason=reason or session.info.get("audit_reason"),
    )  # fmt: skip
    session.add(audit)
    return audit


def _event_row(session: Session, obj: Any, verb: str, changes: dict[str, Any]) -> dict[str, Any]:
    actor: Actor = session.info["actor"]
    table = obj.__tablename__
    org_id = getattr(obj, "organization_id", None) or getattr(obj, "audit_organization_id", None)
    return {
        "id": new_id(), "occurred_at": utcnow(), "organization_id": org_id or session.info.get("organization_id"),
        "actor_kind": actor.kind, "actor_id": actor.id, "actor_name": actor.name,
        "action": session.info.get("audit_action") or f"{table}.{verb}",
        "entity_type": table, "entity_id": str(obj.id), "root_id": _root_id(obj), "changes": changes,
        "reason": session.info.get("audit_reason"),
    }  # fmt: skip


def _root_id(obj: Any) -> str | None:
    root = getattr(obj, "audit_root_id", None)
    return None if root is None else str(root)


def _changes(obj: Any, verb: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    excluded = type(obj).__audit_exclude__ | {"updated_at", "created_at", "organization_id", "id"}
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in excluded:
            continue
        history = state.attrs[attr.key].history
        if verb == "created":
            value = getattr(obj, attr.key)
            if value is not None:
                changes[attr.key] = [None, json_safe(value)]
        elif verb == "deleted":
            changes[attr.key] = [json_safe(getattr(obj, attr.key)), None]
        elif history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before != after:
                changes[attr.key] = [json_safe(before), json_safe(after)]
    for key in type(obj).__audit_exclude__:
        if key in state.attrs and state.attrs[key].history.has_changes() and verb == "updated":
            changes[key] = ["***", "***"]  # that a secret changed is auditable; its value is not
    return changes


def json_safe(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]
    return value
