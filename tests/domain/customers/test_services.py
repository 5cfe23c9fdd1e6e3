"""The registry's customer use cases on SQLite and PostgreSQL: uniqueness among live customers, statuses with
reasons, soft delete, VAT override, custom fields, permissions and tenancy — each change audited."""

from __future__ import annotations

import pytest

from domain.customers import services as customers
from domain.customers.errors import (
    CustomerHasOpenItems,
    DocumentInUse,
    ExternalIdInUse,
    InvalidFields,
    ReasonRequired,
)
from domain.customers.model import CustomerStatus, VatValidationStatus
from domain.errors import NotFound, PermissionDenied
from persistence.queries import audit as audit_queries
from persistence.queries import customers as grid
from persistence.queries.audit import AuditFilter
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.billing_factories import open_invoice
from tests.support.factories import make_operator, make_organization
from tests.support.registry_factories import (
    ALNUM_CNPJ,
    account_views,
    company_values,
    make_customer,
    reload_customer,
)


def timeline(actor, customer_id):  # type: ignore[no-untyped-def]
    return audit_queries.list_events(actor, AuditFilter(root_id=str(customer_id)), limit=100).rows


def test_a_company_with_an_alphanumeric_cnpj_and_two_accounts_is_registered_with_its_totals(org, admin) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin, accounts=2, document_number=ALNUM_CNPJ, name="Alfa Dados")
    stored = reload_customer(admin, customer.id)
    assert stored.document_number == "12ABC34501DE35" and stored.accounts_count == 2
    actions = [e.action for e in timeline(admin, customer.id)]
    assert actions.count("customer.created") == 3  # the customer and its two accounts, one transaction


def test_a_document_belongs_to_one_live_customer_but_branches_of_a_root_are_other_documents(org, admin) -> None:  # type: ignore[no-untyped-def]
    first = make_customer(admin, document_number="11.222.333/0001-81", name="Matriz SP")
    with pytest.raises(DocumentInUse, match="já pertence ao cliente “Matriz SP”"):
        make_customer(admin, document_number="11222333000181")
    branch = make_customer(admin, document_number="11.222.333/0002-62", name="Filial RJ")
    assert branch.document_number[:8] == first.document_number[:8]


def test_a_soft_deleted_customer_frees_its_document_and_leaves_the_lists(org, admin) -> None:  # type: ignore[no-untyped-def]
    gone = make_customer(admin, accounts=1, document_number=ALNUM_CNPJ, external_id="LEG-1")
    customers.delete_customer(SqlUnitOfWork(admin), customer_id=gone.id, reason="Cadastro duplicado")
    assert grid.list_customers(admin, grid.CustomerFilter()).rows == []
    with pytest.raises(NotFound):
        reload_customer(admin, gone.id)
    again = make_customer(admin, document_number=ALNUM_CNPJ, external_id="LEG-1")
    assert again.id != gone.id


def test_a_customer_with_an_open_invoice_cannot_be_deleted(org, admin) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin, accounts=1)
    open_invoice(admin, account_views(admin, customer.id)[0])
    with pytest.raises(CustomerHasOpenItems, match="1 fatura em aberto"):
        customers.delete_customer(SqlUnitOfWork(admin), customer_id=customer.id, reason="Teste")
    assert reload_customer(admin, customer.id).open_invoices_count == 1


def test_external_ids_are_unique_per_organization(org, admin) -> None:  # type: ignore[no-untyped-def]
    make_customer(admin, external_id="CRM-42", name="Primeiro")
    with pytest.raises(ExternalIdInUse, match="“Primeiro”"):
        make_customer(admin, external_id="CRM-42")
    other_org = make_operator(make_organization("outra"), "admin")
    make_customer(other_org, external_id="CRM-42")


