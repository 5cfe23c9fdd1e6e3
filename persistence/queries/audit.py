"""The audit trail, filtered and keyset-paged, newest first."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select

from domain.access.permissions import Actor, Permission
from domain.audit.model import AuditEvent
from persistence.queries.common import Page, decode_cursor, encode_cursor, read_session


@dataclass(frozen=True)
class AuditFilter:
    entity_type: str | None = None
    action: str | None = None
    actor_name: str | None = None
    entity_id: str | None = None
    root_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class AuditRow:
    id: uuid.UUID
    occurred_at: datetime
    actor_kind: str
    actor_name: str
    action: str
    entity_type: str
    entity_id: str
    changes: dict[str, Any]
    reason: str | None


def list_events(actor: Actor, filters: AuditFilter, *, cursor: str | None = None, limit: int = 50) -> Page[AuditRow]:
    """Newest first; the cursor is the (time, id) of the last row shown."""
    with read_session(actor, Permission.AUDIT_READ) as session:
        statement = select(AuditEvent).where(*_conditions(filters))
        after = decode_cursor(cursor)
        if after:
            at, last_id = datetime.fromisoformat(after[0]), uuid.UUID(after[1])
            statement = statement.where(
                or_(AuditEvent.occurred_at < at, and_(AuditEvent.occurred_at == at, AuditEvent.id < last_id))
            )
        statement = statement.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()).limit(limit + 1)
        events = list(session.scalars(statement))
        rows = [_row(e) for e in events[:limit]]
        next_cursor = None
        if len(events) > limit:
            last = events[limit - 1]
            next_cursor = encode_cursor([last.occurred_at.isoformat(), str(last.id)])
        return Page(rows=rows, next_cursor=next_cursor)


def entity_types(actor: Actor) -> list[str]:
    with read_session(actor, Permission.AUDIT_READ) as session:
        return list(session.scalars(select(AuditEvent.entity_type).distinct().order_by(AuditEvent.entity_type)))


def _conditions(f: AuditFilter) -> list[Any]:
    conditions: list[Any] = []
    if f.entity_type:
        conditions.append(AuditEvent.entity_type == f.entity_type)
    if f.action:
        conditions.append(AuditEvent.action.contains(f.action.strip()))
    if f.actor_name:
        conditions.append(func.lower(AuditEvent.actor_name).contains(f.actor_name.strip().lower()))
    if f.entity_id:
        conditions.append(AuditEvent.entity_id == f.entity_id)
    if f.root_id:
        conditions.append(or_(AuditEvent.root_id == f.root_id, AuditEvent.entity_id == f.root_id))
    if f.since:
        conditions.append(AuditEvent.occurred_at >= f.since)
    if f.until:
        conditions.append(AuditEvent.occurred_at < f.until)
    return conditions


def _row(e: AuditEvent) -> AuditRow:
    return AuditRow(e.id, e.occurred_at, e.actor_kind, e.actor_name, e.action, e.entity_type, e.entity_id,
                    e.changes, e.reason)  # fmt: skip
