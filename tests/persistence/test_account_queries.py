"""Contas: all billing accounts, searched by their customer, document or e-mail, filtered, paged by name."""

from __future__ import annotations

from domain.billing_accounts import services as accounts
from persistence.queries.accounts import AccountFilter, count_accounts, list_accounts
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.registry_factories import make_account, make_customer


def names(admin, filters: AccountFilter, **kw) -> list[str]:  # type: ignore[no-untyped-def]
    return [row.name for row in list_accounts(admin, filters, **kw).rows]


def test_the_search_finds_accounts_by_their_customers_name_and_an_accounts_email(org, admin) -> None:  # type: ignore[no-untyped-def]
    alfa = make_customer(admin, accounts=2, name="Alfa Dados")
    make_customer(admin, accounts=1, name="Beta Logística")
    branch = make_account(admin, alfa, name="Filial Campinas", email="campinas@alfadados.com.br")
    assert names(admin, AccountFilter(search="alfa")) == ["Conta 1", "Conta 2", "Filial Campinas"]
    assert names(admin, AccountFilter(search="campinas@alfa")) == ["Conta 1", "Conta 2", "Filial Campinas"]
    assert branch.name == "Filial Campinas"
    assert count_accounts(admin, AccountFilter()).value == 4


def test_filters_by_situation_and_pages_by_name_without_repeating_rows(org, admin) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin, accounts=5, name="Gama Serviços")
    suspended = make_account(admin, customer, name="Filial Suspensa")
    accounts.suspend_billing_account(SqlUnitOfWork(admin), account_id=suspended.id, reason="inadimplência")
    assert names(admin, AccountFilter(status="suspended")) == ["Filial Suspensa"]
    first = list_accounts(admin, AccountFilter(status="active"), limit=3)
    second = list_accounts(admin, AccountFilter(status="active"), cursor=first.next_cursor, limit=3)
    assert [r.name for r in first.rows + second.rows] == ["Conta 1", "Conta 2", "Conta 3", "Conta 4", "Conta 5"]
    assert second.next_cursor is None


def test_another_organizations_accounts_are_never_listed(org, admin) -> None:  # type: ignore[no-untyped-def]
    from tests.support.factories import make_operator, make_organization

    other = make_operator(make_organization("outra"), "admin", email="admin@outra.com.br")
    make_customer(other, accounts=2, name="Outra Empresa")
    make_customer(admin, accounts=1, name="Nossa Empresa")
    assert names(admin, AccountFilter()) == ["Conta 1"]