def test_a_refused_update_changes_nothing_and_names_each_field(org, admin) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin, name="Alfa")
    with pytest.raises(InvalidFields) as refused:
        customers.update_customer(
            SqlUnitOfWork(admin),
            customer_id=customer.id,
            values={"name": "Beta", "emails": [{"address": "nope"}], "addresses": [{"cep": "1"}]},
        )
    assert {"emails.0.address", "addresses.0.cep"} <= set(refused.value.errors)
    assert reload_customer(admin, customer.id).name == "Alfa"


def test_an_update_is_audited_with_before_after_and_the_reason(org, admin) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin, name="Alfa")
    customers.update_customer(
        SqlUnitOfWork(admin), customer_id=customer.id, values={"name": "Alfa Dados"}, reason="Mudança de nome fantasia"
    )
    event = next(e for e in timeline(admin, customer.id) if e.action == "customer.updated")
    assert event.changes["name"] == ["Alfa", "Alfa Dados"] and event.reason == "Mudança de nome fantasia"
    assert reload_customer(admin, customer.id).search_name == "alfa dados"


def test_suspending_or_churning_needs_a_reason_reactivating_does_not(org, admin) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin)
    with pytest.raises(ReasonRequired):
        customers.set_customer_status(SqlUnitOfWork(admin), customer_id=customer.id, status="suspended", reason=" ")
    customers.set_customer_status(
        SqlUnitOfWork(admin), customer_id=customer.id, status="suspended", reason="Inadimplência"
    )
    assert not reload_customer(admin, customer.id).can_receive_invoices
    customers.set_customer_status(SqlUnitOfWork(admin), customer_id=customer.id, status="active", reason=None)
    stored = reload_customer(admin, customer.id)
    assert stored.status is CustomerStatus.ACTIVE
    assert [e.action for e in timeline(admin, customer.id)][:2] == ["customer.reactivated", "customer.suspended"]


def test_a_manual_vat_status_wins_over_the_automatic_one_until_cleared(org, admin) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin, kind="foreign", document_number="DE123456789", country="DE", name="GmbH")
    customers.set_vat_override(
        SqlUnitOfWork(admin), customer_id=customer.id, status="VALID", reason="Conferido no VIES manualmente"
    )
    assert reload_customer(admin, customer.id).effective_vat_status is VatValidationStatus.VALID
    customers.set_vat_override(SqlUnitOfWork(admin), customer_id=customer.id, status=None, reason=None)
    assert reload_customer(admin, customer.id).effective_vat_status is VatValidationStatus.UNVALIDATED


def test_a_required_custom_field_an_admin_defines_is_asked_for(org, admin) -> None:  # type: ignore[no-untyped-def]
    customers.save_custom_field(
        SqlUnitOfWork(admin),
        key="centro_custo",
        label="Centro de custo",
        field_type="choice",
        choices=["Vendas", "TI"],
        required=True,
    )
    with pytest.raises(InvalidFields) as refused:
        customers.create_customer(SqlUnitOfWork(admin), values=company_values())
    assert refused.value.errors == {"custom_fields.centro_custo": "Informe “Centro de custo”."}
    created = customers.create_customer(
        SqlUnitOfWork(admin), values=company_values(custom_fields={"centro_custo": "TI"})
    )
    assert created.custom_fields == {"centro_custo": "TI"}


def test_an_auditor_reads_but_cannot_register(org, admin) -> None:  # type: ignore[no-untyped-def]
    auditor = make_operator(org, "auditor")
    with pytest.raises(PermissionDenied):
        customers.create_customer(SqlUnitOfWork(auditor), values=company_values())
    make_customer(admin)
    assert len(grid.list_customers(auditor, grid.CustomerFilter()).rows) == 1


def test_another_organizations_customer_does_not_exist_for_an_operator(org, admin) -> None:  # type: ignore[no-untyped-def]
    stranger = make_customer(make_operator(make_organization("outra"), "admin"))
    with pytest.raises(NotFound):
        customers.update_customer(SqlUnitOfWork(admin), customer_id=stranger.id, values={"name": "Roubado"})
