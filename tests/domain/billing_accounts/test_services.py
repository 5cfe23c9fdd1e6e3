"""Billing account use cases on SQLite and PostgreSQL: e-mail unique in the organization, suspension and
reactivation with reasons (audited), closing is final, deletion refused while money is open, consolidation."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from domain.base import utcnow
from domain.billing_accounts import services as accounts
from domain.billing_accounts.errors import AccountEmailInUse, AccountHasOpenItems, AccountSuspended
from domain.billing_accounts.model import BillingAccount
from domain.customers.errors import ReasonRequired
from domain.errors import PermissionDenied
from domain.portal_users import services as portal
from persistence.queries import audit as audit_queries
from persistence.queries import customer_page
from persistence.queries.audit import AuditFilter
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.billing_factories import draft, open_invoice
from tests.support.factories import make_operator
from tests.support.registry_factories import account_views, make_account, make_customer, reload_customer


def test_an_email_already_used_by_another_account_is_refused_and_nothing_changes(org, admin) -> None:  # type: ignore[no-untyped-def]
    alfa = make_customer(admin, name="Alfa")
    make_account(admin, alfa, "Matriz", email="financeiro@alfa.com.br")
    beta = make_customer(admin, name="Beta")
    with pytest.raises(AccountEmailInUse, match="já pertence à conta “Matriz” do cliente “Alfa”"):
        make_account(admin, beta, "Principal", email="Financeiro@ALFA.com.br")
    assert reload_customer(admin, beta.id).accounts_count == 0
    other = make_account(admin, beta, "Principal", email="contas@beta.com.br")
    with pytest.raises(AccountEmailInUse):
        accounts.update_billing_account(
            SqlUnitOfWork(admin), account_id=other.id, values={"email": "financeiro@alfa.com.br"}
        )
    assert account_views(admin, beta.id)[0].email == "contas@beta.com.br"


def test_a_new_account_takes_the_customers_defaults(org, admin) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin, payment_terms_days=15)
    account = make_account(admin, customer, "Financeiro")
    assert (account.payment_terms_days, account.currency, account.tax_id) == (15, "BRL", customer.document_number)
    assert account.billing_address["cep"] == "01310100"


def test_suspension_and_reactivation_carry_reasons_into_the_audit_trail(org, admin) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin)
    account = make_account(admin, customer, "Filial RJ")
    with pytest.raises(ReasonRequired):
        accounts.suspend_billing_account(SqlUnitOfWork(admin), account_id=account.id, reason="  ")
    accounts.suspend_billing_account(SqlUnitOfWork(admin), account_id=account.id, reason="Inadimplência de 90 dias")
    view = account_views(admin, customer.id)[0]
    assert (view.status, view.suspension_reason) == ("suspended", "Inadimplência de 90 dias")
    accounts.reactivate_billing_account(SqlUnitOfWork(admin), account_id=account.id, reason="Acordo de pagamento")
    events = audit_queries.list_events(admin, AuditFilter(root_id=str(customer.id)), limit=50).rows
    assert [(e.action, e.reason, e.actor_name) for e in events[:2]] == [
        ("billing_account.reactivated", "Acordo de pagamento", "Alice Admin"),
        ("billing_account.suspended", "Inadimplência de 90 dias", "Alice Admin"),
    ]


def test_a_suspended_account_cannot_receive_a_new_invoice(org, admin) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin)
    account = make_account(admin, customer)
    accounts.suspend_billing_account(SqlUnitOfWork(admin), account_id=account.id, reason="Inadimplência")
    with SqlUnitOfWork(admin) as uow, pytest.raises(AccountSuspended):
        uow.billing_accounts.get_live(account.id).ensure_can_invoice()
    with pytest.raises(AccountSuspended, match="Motivo: Inadimplência"):  # the invoices area asks the same rule
        draft(admin, account)


def test_an_account_with_an_open_invoice_can_be_neither_deleted_nor_closed(org, admin) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin)
    account = make_account(admin, customer, "Matriz")
    open_invoice(admin, account)
    for use_case in (accounts.delete_billing_account, accounts.close_billing_account):
        with pytest.raises(AccountHasOpenItems, match="tem 1 fatura em aberto"):
            use_case(SqlUnitOfWork(admin), account_id=account.id, reason="Teste")
    assert [v.status for v in account_views(admin, customer.id)] == ["active"]


def test_deleting_an_account_frees_its_email_and_updates_the_customer_totals(org, admin) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin, accounts=1)
    account = make_account(admin, customer, "Projeto", email="projeto@alfa.com.br")
    assert reload_customer(admin, customer.id).accounts_count == 2
    accounts.delete_billing_account(SqlUnitOfWork(admin), account_id=account.id, reason="Projeto encerrado")
    assert reload_customer(admin, customer.id).accounts_count == 1
    make_account(admin, customer, "Projeto 2", email="projeto@alfa.com.br")


def test_a_closed_account_is_final(org, admin) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin)
    account = make_account(admin, customer)
    accounts.close_billing_account(SqlUnitOfWork(admin), account_id=account.id, reason="Contrato encerrado")
    with pytest.raises(Exception, match="encerrada"):
        accounts.update_billing_account(SqlUnitOfWork(admin), account_id=account.id, values={"name": "Reaberta"})
    with pytest.raises(Exception, match="encerrada"):
        accounts.suspend_billing_account(SqlUnitOfWork(admin), account_id=account.id, reason="x")


def test_the_customer_consolidates_balance_and_mrr_of_its_live_accounts(org, admin, database_url) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin)
    first, second = make_account(admin, customer, "A"), make_account(admin, customer, "B")
    with SqlUnitOfWork(admin) as uow:  # the ledger and subscriptions own these figures; set them as they would
        for account, balance, mrr in ((first, -150_00, 99_00), (second, 40_00, 250_00)):
            uow.session.execute(
                update(BillingAccount)
                .where(BillingAccount.id == account.id)
                .values(balance_cents=balance, mrr_amount_cents=mrr)
            )
        uow.customers.refresh_totals(customer.id)
        uow.commit()
    stored = reload_customer(admin, customer.id)
    assert (stored.accounts_count, stored.balance_cents, stored.mrr_cents) == (2, -110_00, 349_00)


def test_an_operator_without_the_suspend_permission_is_refused(org, admin) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin)
    account = make_account(admin, customer)
    auditor = make_operator(org, "auditor")
    with pytest.raises(PermissionDenied):
        accounts.suspend_billing_account(SqlUnitOfWork(auditor), account_id=account.id, reason="x")


def test_closing_an_account_ends_its_portal_users_access(org, admin) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin)
    account = make_account(admin, customer, "Projeto")
    portal.invite_portal_user(SqlUnitOfWork(admin), billing_account_id=account.id, email="ana@alfa.com.br",
                              name="Ana", now=utcnow())  # fmt: skip
    accounts.close_billing_account(SqlUnitOfWork(admin), account_id=account.id, reason="Projeto encerrado")
    assert [u.status for u in customer_page.portal_users(admin, customer.id)] == ["disabled"]
