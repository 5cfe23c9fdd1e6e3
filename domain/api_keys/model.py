"""ApiKey: a credential an admin gives an integration, with a role; IdempotencyRecord: the first answer to a POST.

A key is shown once (`fat_live_<10 chars>_<secret>`). Only its prefix (the first 19 characters, safe to show in
lists and logs) and the SHA-256 of the whole key are stored. SHA-256 and not argon2 on purpose: argon2 slows down
guessing low-entropy passwords; a key carries ~240 random bits, which no hash speed makes guessable, and it is
checked on every request, where a memory-hard hash would cost tens of milliseconds and megabytes per call.
"""

from __future__ import annotations

import hashlib
import secrets
import string
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.access.model import Role
from domain.access.permissions import Actor
from domain.base import Audited, Base, TenantScoped, Timestamped, new_id, utcnow

KEY_SCHEME = "fat_live_"
PREFIX_LENGTH = len(KEY_SCHEME) + 10  # fat_live_ + 10 random characters: what lists and logs show
_ALPHABET = string.ascii_lowercase + string.digits


def hash_secret(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def generate_key() -> str:
    """`fat_live_` + 10 lower-case alphanumerics (the public prefix) + `_` + 40 url-safe random characters."""
    public = "".join(secrets.choice(_ALPHABET) for _ in range(PREFIX_LENGTH - len(KEY_SCHEME)))
    return f"{KEY_SCHEME}{public}_{secrets.token_urlsafe(30)}"


def prefix_of(key: str) -> str | None:
    """The stored, indexed prefix of a presented key, or None when it cannot be one of ours."""
    if not key.startswith(KEY_SCHEME) or len(key) < PREFIX_LENGTH + 20 or key[PREFIX_LENGTH] != "_":
        return None
    return key[:PREFIX_LENGTH]


class ApiKey(Audited, TenantScoped, Timestamped, Base):
    __tablename__ = "api_key"
    __audit_exclude__ = frozenset({"secret_hash", "last_used_at"})
    __table_args__ = (Index("uq_api_key_prefix", "prefix", unique=True),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(32))
    secret_hash: Mapped[str] = mapped_column(String(64))
    role_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("role.id"))
    role: Mapped[Role] = relationship(lazy="joined", innerjoin=True)  # inner: FOR UPDATE works on PostgreSQL
    created_by: Mapped[str] = mapped_column(String(120))  # who created it (operator's name or "cli")
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by: Mapped[str | None] = mapped_column(String(120))

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def matches(self, key: str) -> bool:
        return secrets.compare_digest(self.secret_hash, hash_secret(key))

    def actor(self) -> Actor:
        """The audit trail shows "API: <name>" with the key's id; permissions are its role's, read on each call."""
        return Actor("api_key", self.id, f"API: {self.name}", self.organization_id, self.role.permission_set)

    def revoke(self, *, by: str, now: datetime | None = None) -> None:
        if self.revoked_at is None:
            self.revoked_at, self.revoked_by = now or utcnow(), by


class IdempotencyRecord(TenantScoped, Base):
    """The first response to a POST made with an `Idempotency-Key`; kept at least 24 hours (jobs/api.py purges)."""

    __tablename__ = "idempotency_record"
    __tenant_index__ = False  # looked up by (api_key_id, key); an organization index would only cost writes
    __table_args__ = (
        UniqueConstraint("api_key_id", "key"),
        Index("ix_idempotency_record_created", "created_at"),  # the purge reads by age across organizations
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    api_key_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("api_key.id"))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None]  # None while the first request is still running
    response_body: Mapped[str | None] = mapped_column(Text)
    response_headers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
