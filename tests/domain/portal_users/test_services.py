"""Portal users on SQLite and PostgreSQL: invitations and links are single-use and expire, only their hashes are
stored, sign-in locks after five failures, and every operator action is audited on the customer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select

from domain.access import passwords
from domain.access.permissions import Actor
from domain.billing_accounts import services as accounts
from domain.billing_accounts.errors import AccountSuspended
from domain.portal_users import services as portal
from domain.portal_users.errors import (
    InvalidPortalToken,
    NoSignInMethod,
    PortalSignInRefused,
    PortalUserExists,
    PortalUserLocked,
)
from domain.portal_users.model import PortalToken, PortalUserStatus
from persistence.queries import audit as audit_queries
from persistence.queries import customer_page
from persistence.queries.audit import AuditFilter
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.registry_factories import make_account, make_customer

NOW = datetime(2026, 8, 3, 9, tzinfo=UTC)
PASSWORD = "portal-forte-2026"


@pytest.fixture
def account(org, admin):  # type: ignore[no-untyped-def]
    return make_account(admin, make_customer(admin, name="Alfa"), "Matriz")


@pytest.fixture
def portal_actor(org) -> Actor:  # type: ignore[no-untyped-def]
    return Actor.system("portal", org.id)


def invite(admin, account, email="joao@alfa.com.br", **methods):  # type: ignore[no-untyped-def]
    return portal.invite_portal_user(SqlUnitOfWork(admin), billing_account_id=account.id, email=email, name="João",
                                     now=NOW, **methods)  # fmt: skip


def users(admin, account):  # type: ignore[no-untyped-def]
    return {u.email: u for u in customer_page.portal_users(admin, account.customer_id)}


def test_an_invitation_is_pending_until_its_link_is_followed_once(admin, account, portal_actor) -> None:  # type: ignore[no-untyped-def]
    link = invite(admin, account, password=True)
    assert users(admin, account)["joao@alfa.com.br"].status == "pending_invitation"
    portal.accept_invitation(SqlUnitOfWork(portal_actor), token=link.token, password=PASSWORD, now=NOW)
    assert users(admin, account)["joao@alfa.com.br"].status == "active"
    with pytest.raises(InvalidPortalToken):
        portal.accept_invitation(SqlUnitOfWork(portal_actor), token=link.token, password=PASSWORD, now=NOW)


def test_an_invitation_expires_after_seven_days(admin, account, portal_actor) -> None:  # type: ignore[no-untyped-def]
    link = invite(admin, account)
    with pytest.raises(InvalidPortalToken):
        portal.accept_invitation(SqlUnitOfWork(portal_actor), token=link.token, now=NOW + timedelta(days=7))


def test_resending_an_invitation_voids_the_previous_link(admin, account, portal_actor) -> None:  # type: ignore[no-untyped-def]
    first = invite(admin, account)
    second = portal.resend_invitation(SqlUnitOfWork(admin), portal_user_id=first.portal_user_id, now=NOW)
    with pytest.raises(InvalidPortalToken):
        portal.accept_invitation(SqlUnitOfWork(portal_actor), token=first.token, now=NOW)
    portal.accept_invitation(SqlUnitOfWork(portal_actor), token=second.token, now=NOW)


def test_only_hashes_of_links_are_stored(admin, account) -> None:  # type: ignore[no-untyped-def]
    link = invite(admin, account)
    with SqlUnitOfWork(admin) as uow:
        stored = list(uow.session.scalars(select(PortalToken.token_hash)))
    assert stored and link.token not in stored and all(len(h) == 64 for h in stored)


def test_five_wrong_passwords_lock_the_portal_user_even_for_the_right_one(admin, account, portal_actor) -> None:  # type: ignore[no-untyped-def]
    link = invite(admin, account, password=True)
    portal.accept_invitation(SqlUnitOfWork(portal_actor), token=link.token, password=PASSWORD, now=NOW)
    attempt = dict(billing_account_id=account.id, email="joao@alfa.com.br", now=NOW)
    for _ in range(4):
        with pytest.raises(PortalSignInRefused):
            portal.sign_in_with_password(SqlUnitOfWork(portal_actor), password="errada-123", **attempt)
    with pytest.raises(PortalUserLocked):
        portal.sign_in_with_password(SqlUnitOfWork(portal_actor), password="errada-123", **attempt)
    with pytest.raises(PortalUserLocked):
        portal.sign_in_with_password(SqlUnitOfWork(portal_actor), password=PASSWORD, **attempt)
    shown = users(admin, account)["joao@alfa.com.br"]
    assert shown.failed_login_attempts == 5 and shown.locked_until == NOW + timedelta(minutes=15)
    portal.unlock_portal_user(SqlUnitOfWork(admin), portal_user_id=link.portal_user_id)
    portal.sign_in_with_password(SqlUnitOfWork(portal_actor), password=PASSWORD, **attempt)
    assert users(admin, account)["joao@alfa.com.br"].last_login_at == NOW


def test_a_magic_link_signs_in_once_within_fifteen_minutes(admin, account, portal_actor) -> None:  # type: ignore[no-untyped-def]
    invitation = invite(admin, account)
    portal.accept_invitation(SqlUnitOfWork(portal_actor), token=invitation.token, now=NOW)
    ask = dict(billing_account_id=account.id, email="JOAO@alfa.com.br")
    late = portal.request_magic_link(SqlUnitOfWork(portal_actor), now=NOW, **ask)
    link = portal.request_magic_link(SqlUnitOfWork(portal_actor), now=NOW, **ask)
    unknown = portal.request_magic_link(SqlUnitOfWork(portal_actor), now=NOW, billing_account_id=account.id,
                                        email="ninguem@x.com")  # fmt: skip
    assert late and link and unknown is None  # an unknown e-mail gets the same answer, and no link
    with pytest.raises(InvalidPortalToken):  # asking again voided the first link
        portal.sign_in_with_magic_link(SqlUnitOfWork(portal_actor), token=late.token, now=NOW)
    with pytest.raises(InvalidPortalToken):
        portal.sign_in_with_magic_link(SqlUnitOfWork(portal_actor), token=link.token, now=NOW + timedelta(minutes=16))
    fresh = portal.request_magic_link(SqlUnitOfWork(portal_actor), now=NOW, **ask)
    portal.sign_in_with_magic_link(SqlUnitOfWork(portal_actor), token=fresh.token, now=NOW + timedelta(minutes=1))
    with pytest.raises(InvalidPortalToken):
        portal.sign_in_with_magic_link(SqlUnitOfWork(portal_actor), token=fresh.token, now=NOW + timedelta(minutes=2))


def test_a_suspended_user_cannot_sign_in_and_reactivation_restores_access(admin, account, portal_actor) -> None:  # type: ignore[no-untyped-def]
    invitation = invite(admin, account, password=True)
    portal.accept_invitation(SqlUnitOfWork(portal_actor), token=invitation.token, password=PASSWORD, now=NOW)
    reset = portal.send_password_reset(SqlUnitOfWork(admin), portal_user_id=invitation.portal_user_id, now=NOW)
    portal.suspend_portal_user(SqlUnitOfWork(admin), portal_user_id=invitation.portal_user_id,
                               reason="Saiu da empresa?", now=NOW)  # fmt: skip
    attempt = dict(billing_account_id=account.id, email="joao@alfa.com.br", password=PASSWORD, now=NOW)
    with pytest.raises(PortalSignInRefused):
        portal.sign_in_with_password(SqlUnitOfWork(portal_actor), **attempt)
    portal.reactivate_portal_user(SqlUnitOfWork(admin), portal_user_id=invitation.portal_user_id, reason="Confirmado")
    with pytest.raises(InvalidPortalToken):  # suspension voided the reset link sent before it
        portal.reset_password(SqlUnitOfWork(portal_actor), token=reset.token, password="nova-senha-2026", now=NOW)
    portal.sign_in_with_password(SqlUnitOfWork(portal_actor), **attempt)


def test_a_password_reset_link_sets_a_new_password_once(admin, account, portal_actor) -> None:  # type: ignore[no-untyped-def]
    invitation = invite(admin, account, password=True)
    portal.accept_invitation(SqlUnitOfWork(portal_actor), token=invitation.token, password=PASSWORD, now=NOW)
    reset = portal.send_password_reset(SqlUnitOfWork(admin), portal_user_id=invitation.portal_user_id, now=NOW)
    portal.reset_password(SqlUnitOfWork(portal_actor), token=reset.token, password="nova-senha-2026", now=NOW)
    attempt = dict(billing_account_id=account.id, email="joao@alfa.com.br", now=NOW)
    portal.sign_in_with_password(SqlUnitOfWork(portal_actor), password="nova-senha-2026", **attempt)
    with pytest.raises(PortalSignInRefused):
        portal.sign_in_with_password(SqlUnitOfWork(portal_actor), password=PASSWORD, **attempt)


def test_a_new_email_must_be_verified_before_the_next_sign_in(admin, account, portal_actor) -> None:  # type: ignore[no-untyped-def]
    invitation = invite(admin, account)
    portal.accept_invitation(SqlUnitOfWork(portal_actor), token=invitation.token, now=NOW)
    link = portal.change_portal_user_email(SqlUnitOfWork(admin), portal_user_id=invitation.portal_user_id,
                                           email="joao.silva@alfa.com.br", now=NOW)  # fmt: skip
    assert users(admin, account)["joao.silva@alfa.com.br"].status == PortalUserStatus.PENDING_VERIFICATION
    portal.verify_email(SqlUnitOfWork(portal_actor), token=link.token, now=NOW)
    assert users(admin, account)["joao.silva@alfa.com.br"].status == PortalUserStatus.ACTIVE


def test_one_email_per_account_and_no_invitations_to_a_suspended_account(admin, account) -> None:  # type: ignore[no-untyped-def]
    invite(admin, account)
    with pytest.raises(PortalUserExists):
        invite(admin, account, email="JOAO@alfa.com.br")
    accounts.suspend_billing_account(SqlUnitOfWork(admin), account_id=account.id, reason="Inadimplência")
    with pytest.raises(AccountSuspended):
        invite(admin, account, email="maria@alfa.com.br")


def test_operator_actions_reach_the_customers_timeline_without_secrets(admin, account, portal_actor) -> None:  # type: ignore[no-untyped-def]
    link = invite(admin, account, password=True)
    portal.accept_invitation(SqlUnitOfWork(portal_actor), token=link.token, password=PASSWORD, now=NOW)
    portal.suspend_portal_user(SqlUnitOfWork(admin), portal_user_id=link.portal_user_id, reason="Férias", now=NOW)
    events = audit_queries.list_events(admin, AuditFilter(root_id=str(account.customer_id)), limit=50).rows
    actions = [e.action for e in events]
    assert actions[:3] == ["portal_user.suspended", "portal_user.invitation_accepted", "portal_user.invited"]
    assert events[0].reason == "Férias"
    assert all("argon2" not in str(e.changes) and link.token not in str(e.changes) for e in events)


def test_an_operator_chooses_the_sign_in_methods_but_never_none(admin, account, portal_actor) -> None:  # type: ignore[no-untyped-def]
    link = invite(admin, account)
    portal.accept_invitation(SqlUnitOfWork(portal_actor), token=link.token, now=NOW)
    with pytest.raises(NoSignInMethod):
        portal.set_sign_in_methods(SqlUnitOfWork(admin), portal_user_id=link.portal_user_id, magic_link=False,
                                   password=False, sso=False)  # fmt: skip
    portal.set_sign_in_methods(SqlUnitOfWork(admin), portal_user_id=link.portal_user_id, magic_link=False,
                               password=False, sso=True)  # fmt: skip
    assert users(admin, account)["joao@alfa.com.br"].methods == ["sso"]
    ask = dict(billing_account_id=account.id, email="joao@alfa.com.br", now=NOW)
    assert portal.request_magic_link(SqlUnitOfWork(portal_actor), **ask) is None


def test_with_2fa_on_a_password_alone_does_not_sign_in(admin, account, portal_actor) -> None:  # type: ignore[no-untyped-def]
    link = invite(admin, account, password=True)
    portal.accept_invitation(SqlUnitOfWork(portal_actor), token=link.token, password=PASSWORD, now=NOW)
    secret = passwords.new_totp_secret()
    portal.enable_totp(SqlUnitOfWork(portal_actor), portal_user_id=link.portal_user_id, secret=secret,
                       code=pyotp.TOTP(secret).now())  # fmt: skip
    assert users(admin, account)["joao@alfa.com.br"].totp_enabled
    attempt = dict(billing_account_id=account.id, email="joao@alfa.com.br", password=PASSWORD, now=NOW)
    with pytest.raises(PortalSignInRefused):
        portal.sign_in_with_password(SqlUnitOfWork(portal_actor), **attempt)
    portal.sign_in_with_password(SqlUnitOfWork(portal_actor), totp_code=pyotp.TOTP(secret).now(), **attempt)
    portal.reset_totp(SqlUnitOfWork(admin), portal_user_id=link.portal_user_id, reason="Trocou de celular")
    portal.sign_in_with_password(SqlUnitOfWork(portal_actor), **attempt)
