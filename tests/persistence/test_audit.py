"""Every mutation writes an audit event in the same transaction: committed with it, rolled back with it."""

from __future__ import annotations

import pytest

from domain.access import services as access
from domain.access.errors import LastAdmin
from domain.organizations import services as organizations
from persistence.queries import audit as audit_queries
from persistence.queries.audit import AuditFilter
from persistence.unit_of_work import SqlUnitOfWork


def events(actor, **filters):  # type: ignore[no-untyped-def]
    return audit_queries.list_events(actor, AuditFilter(**filters), limit=500).rows


def test_a_change_is_audited_with_who_what_before_after_and_why(org, admin) -> None:  # type: ignore[no-untyped-def]
    organizations.update_organization(SqlUnitOfWork(admin), changes={"legal_name": "Acme Tecnologia Ltda"},
                                      reason="Alteração contratual")  # fmt: skip
    event = events(admin, action="organization.updated")[0]
    assert event.actor_name == "Alice Admin" and event.actor_kind == "operator"
    assert event.changes == {"legal_name": ["Acme Serviços Ltda", "Acme Tecnologia Ltda"]}
    assert event.reason == "Alteração contratual"


def test_a_refused_change_leaves_neither_the_change_nor_its_audit_event(org, admin) -> None:  # type: ignore[no-untyped-def]
    before = len(events(admin))
    with pytest.raises(LastAdmin):
        access.update_operator(SqlUnitOfWork(admin), operator_id=admin.id, name="Renamed", role_name="auditor",
                               is_active=True)  # fmt: skip
    assert len(events(admin)) == before
    from persistence.queries.access import list_operators

    assert [o.name for o in list_operators(admin)] == ["Alice Admin"]


def test_secrets_never_reach_the_audit_trail(org, admin) -> None:  # type: ignore[no-untyped-def]
    access.set_password(SqlUnitOfWork(admin), operator_id=admin.id, password="outra-senha-456")
    event = events(admin, action="operator.password_changed")[0]
    assert event.changes["password_hash"] == ["***", "***"]
    assert all("argon2" not in str(e.changes) for e in events(admin))


def test_the_audit_trail_filters_by_operator_and_entity(org, admin) -> None:  # type: ignore[no-untyped-def]
    organizations.update_organization(SqlUnitOfWork(admin), changes={"trade_name": "Acme"})
    assert {e.actor_name for e in events(admin, actor_name="alice")} == {"Alice Admin"}
    assert {e.entity_type for e in events(admin, entity_type="organization")} == {"organization"}


def test_the_audit_trail_pages_by_keyset_without_repeating_rows(org, admin) -> None:  # type: ignore[no-untyped-def]
    for n in range(7):
        organizations.update_organization(SqlUnitOfWork(admin), changes={"trade_name": f"Acme {n}"})
    first = audit_queries.list_events(admin, AuditFilter(), limit=5)
    second = audit_queries.list_events(admin, AuditFilter(), cursor=first.next_cursor, limit=5)
    ids = [e.id for e in first.rows + second.rows]
    assert len(ids) == len(set(ids)) == 10 and first.next_cursor is not None
