"""Use cases of portal users: what operators do (invite, resend, suspend, reactivate, reset password, unlock,
disable) and what the customer portal will call (accept an invitation, verify an e-mail, sign in with a password
or a magic link, set a new password). Links are single-use and expire; only their hashes are stored.

Operator use cases need PORTAL_USERS_MANAGE. Portal-side ones run as the portal's system actor of the
organization: the token (or the password) is the credential, and failures are counted for the lockout.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from domain.access import passwords
from domain.access.permissions import Permission
from domain.billing_accounts.model import AccountStatus
from domain.customers.contacts import normalize_email
from domain.customers.errors import clean_reason, require_reason
from domain.errors import ValidationFailed
from domain.portal_users.errors import (
    InvalidPortalToken,
    InvalidPortalTransition,
    NoSignInMethod,
    PortalSignInRefused,
    PortalUserExists,
)  # fmt: skip
from domain.portal_users.model import STATUS_LABELS, PortalUser, PortalUserStatus, TokenPurpose
from domain.portal_users.tokens import issue_token

if TYPE_CHECKING:
    from domain.customers.ports import RegistryUnitOfWork


@dataclass(frozen=True)
class IssuedLink:
    """A link to hand to the person (by e-mail): the raw token exists only here, never in storage."""

    portal_user_id: uuid.UUID
    purpose: TokenPurpose
    token: str
    expires_at: datetime


def invite_portal_user(
    uow: RegistryUnitOfWork, *, billing_account_id: uuid.UUID, email: str, name: str, now: datetime,
    magic_link: bool = True, password: bool = False, sso: bool = False,
) -> IssuedLink:  # fmt: skip
    """Invite a person to an active account's portal: pending until they accept a single-use, expiring link."""
    with uow:
        uow.actor.require(Permission.PORTAL_USERS_MANAGE)
        uow.describe("portal_user.invited")
        account = uow.billing_accounts.get_live(billing_account_id)
        if account.status is not AccountStatus.ACTIVE:
            account.ensure_can_invoice()  # raises: suspended or closed accounts take no new portal users
        email = normalize_email(email) or ""
        if not " ".join(name.split()):
            raise ValidationFailed("Informe o nome da pessoa.", field="name")
        if uow.portal_users.find_in_account(account.id, email) is not None:
            raise PortalUserExists(email, account.name)
        if not (magic_link or password or sso):
            raise NoSignInMethod()
        user = PortalUser(
            organization_id=account.organization_id, customer_id=account.customer_id, billing_account_id=account.id,
            email=email, name=" ".join(name.split()), status=PortalUserStatus.PENDING_INVITATION, invited_at=now,
            auth_magic_link=magic_link, auth_password=password, auth_sso=sso, failed_login_attempts=0,
            totp_enabled=False,
        )  # fmt: skip
        uow.add(user)
        uow.flush()
        link = _issue(uow, user, TokenPurpose.INVITATION, now)
        uow.commit()
        return link


def resend_invitation(uow: RegistryUnitOfWork, *, portal_user_id: uuid.UUID, now: datetime) -> IssuedLink:
    """A fresh invitation link; the previous ones stop working."""
    with uow:
        uow.actor.require(Permission.PORTAL_USERS_MANAGE)
        uow.describe("portal_user.invitation_resent")
        user = uow.get(PortalUser, portal_user_id, label="Usuário do portal")
        if user.status is not PortalUserStatus.PENDING_INVITATION:
            raise InvalidPortalTransition(STATUS_LABELS[user.status], "convidado de novo")
        user.invited_at = now
        link = _issue(uow, user, TokenPurpose.INVITATION, now)
        uow.commit()
        return link


def suspend_portal_user(uow: RegistryUnitOfWork, *, portal_user_id: uuid.UUID, reason: str, now: datetime) -> None:
    """Take a person's access away for a while, with a reason; their links stop working."""
    with uow:
        uow.actor.require(Permission.PORTAL_USERS_MANAGE)
        uow.describe("portal_user.suspended", reason=clean_reason(reason))
        user = uow.get(PortalUser, portal_user_id, label="Usuário do portal")
        reason = require_reason(reason, "suspender o usuário")
        user.suspend(reason=reason, now=now)
        revoke_all_links(uow, user, now)
        uow.commit()


def reactivate_portal_user(uow: RegistryUnitOfWork, *, portal_user_id: uuid.UUID, reason: str | None = None) -> None:
    """Give a suspended person their access back (pending again if they never confirmed their e-mail)."""
    with uow:
        uow.actor.require(Permission.PORTAL_USERS_MANAGE)
        uow.describe("portal_user.reactivated", reason=clean_reason(reason))
        user = uow.get(PortalUser, portal_user_id, label="Usuário do portal")
        user.reactivate()
        uow.commit()


