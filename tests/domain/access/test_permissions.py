"""Services check permissions (not only the UI), and a refusal names the missing permission."""

from __future__ import annotations

import pytest

from domain.access import services as access
from domain.access.errors import EmailInUse, LastAdmin
from domain.access.permissions import BUILTIN_ROLES, Permission
from domain.errors import PermissionDenied
from domain.organizations import services as organizations
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.factories import make_operator


def test_an_auditor_is_read_only() -> None:
    auditor = BUILTIN_ROLES["auditor"][1]
    assert Permission.AUDIT_READ in auditor and Permission.CUSTOMERS_READ in auditor
    assert not any(p.value.endswith(("WRITE", "CREATE", "UPDATE", "DELETE", "VOID", "ERASE")) for p in auditor)


def test_a_finance_operator_cannot_create_operators_and_is_told_which_permission_is_missing(org) -> None:  # type: ignore[no-untyped-def]
    clerk = make_operator(org, "finance_operator")
    with pytest.raises(PermissionDenied) as refusal:
        access.create_operator(SqlUnitOfWork(clerk), email="x@acme.com.br", name="X", role_name="admin",
                               password="senha-forte-123")  # fmt: skip
    assert refusal.value.message == "Permissão necessária: OPERATORS_ADMIN."


def test_an_auditor_cannot_change_the_organization(org) -> None:  # type: ignore[no-untyped-def]
    auditor = make_operator(org, "auditor")
    with pytest.raises(PermissionDenied, match="SETTINGS_ADMIN"):
        organizations.update_organization(SqlUnitOfWork(auditor), changes={"legal_name": "Outra"})


def test_operator_emails_are_unique_across_organizations(org, admin) -> None:  # type: ignore[no-untyped-def]
    from tests.support.factories import make_organization

    other_admin = make_operator(make_organization("globex"), "admin")
    with pytest.raises(EmailInUse):
        access.create_operator(SqlUnitOfWork(other_admin), email="admin@acme.com.br", name="Dup", role_name="auditor",
                               password="senha-forte-123")  # fmt: skip


def test_the_last_active_admin_cannot_be_demoted(org, admin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LastAdmin):
        access.update_operator(SqlUnitOfWork(admin), operator_id=admin.id, name="Alice", role_name="auditor",
                               is_active=True)  # fmt: skip


def test_a_custom_role_grants_exactly_its_permissions(org, admin) -> None:  # type: ignore[no-untyped-def]
    access.save_role(SqlUnitOfWork(admin), name="cobranca", label="Cobrança",
                     permissions=["CUSTOMERS_READ", "INVOICES_READ"])  # fmt: skip
    collector = make_operator(org, "cobranca")
    assert collector.permissions == {Permission.CUSTOMERS_READ, Permission.INVOICES_READ}
