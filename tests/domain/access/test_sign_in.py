"""Signing in: argon2 passwords, lockout after 5 failures for 15 minutes, optional TOTP; every attempt audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from domain.access import services as access
from domain.access.errors import AccountLocked, InvalidCredentials, InvalidTotp, TotpRequired
from domain.access.model import Operator
from domain.access.permissions import Actor, Permission
from persistence.queries import audit as audit_queries
from persistence.queries.audit import AuditFilter
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.factories import PASSWORD

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def sign_in(email: str, password: str, totp: str | None = None, now: datetime = NOW) -> Actor:
    return access.authenticate(SqlUnitOfWork(Actor.system("login")), email=email, password=password,
                               totp_code=totp, now=now)  # fmt: skip


def test_the_right_password_signs_in_with_the_roles_permissions(admin) -> None:  # type: ignore[no-untyped-def]
    actor = sign_in("ADMIN@acme.com.br ", PASSWORD)
    assert actor.id == admin.id and actor.can(Permission.SETTINGS_ADMIN)


def test_passwords_are_stored_as_argon2_hashes(admin) -> None:  # type: ignore[no-untyped-def]
    with SqlUnitOfWork(admin) as uow:
        stored = uow.get(Operator, admin.id, label="Operador").password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_a_wrong_password_and_an_unknown_email_get_the_same_message(admin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidCredentials) as wrong:
        sign_in("admin@acme.com.br", "errada-123456")
    with pytest.raises(InvalidCredentials) as unknown:
        sign_in("ninguem@acme.com.br", "errada-123456")
    assert wrong.value.message == unknown.value.message == "E-mail ou senha incorretos."


def test_five_failures_lock_the_login_for_fifteen_minutes_even_for_the_right_password(admin) -> None:  # type: ignore[no-untyped-def]
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            sign_in("admin@acme.com.br", "errada-123456")
    with pytest.raises(AccountLocked):
        sign_in("admin@acme.com.br", "errada-123456")
    with pytest.raises(AccountLocked):
        sign_in("admin@acme.com.br", PASSWORD, now=NOW + timedelta(minutes=14))
    assert sign_in("admin@acme.com.br", PASSWORD, now=NOW + timedelta(minutes=16)).id == admin.id


def test_failed_attempts_are_counted_for_admins_and_audited(admin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidCredentials):
        sign_in("admin@acme.com.br", "errada-123456")
    with SqlUnitOfWork(admin) as uow:
        assert uow.get(Operator, admin.id, label="Operador").failed_login_attempts == 1
    actions = [e.action for e in audit_queries.list_events(admin, AuditFilter(entity_id=str(admin.id))).rows]
    assert "operator.sign_in_failed" in actions


def test_an_admin_unlocks_a_locked_operator(admin, org) -> None:  # type: ignore[no-untyped-def]
    from tests.support.factories import make_operator

    bob = make_operator(org, "finance_operator", email="bob@acme.com.br")
    for _ in range(5):
        with pytest.raises((InvalidCredentials, AccountLocked)):
            sign_in("bob@acme.com.br", "errada-123456")
    access.unlock_operator(SqlUnitOfWork(admin), operator_id=bob.id)
    assert sign_in("bob@acme.com.br", PASSWORD).id == bob.id


def test_with_totp_enabled_the_code_is_asked_for_and_checked(admin) -> None:  # type: ignore[no-untyped-def]
    secret = pyotp.random_base32()
    access.enable_totp(SqlUnitOfWork(admin), operator_id=admin.id, secret=secret, code=pyotp.TOTP(secret).now())
    with pytest.raises(TotpRequired):
        sign_in("admin@acme.com.br", PASSWORD, now=datetime.now(UTC))
    with pytest.raises(InvalidTotp):
        sign_in("admin@acme.com.br", PASSWORD, totp="000000", now=datetime.now(UTC))
    assert sign_in("admin@acme.com.br", PASSWORD, totp=pyotp.TOTP(secret).now(), now=datetime.now(UTC))
