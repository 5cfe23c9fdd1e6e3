"""Portal sign-in rules without a database: lockout, status transitions, what makes a link usable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.portal_users.errors import InvalidPortalTransition, PortalSignInRefused, PortalUserLocked
from domain.portal_users.model import PortalUser, PortalUserStatus, TokenPurpose
from domain.portal_users.tokens import hash_token, issue_token

NOW = datetime(2026, 7, 1, 12, tzinfo=UTC)


def user(status: PortalUserStatus = PortalUserStatus.ACTIVE, **fields: object) -> PortalUser:
    return PortalUser(status=status, **{"failed_login_attempts": 0, **fields})


def test_five_consecutive_failures_lock_the_user_for_fifteen_minutes() -> None:
    person = user()
    for _ in range(4):
        person.register_failed_login(NOW)
    assert person.locked_until is None
    person.register_failed_login(NOW)
    assert person.locked_until == NOW + timedelta(minutes=15)
    with pytest.raises(PortalUserLocked):
        person.ensure_can_sign_in(NOW + timedelta(minutes=14))
    person.ensure_can_sign_in(NOW + timedelta(minutes=15))


def test_a_failure_after_an_expired_lockout_starts_a_fresh_count() -> None:
    person = user(failed_login_attempts=5, locked_until=NOW - timedelta(seconds=1))
    person.register_failed_login(NOW)
    assert (person.failed_login_attempts, person.locked_until) == (1, None)


def test_a_successful_sign_in_clears_the_failures_and_records_when() -> None:
    person = user(failed_login_attempts=3)
    person.register_successful_login(NOW)
    assert (person.failed_login_attempts, person.last_login_at) == (0, NOW)


@pytest.mark.parametrize("status", [s for s in PortalUserStatus if s is not PortalUserStatus.ACTIVE])
def test_only_active_users_sign_in(status: PortalUserStatus) -> None:
    with pytest.raises(PortalSignInRefused):
        user(status).ensure_can_sign_in(NOW)


def test_reactivation_returns_a_person_to_where_they_were() -> None:
    verified = user(email_verified_at=NOW)
    verified.suspend(reason="Saiu de férias", now=NOW)
    verified.reactivate()
    assert verified.status is PortalUserStatus.ACTIVE and verified.suspension_reason is None
    never_accepted = user(PortalUserStatus.PENDING_INVITATION)
    never_accepted.suspend(reason="Convite por engano", now=NOW)
    never_accepted.reactivate()
    assert never_accepted.status is PortalUserStatus.PENDING_INVITATION


def test_a_disabled_user_stays_disabled() -> None:
    person = user()
    person.disable(now=NOW)
    for action in (person.reactivate, lambda: person.suspend(reason="x", now=NOW), lambda: person.activate(NOW)):
        with pytest.raises(InvalidPortalTransition):
            action()


def test_a_link_is_usable_once_for_its_purpose_until_it_expires() -> None:
    raw, token = issue_token(None, TokenPurpose.MAGIC_LINK, NOW)  # type: ignore[arg-type]
    assert token.token_hash == hash_token(raw) and raw not in token.token_hash and len(raw) >= 43
    assert token.expires_at == NOW + timedelta(minutes=15)
    assert token.is_usable(TokenPurpose.MAGIC_LINK, NOW + timedelta(minutes=14))
    assert not token.is_usable(TokenPurpose.MAGIC_LINK, NOW + timedelta(minutes=15))
    assert not token.is_usable(TokenPurpose.PASSWORD_RESET, NOW)
    token.use(NOW)
    assert not token.is_usable(TokenPurpose.MAGIC_LINK, NOW)


def test_an_invitation_waits_a_week() -> None:
    _, token = issue_token(None, TokenPurpose.INVITATION, NOW)  # type: ignore[arg-type]
    assert token.expires_at - NOW == timedelta(days=7)
