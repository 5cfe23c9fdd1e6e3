"""Operators (finance staff who sign in) and the roles that grant them permissions."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.access.permissions import Actor, Permission
from domain.base import Audited, Base, TenantScoped, Timestamped, new_id


class Role(Audited, TenantScoped, Timestamped, Base):
    __tablename__ = "role"
    __table_args__ = (UniqueConstraint("organization_id", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(64))
    label: Mapped[str]
    permissions: Mapped[list[str]] = mapped_column(default=list)
    is_builtin: Mapped[bool] = mapped_column(default=False)

    @property
    def permission_set(self) -> frozenset[Permission]:
        known = {p.value for p in Permission}
        return frozenset(Permission(p) for p in self.permissions if p in known)


class Operator(Audited, TenantScoped, Timestamped, Base):
    __tablename__ = "operator"
    __audit_exclude__ = frozenset({"password_hash", "totp_secret"})

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # one organization per operator login
    name: Mapped[str]
    role_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("role.id"))
    role: Mapped[Role] = relationship(lazy="joined")
    password_hash: Mapped[str]
    is_active: Mapped[bool] = mapped_column(default=True)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled: Mapped[bool] = mapped_column(default=False)
    failed_login_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]

    def actor(self) -> Actor:
        return Actor("operator", self.id, self.name, self.organization_id, self.role.permission_set)

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    def register_failed_login(self, now: datetime, *, max_attempts: int, lockout: timedelta) -> None:
        """After `max_attempts` consecutive failures the login is locked for `lockout`."""
        self.failed_login_attempts += 1
        if self.failed_login_attempts >= max_attempts:
            self.locked_until = now + lockout

    def register_successful_login(self, now: datetime) -> None:
        self.failed_login_attempts = 0
        self.locked_until = None
        self.last_login_at = now

    def unlock(self) -> None:
        self.failed_login_attempts = 0
        self.locked_until = None
