"""Faturas and the invoice screen as operators use them: grid with filters and totals, a one-off draft with live
totals and withholdings, only the actions the state and the role allow, payments and the statement."""

from __future__ import annotations

from datetime import date

import pytest
from nicegui.testing import User
from sqlalchemy import select

from domain.background_jobs.model import BackgroundJob
from domain.invoices.closing import void_invoice
from domain.payments.services import record_payment
from persistence import files
from persistence.queries import invoices as invoice_queries
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.billing_factories import draft, make_account, open_invoice
from tests.ui.conftest import sign_in, table_rows


@pytest.fixture(autouse=True)
def files_folder(tmp_path):  # type: ignore[no-untyped-def]
    files.configure(tmp_path / "files")
    yield
    files.configure(None)


def text_of(user: User, marker: str) -> str:
    return next(iter(user.find(marker=marker).elements)).text


async def test_the_grid_lists_invoices_with_the_totals_of_the_filtered_set(user: User, acme, operator_of) -> None:  # type: ignore[no-untyped-def]
    admin, email = operator_of("admin")
    account = make_account(acme, name="Padaria Pão Quente Ltda")
    paid = open_invoice(admin, account)
    record_payment(
        SqlUnitOfWork(admin), invoice_id=paid.id, amount_cents=paid.net_value_cents, paid_on=date(2026, 11, 20)
    )
    open_invoice(admin, account)
    draft(admin, account)
    await sign_in(user, email)
    await user.open("/faturas")
    rows = await table_rows(user)
    assert {r["status"] for r in rows} == {"Paga", "Em aberto", "Rascunho"}
    assert {r["number"] for r in rows} == {"INV-000001", "INV-000002", "Rascunho"}
    assert text_of(user, "invoice-totals") == (
        "3 faturas · Total R$ 30.000,00 · Líquido R$ 30.000,00 · Em aberto R$ 10.000,00"
    )
    user.find(marker="filter-status").click()
    user.find("Em aberto").click()
    await user.should_see("1 fatura · Total R$ 10.000,00")
    assert [r["number"] for r in await table_rows(user)] == ["INV-000002"]


async def test_a_one_off_draft_shows_live_totals_withholdings_and_net_value(user: User, acme, operator_of) -> None:  # type: ignore[no-untyped-def]
    admin, email = operator_of("finance_operator")
    account = make_account(acme, withhold_ir=True, withhold_csrf=True)
    invoice = draft(admin, account)
    await sign_in(user, email)
    await user.open(f"/faturas/{invoice.id}")
    await user.should_see("Rascunho")
    assert text_of(user, "total-net") == "R$ 9.385,00"
    user.find(marker="line-0-quantity").clear().type("20")
    await user.should_see("R$ 18.770,00")
    assert text_of(user, "total-irrf") == "R$ 300,00" and text_of(user, "total-cofins") == "R$ 600,00"
    assert text_of(user, "line-0-amount") == "R$ 20.000,00"
    user.find("Salvar rascunho").click()
    await user.should_see("Rascunho salvo.")
    saved = invoice_queries.invoice_detail(admin, invoice.id).invoice
    assert saved.total_cents == 20_000_00 and saved.net_value_cents == 18_770_00


async def test_finalizing_from_the_screen_assigns_the_number(user: User, acme, operator_of) -> None:  # type: ignore[no-untyped-def]
    admin, email = operator_of("finance_operator")
    invoice = draft(admin, make_account(acme))
    await sign_in(user, email)
    await user.open(f"/faturas/{invoice.id}")
    user.find("Finalizar").click()
    await user.should_see("Fatura finalizada: INV-000001.")
    await user.should_see(marker="invoice-status", content="Em aberto", retries=50)  # reloaded after the PDF job
    assert invoice_queries.invoice_detail(admin, invoice.id).invoice.number == "INV-000001"


async def test_each_state_shows_only_its_actions_for_the_role(user: User, acme, operator_of) -> None:  # type: ignore[no-untyped-def]
    manager, manager_email = operator_of("finance_manager")
    _, operator_email = operator_of("finance_operator")
    account = make_account(acme)
    invoice = open_invoice(manager, account)
    await sign_in(user, operator_email)
    await user.open(f"/faturas/{invoice.id}")
    await user.should_see("Registrar pagamento")
    await user.should_not_see("Cancelar")  # INVOICES_VOID is a manager's
    await user.should_not_see("Finalizar")
    await sign_in(user, manager_email)
    await user.open(f"/faturas/{invoice.id}")
    for label in ("Registrar pagamento", "Cancelar", "Marcar incobrável", "Baixar PDF"):
        await user.should_see(label)
    void_invoice(SqlUnitOfWork(manager), invoice_id=invoice.id, reason="Emitida em duplicidade")
    await user.open(f"/faturas/{invoice.id}")
    await user.should_see("Cancelada")
    await user.should_see("Motivo: Emitida em duplicidade")
    await user.should_not_see("Registrar pagamento")