def disable_portal_user(uow: RegistryUnitOfWork, *, portal_user_id: uuid.UUID, reason: str, now: datetime) -> None:
    """Remove a person's access for good (they left the company)."""
    with uow:
        uow.actor.require(Permission.PORTAL_USERS_MANAGE)
        uow.describe("portal_user.disabled", reason=clean_reason(reason))
        user = uow.get(PortalUser, portal_user_id, label="Usuário do portal")
        reason = require_reason(reason, "desativar o usuário")
        user.disable(now=now)
        revoke_all_links(uow, user, now)
        uow.commit()


def unlock_portal_user(uow: RegistryUnitOfWork, *, portal_user_id: uuid.UUID) -> None:
    """Lift a lockout before it expires and clear the failed attempts."""
    with uow:
        uow.actor.require(Permission.PORTAL_USERS_MANAGE)
        uow.describe("portal_user.unlocked")
        uow.get(PortalUser, portal_user_id, label="Usuário do portal").unlock()
        uow.commit()


def send_password_reset(uow: RegistryUnitOfWork, *, portal_user_id: uuid.UUID, now: datetime) -> IssuedLink:
    """An operator sends a password-reset link; the current password keeps working until the link is used."""
    with uow:
        uow.actor.require(Permission.PORTAL_USERS_MANAGE)
        uow.describe("portal_user.password_reset_sent")
        user = uow.get(PortalUser, portal_user_id, label="Usuário do portal")
        if user.status is not PortalUserStatus.ACTIVE:
            raise InvalidPortalTransition(STATUS_LABELS[user.status], "ter a senha redefinida")
        link = _issue(uow, user, TokenPurpose.PASSWORD_RESET, now)
        uow.commit()
        return link


def change_portal_user_email(
    uow: RegistryUnitOfWork, *, portal_user_id: uuid.UUID, email: str, now: datetime
) -> IssuedLink:
    """A new e-mail must be confirmed before the person signs in again: pending verification, with a link."""
    with uow:
        uow.actor.require(Permission.PORTAL_USERS_MANAGE)
        uow.describe("portal_user.email_changed")
        user = uow.get(PortalUser, portal_user_id, label="Usuário do portal")
        user.ensure_not_disabled("alterado")
        email = normalize_email(email) or ""
        other = uow.portal_users.find_in_account(user.billing_account_id, email)
        if other is not None and other.id != user.id:
            raise PortalUserExists(email, "desta conta")
        user.email, user.email_verified_at = email, None
        if user.status is PortalUserStatus.ACTIVE:
            user.status = PortalUserStatus.PENDING_VERIFICATION
        link = _issue(uow, user, TokenPurpose.EMAIL_VERIFICATION, now)
        uow.commit()
        return link


def set_sign_in_methods(
    uow: RegistryUnitOfWork, *, portal_user_id: uuid.UUID, magic_link: bool, password: bool, sso: bool,
) -> None:  # fmt: skip
    """Choose how a person may sign in (magic link, password, SSO); at least one."""
    with uow:
        uow.actor.require(Permission.PORTAL_USERS_MANAGE)
        uow.describe("portal_user.methods_changed")
        if not (magic_link or password or sso):
            raise NoSignInMethod()
        user = uow.get(PortalUser, portal_user_id, label="Usuário do portal")
        user.auth_magic_link, user.auth_password, user.auth_sso = magic_link, password, sso
        uow.commit()


# --- Portal side -----------------------------------------------------------------------------------------------------


def accept_invitation(uow: RegistryUnitOfWork, *, token: str, now: datetime, password: str | None = None) -> uuid.UUID:
    """The invited person follows the link (once, before it expires) and is active; a password if they use one."""
    with uow:
        uow.describe("portal_user.invitation_accepted")
        user = _redeem(uow, token, TokenPurpose.INVITATION, now)
        if user.auth_password:
            if not password:
                raise ValidationFailed("Crie uma senha para acessar o portal.", field="password")
            user.password_hash = passwords.hash_password(password)
        user.activate(now)
        user.register_successful_login(now)
        uow.commit()
        return user.id


def verify_email(uow: RegistryUnitOfWork, *, token: str, now: datetime) -> uuid.UUID:
    """Following the verification link confirms the (new) e-mail and restores access."""
    with uow:
        uow.describe("portal_user.email_verified")
        user = _redeem(uow, token, TokenPurpose.EMAIL_VERIFICATION, now)
        user.activate(now)
        uow.commit()
        return user.id


def reset_password(uow: RegistryUnitOfWork, *, token: str, password: str, now: datetime) -> uuid.UUID:
    """A reset link sets a new password once; it also lifts a lockout (the person proved who they are)."""
    with uow:
        uow.describe("portal_user.password_reset")
        user = _redeem(uow, token, TokenPurpose.PASSWORD_RESET, now)
        user.password_hash = passwords.hash_password(password)
        user.auth_password = True
        user.unlock()
        uow.commit()
        return user.id


