"""Storage behind the REST API's gate: finding the key a request presents, and the idempotency records of POSTs.

Key lookup runs before anyone is known, so it reads as the system (across organizations) by the unique prefix; every
other read and write here is scoped to the key's organization like any unit of work.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

import persistence.tenancy  # noqa: F401  (registers organization scoping)
from domain.access.permissions import Actor
from domain.api_keys.errors import IdempotencyKeyInFlight, IdempotencyKeyReused
from domain.api_keys.model import ApiKey, IdempotencyRecord, prefix_of
from domain.base import utcnow
from persistence.database import open_session

LAST_USED_RESOLUTION = timedelta(minutes=1)  # one UPDATE per key per minute at most, not one per request
IDEMPOTENCY_TTL = timedelta(hours=24)


def authenticate(presented: str, *, now: datetime | None = None) -> Actor | None:
    """The actor of an active key, or None (unknown, malformed, revoked or wrong secret: all alike)."""
    prefix = prefix_of(presented)
    if prefix is None:
        return None
    now = now or utcnow()
    session = open_session(Actor.system("api"), writes=False)
    try:
        api_key = session.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).unique().one_or_none()
        if api_key is None or not api_key.is_active or not api_key.matches(presented):
            return None
        actor = api_key.actor()
        stale = api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_RESOLUTION
    finally:
        session.close()
    if stale:
        _touch(api_key.id, now)
    return actor


def _touch(api_key_id: uuid.UUID, now: datetime) -> None:
    # NOTE: set-based on purpose: usage is recorded on the key itself, not as an audit event per call.
    session = open_session(Actor.system("api"))
    try:
        session.execute(update(ApiKey).where(ApiKey.id == api_key_id).values(last_used_at=now))
        session.commit()
    finally:
        session.close()


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    body: str
    headers: dict[str, str]


def claim(actor: Actor, key: str, request_hash: str) -> StoredResponse | None:
    """Take the key for this request (None: go on and `finish` it), or the stored first response to replay.
    Raises IdempotencyKeyInFlight while the first runs, IdempotencyKeyReused for another request under the key."""
    for _attempt in range(3):
        session = open_session(actor)
        try:
            session.add(IdempotencyRecord(organization_id=actor.organization_id, api_key_id=actor.id, key=key,
                                          request_hash=request_hash, response_headers={}))  # fmt: skip
            session.commit()
            return None
        except IntegrityError:
            session.rollback()
            found = _find(session, actor, key)
        finally:
            session.close()
        if found is None:
            continue  # purged between our insert and our read: claim again
        if found.status_code is None:
            raise IdempotencyKeyInFlight()
        if found.request_hash != request_hash:
            raise IdempotencyKeyReused()
        return StoredResponse(found.status_code, found.response_body or "", dict(found.response_headers or {}))
    raise IdempotencyKeyInFlight()


def finish(actor: Actor, key: str, status_code: int, body: str, headers: dict[str, str]) -> None:
    session = open_session(actor)
    try:
        session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.api_key_id == actor.id, IdempotencyRecord.key == key)
            .values(status_code=status_code, response_body=body, response_headers=headers)
        )
        session.commit()
    finally:
        session.close()


def release(actor: Actor, key: str) -> None:
    """The request failed unexpectedly (5xx): the key is freed so that the client's retry runs again."""
    session = open_session(actor)
    try:
        session.execute(
            delete(IdempotencyRecord).where(IdempotencyRecord.api_key_id == actor.id, IdempotencyRecord.key == key)
        )
        session.commit()
    finally:
        session.close()


def purge_idempotency_records(*, now: datetime | None = None, ttl: timedelta = IDEMPOTENCY_TTL) -> int:
    """Forget first responses older than the TTL, in every organization (a housekeeping job)."""
    cutoff = (now or utcnow()) - ttl
    session = open_session(Actor.system("limpeza da API"))
    try:
        table = IdempotencyRecord.__table__
        result = session.execute(delete(table).where(table.c.created_at < cutoff))
        session.commit()
        return int(result.rowcount or 0)
    finally:
        session.close()


def _find(session, actor: Actor, key: str) -> IdempotencyRecord | None:  # type: ignore[no-untyped-def]
    statement = select(IdempotencyRecord).where(IdempotencyRecord.api_key_id == actor.id, IdempotencyRecord.key == key)
    return session.scalars(statement).one_or_none()