async def test_a_payment_from_the_screen_updates_the_outstanding_amount(user: User, acme, operator_of) -> None:  # type: ignore[no-untyped-def]
    admin, email = operator_of("finance_operator")
    invoice = open_invoice(admin, make_account(acme))
    await sign_in(user, email)
    await user.open(f"/faturas/{invoice.id}")
    user.find("Registrar pagamento").click()
    await user.should_see(marker="payment-amount")
    user.find(marker="payment-amount").clear().type("4.000,00")
    user.find(marker="payment-confirm").click()
    await user.should_see("Pagamento registrado.")
    await user.should_see("Em aberto: R$ 6.000,00", retries=50)


async def test_the_statement_page_shows_running_balances(user: User, acme, operator_of) -> None:  # type: ignore[no-untyped-def]
    _, email = operator_of("auditor")
    manager, _ = operator_of("finance_manager")
    account = make_account(acme)
    invoice = open_invoice(manager, account)
    record_payment(SqlUnitOfWork(manager), invoice_id=invoice.id, amount_cents=2_500_00, paid_on=date(2026, 11, 20))
    await sign_in(user, email)
    await user.open(f"/extratos/{account.id}")
    await user.should_see("Saldo atual: -R$ 7.500,00")
    rows = await table_rows(user)
    assert [(r["kind"], r["amount"], r["balance"]) for r in rows] == [
        ("Débito", "-R$ 10.000,00", "-R$ 10.000,00"),
        ("Crédito", "R$ 2.500,00", "-R$ 7.500,00"),
    ]
    await user.should_not_see("Exportar CSV")  # the auditor reads but does not export


async def test_downloads_are_refused_to_other_organizations(user: User, acme, operator_of) -> None:  # type: ignore[no-untyped-def]
    from tests.support.factories import make_operator, make_organization

    admin, _ = operator_of("admin")
    invoice = open_invoice(admin, make_account(acme))
    other = make_organization("outra")
    make_operator(other, "admin", email="admin@outra.com.br")
    await sign_in(user, "admin@outra.com.br")
    response = await user.http_client.get(f"/faturas/{invoice.id}/pdf")
    assert response.status_code in (401, 404)


async def test_the_filtered_pdfs_come_as_a_zip_built_in_the_background(user: User, acme, operator_of) -> None:  # type: ignore[no-untyped-def]
    admin, email = operator_of("finance_operator")
    account = make_account(acme)
    for _ in range(2):
        open_invoice(admin, account)
    await sign_in(user, email)
    await user.open("/faturas")
    await table_rows(user)
    user.find(marker="bulk-zip").click()
    await user.should_see(marker="job-download", retries=100)
    assert text_of(user, "job-status") == "Concluído. 2 faturas em PDF."
    with SqlUnitOfWork(admin) as uow:
        file_id = uow.session.scalar(select(BackgroundJob.result_file_id))
    response = await user.http_client.get(f"/arquivos/{file_id}")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"


async def test_the_account_lists_other_screens_embed(user: User, acme, operator_of) -> None:  # type: ignore[no-untyped-def]
    from nicegui import ui

    from ui.auth import current_actor
    from ui.components.invoice_lists import invoices_table, statement_table

    manager, email = operator_of("finance_manager")
    account = make_account(acme)
    invoice = open_invoice(manager, account)
    record_payment(SqlUnitOfWork(manager), invoice_id=invoice.id, amount_cents=1_000_00, paid_on=date(2026, 11, 20))

    @ui.page("/teste/listas")
    async def embedded() -> None:
        actor = await current_actor()
        assert actor is not None
        await invoices_table(actor, billing_account_id=account.id)
        await statement_table(actor, account.id)

    await sign_in(user, email)
    await user.open("/teste/listas")
    await user.should_see("1 fatura · Total R$ 10.000,00")
    await user.should_see("Saldo: -R$ 9.000,00")
    await user.should_see("Nova fatura")
    recent = next(iter(user.find(marker="statement-recent").elements)).rows
    assert [(r["kind"], r["balance"]) for r in recent] == [("Crédito", "-R$ 9.000,00"), ("Débito", "-R$ 10.000,00")]