def enable_totp(uow: RegistryUnitOfWork, *, portal_user_id: uuid.UUID, secret: str, code: str) -> None:
    """A signed-in portal user turns on 2FA by proving their authenticator shows the right code."""
    with uow:
        uow.describe("portal_user.totp_enabled")
        if not passwords.verify_totp(secret, code):
            raise ValidationFailed("Código do autenticador inválido.", field="totp")
        user = uow.get(PortalUser, portal_user_id, label="Usuário do portal")
        user.totp_secret, user.totp_enabled = secret, True
        uow.commit()


def reset_totp(uow: RegistryUnitOfWork, *, portal_user_id: uuid.UUID, reason: str) -> None:
    """An operator turns 2FA off for a person who lost their phone (with a reason); they enrol again later."""
    with uow:
        uow.actor.require(Permission.PORTAL_USERS_MANAGE)
        uow.describe("portal_user.totp_reset", reason=clean_reason(reason))
        require_reason(reason, "desativar o 2FA")
        user = uow.get(PortalUser, portal_user_id, label="Usuário do portal")
        user.totp_secret, user.totp_enabled = None, False
        uow.commit()


def request_magic_link(
    uow: RegistryUnitOfWork, *, billing_account_id: uuid.UUID, email: str, now: datetime
) -> IssuedLink | None:
    """A sign-in link for an active user with magic links on; None otherwise (the portal says the same either way)."""
    with uow:
        uow.describe("portal_user.magic_link_sent")
        user = uow.portal_users.find_in_account(billing_account_id, (email or "").strip().lower())
        if user is None or not user.auth_magic_link or user.status is not PortalUserStatus.ACTIVE:
            return None
        if user.is_locked(now):
            return None
        link = _issue(uow, user, TokenPurpose.MAGIC_LINK, now)
        uow.commit()
        return link


def sign_in_with_magic_link(uow: RegistryUnitOfWork, *, token: str, now: datetime) -> uuid.UUID:
    """A magic link signs its user in once, within 15 minutes, if they are still active and not locked."""
    with uow:
        uow.describe("portal_user.signed_in")
        user = _redeem(uow, token, TokenPurpose.MAGIC_LINK, now)
        user.ensure_can_sign_in(now)
        user.register_successful_login(now)
        uow.commit()
        return user.id


def sign_in_with_password(
    uow: RegistryUnitOfWork, *, billing_account_id: uuid.UUID, email: str, password: str, now: datetime,
    totp_code: str | None = None,
) -> uuid.UUID:  # fmt: skip
    """Password sign-in: five consecutive failures lock the user for 15 minutes; every failure is audited."""
    with uow:
        user = uow.portal_users.find_in_account(billing_account_id, (email or "").strip().lower())
        if user is None:
            passwords.verify_password(None, password)  # same cost as a real check: no enumeration by timing
            raise PortalSignInRefused()
        user.ensure_can_sign_in(now)
        ok = user.auth_password and passwords.verify_password(user.password_hash, password)
        if ok and user.totp_enabled:
            ok = bool(totp_code) and passwords.verify_totp(user.totp_secret, totp_code or "")
        if not ok:
            user.register_failed_login(now)
            uow.describe("portal_user.sign_in_failed" if user.locked_until is None else "portal_user.locked")
            uow.commit()
            user.ensure_can_sign_in(now)  # raises "locked" on the attempt that locked it
            raise PortalSignInRefused()
        user.register_successful_login(now)
        uow.describe("portal_user.signed_in")
        uow.commit()
        return user.id


def _issue(uow: RegistryUnitOfWork, user: PortalUser, purpose: TokenPurpose, now: datetime) -> IssuedLink:
    """One live link per purpose: issuing a new one revokes the older ones."""
    uow.portal_users.revoke_tokens(user.id, purpose, now)
    raw, token = issue_token(user.id, purpose, now)
    token.organization_id = user.organization_id
    uow.add(token)
    return IssuedLink(user.id, purpose, raw, token.expires_at)


def revoke_all_links(uow: RegistryUnitOfWork, user: PortalUser, now: datetime) -> None:
    """Every unused link of the person stops working (suspension, disabling, the account going away)."""
    for purpose in TokenPurpose:
        uow.portal_users.revoke_tokens(user.id, purpose, now)


def _redeem(uow: RegistryUnitOfWork, raw: str, purpose: TokenPurpose, now: datetime) -> PortalUser:
    token = uow.portal_users.find_token(raw)
    if token is None or not token.is_usable(purpose, now):
        raise InvalidPortalToken()
    token.use(now)  # committed with what it unlocked; a refusal below rolls back and leaves the link usable
    user = uow.get(PortalUser, token.portal_user_id, label="Usuário do portal")
    if user.status in (PortalUserStatus.SUSPENDED, PortalUserStatus.DISABLED):
        raise InvalidPortalToken()
    return user
