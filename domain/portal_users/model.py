"""PortalUser: a customer's person with access to one billing account's portal; PortalToken: its one-time links.

Rules kept here, without storage: who may sign in, lockout after failed attempts, the status transitions, and
what a token must be to be honoured (right purpose, unused, not revoked, not expired).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Audited, Base, TenantScoped, Timestamped, new_id, utcnow
from domain.portal_users.errors import InvalidPortalTransition, PortalSignInRefused, PortalUserLocked

MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)


class PortalUserStatus(StrEnum):
    ACTIVE = "active"
    PENDING_VERIFICATION = "pending_verification"  # e-mail changed (or self sign-up): must confirm it first
    PENDING_INVITATION = "pending_invitation"  # invited, has not accepted yet
    SUSPENDED = "suspended"  # temporarily without access; reactivation restores it
    DISABLED = "disabled"  # access removed for good


STATUS_LABELS = {
    PortalUserStatus.ACTIVE: "Ativo", PortalUserStatus.PENDING_VERIFICATION: "Aguardando verificação",
    PortalUserStatus.PENDING_INVITATION: "Convite pendente", PortalUserStatus.SUSPENDED: "Suspenso",
    PortalUserStatus.DISABLED: "Desativado",
}  # fmt: skip


class TokenPurpose(StrEnum):
    INVITATION = "invitation"
    MAGIC_LINK = "magic_link"
    PASSWORD_RESET = "password_reset"
    EMAIL_VERIFICATION = "email_verification"


# How long each link stays valid: a sign-in link is short-lived, an invitation waits for a busy person.
TOKEN_TTL = {
    TokenPurpose.INVITATION: timedelta(days=7),
    TokenPurpose.MAGIC_LINK: timedelta(minutes=15),
    TokenPurpose.PASSWORD_RESET: timedelta(hours=1),
    TokenPurpose.EMAIL_VERIFICATION: timedelta(days=1),
}


class PortalUser(Audited, TenantScoped, Timestamped, Base):
    __tablename__ = "portal_user"
    __audit_exclude__ = frozenset({"password_hash", "totp_secret"})
    __table_args__ = (
        Index("uq_portal_user_account_email", "billing_account_id", "email", unique=True),
        Index("ix_portal_user_org_customer", "organization_id", "customer_id"),
        Index("ix_portal_user_org_email", "organization_id", "email"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"))  # denormalized: the audit root
    billing_account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("billing_account.id"))
    email: Mapped[str] = mapped_column(String(254))  # lower-case
    name: Mapped[str]
    status: Mapped[PortalUserStatus] = mapped_column(default=PortalUserStatus.PENDING_INVITATION)
    auth_magic_link: Mapped[bool] = mapped_column(default=True)
    auth_password: Mapped[bool] = mapped_column(default=False)
    auth_sso: Mapped[bool] = mapped_column(default=False)
    totp_enabled: Mapped[bool] = mapped_column(default=False)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    password_hash: Mapped[str | None]
    failed_login_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    invited_at: Mapped[datetime | None]
    email_verified_at: Mapped[datetime | None]
    suspended_at: Mapped[datetime | None]
    suspension_reason: Mapped[str | None] = mapped_column(Text)
    disabled_at: Mapped[datetime | None]

    @property
    def audit_root_id(self) -> uuid.UUID:
        return self.customer_id

    @property
    def methods(self) -> list[str]:
        return [m for m, on in (("magic_link", self.auth_magic_link), ("password", self.auth_password),
                                ("sso", self.auth_sso)) if on]  # fmt: skip

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    def ensure_can_sign_in(self, now: datetime) -> None:
        """Only active users sign in, and not while locked; the refusal does not say which rule failed."""
        if self.is_locked(now):
            raise PortalUserLocked(self.locked_until)  # type: ignore[arg-type]
        if self.status is not PortalUserStatus.ACTIVE:
            raise PortalSignInRefused()

    def register_failed_login(self, now: datetime, *, max_attempts: int = MAX_FAILED_ATTEMPTS,
                              lockout: timedelta = LOCKOUT) -> None:  # fmt: skip
        """After `max_attempts` consecutive failures the user is locked out for `lockout`."""
        if self.locked_until is not None and self.locked_until <= now:
            self.failed_login_attempts = 0  # a lockout that expired starts a fresh count
        self.failed_login_attempts += 1
        self.locked_until = now + lockout if self.failed_login_attempts >= max_attempts else None

    def register_successful_login(self, now: datetime) -> None:
        self.failed_login_attempts, self.locked_until, self.last_login_at = 0, None, now

    def unlock(self) -> None:
        self.failed_login_attempts, self.locked_until = 0, None

    def activate(self, now: datetime) -> None:
        """The person proved they own the e-mail (accepted the invitation or verified the address)."""
        if self.status not in (PortalUserStatus.PENDING_INVITATION, PortalUserStatus.PENDING_VERIFICATION):
            raise InvalidPortalTransition(STATUS_LABELS[self.status], "ativado por este link")
        self.status, self.email_verified_at = PortalUserStatus.ACTIVE, now

    def suspend(self, *, reason: str, now: datetime) -> None:
        if self.status in (PortalUserStatus.SUSPENDED, PortalUserStatus.DISABLED):
            raise InvalidPortalTransition(STATUS_LABELS[self.status], "suspenso")
        self.status, self.suspended_at, self.suspension_reason = PortalUserStatus.SUSPENDED, now, reason

    def reactivate(self) -> None:
        """Back to where the person was: active when the e-mail is confirmed; otherwise still pending, the
        verification of a changed e-mail when they had signed in before, the invitation when they never had."""
        if self.status is not PortalUserStatus.SUSPENDED:
            raise InvalidPortalTransition(STATUS_LABELS[self.status], "reativado")
        if self.email_verified_at:
            self.status = PortalUserStatus.ACTIVE
        elif self.last_login_at:
            self.status = PortalUserStatus.PENDING_VERIFICATION
        else:
            self.status = PortalUserStatus.PENDING_INVITATION
        self.suspended_at = self.suspension_reason = None

    def disable(self, *, now: datetime) -> None:
        if self.status is PortalUserStatus.DISABLED:
            raise InvalidPortalTransition(STATUS_LABELS[self.status], "desativado")
        self.status, self.disabled_at = PortalUserStatus.DISABLED, now

    def ensure_not_disabled(self, action: str) -> None:
        if self.status is PortalUserStatus.DISABLED:
            raise InvalidPortalTransition(STATUS_LABELS[self.status], action)


class PortalToken(TenantScoped, Base):
    """A one-time link: only the SHA-256 of the random token is stored, so a database leak opens no portal."""

    __tablename__ = "portal_token"
    __table_args__ = (Index("ix_portal_token_user_purpose", "portal_user_id", "purpose"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    portal_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("portal_user.id"))
    purpose: Mapped[TokenPurpose]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    def is_usable(self, purpose: TokenPurpose, now: datetime) -> bool:
        return self.purpose is purpose and self.used_at is None and self.revoked_at is None and now < self.expires_at

    def use(self, now: datetime) -> None:
        self.used_at = now
