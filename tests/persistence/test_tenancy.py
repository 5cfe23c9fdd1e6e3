"""No operator ever sees or touches another organization's rows: by id, by URL or by listing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.access.model import Operator, Role
from domain.errors import NotFound
from persistence.queries import access as access_queries
from persistence.queries import audit as audit_queries
from persistence.queries.audit import AuditFilter
from persistence.tenancy import TenantViolation
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.factories import make_operator, make_organization


def test_an_operator_gets_not_found_for_another_organizations_row_by_id(org, admin) -> None:  # type: ignore[no-untyped-def]
    other = make_organization("globex")
    outsider = make_operator(other, "admin")
    with SqlUnitOfWork(admin) as uow, pytest.raises(NotFound):
        uow.get(Operator, outsider.id, label="Operador")


def test_listings_show_only_the_operators_own_organization(org, admin) -> None:  # type: ignore[no-untyped-def]
    other = make_organization("globex")
    make_operator(other, "auditor", email="spy@globex.com.br")
    names = [o.email for o in access_queries.list_operators(admin)]
    assert names == ["admin@acme.com.br"]
    events = audit_queries.list_events(admin, AuditFilter(), limit=500).rows
    assert events and all("globex" not in str(e.changes) for e in events)


def test_the_organization_itself_is_scoped_too(org, admin) -> None:  # type: ignore[no-untyped-def]
    make_organization("globex")
    with SqlUnitOfWork(admin) as uow:
        assert uow.organizations.current().slug == "acme"
        assert uow.organizations.find_by_slug("globex") is None


def test_writing_another_organizations_row_from_a_session_is_refused(org, admin) -> None:  # type: ignore[no-untyped-def]
    other = make_organization("globex")
    with SqlUnitOfWork(admin) as uow:
        uow.add(Role(organization_id=other.id, name="intruso", label="Intruso", permissions=[]))
        with pytest.raises(TenantViolation):
            uow.flush()


def test_a_session_without_organization_is_refused_to_anyone_but_the_system(org, admin) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    stray = replace(admin, organization_id=None)
    with SqlUnitOfWork(stray) as uow, pytest.raises(TenantViolation):
        uow.session.scalars(select(Operator)).all()
