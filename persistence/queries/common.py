"""What every read view shares: a scoped read session and keyset paging."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

import persistence.tenancy  # noqa: F401  (registers organization scoping)
from domain.access.permissions import Actor, Permission
from persistence.database import open_session

T = TypeVar("T")


@contextmanager
def read_session(actor: Actor, permission: Permission | None = None) -> Iterator[Session]:
    """A read-only session of the actor's organization; refuses early when the actor may not read this."""
    if permission is not None:
        actor.require(permission)
    session = open_session(actor, writes=False)
    try:
        yield session
    finally:
        session.close()  # ends the transaction without expiring what we return (rollback would expire it)


@dataclass
class Page(Generic[T]):
    """One page of a keyset-paged list: `next_cursor` is None on the last page."""

    rows: list[T]
    next_cursor: str | None = None
    total: int | None = None
    total_is_estimate: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode()


def decode_cursor(cursor: str | None) -> list[Any] | None:
    if not cursor:
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, json.JSONDecodeError):
        return None


def organization_today(actor: Actor) -> date:
    """The organization's calendar day (its timezone), the "today" of screens and use cases — not the server's."""
    from domain.calendar import today_in
    from domain.organizations.model import Organization

    with read_session(actor) as session:
        return today_in(session.scalar(select(Organization.timezone).where(Organization.id == actor.organization_id)))
