"""A finance manager in Chromium: a one-off invoice for a customer that withholds IRRF and CSRF, its net value, the
finalization with its number, the PDF, a partial then a full payment, the statement and its export, and a void with
a reason. On PostgreSQL + Redis, as in production."""

from __future__ import annotations

import csv
import io
import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from persistence.queries import audit as audit_queries
from persistence.queries.audit import AuditFilter
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_sign_in_flow import sign_in
from tests.support.billing_factories import make_account, open_invoice

pytestmark = pytest.mark.e2e


def field(page: Page, test_id: str):  # type: ignore[no-untyped-def]
    """A Quasar field: its test id sits on the root <label>, which Playwright retargets to the <input> inside."""
    return page.get_by_test_id(test_id)


@pytest.fixture(scope="module")
def accounts(acme):  # type: ignore[no-untyped-def]
    org, people = acme
    withholding = make_account(org, name="Metalúrgica Horizonte Ltda", withhold_ir=True, withhold_csrf=True)
    other = make_account(org, name="Padaria Pão Quente Ltda")
    to_void = open_invoice(people["finance_manager"], other)
    return withholding, to_void


def test_a_one_off_invoice_from_draft_to_paid_with_its_pdf_statement_and_export(page: Page, acme, accounts) -> None:  # type: ignore[no-untyped-def]
    del accounts  # the fixture creates the accounts; this walk finds them on screen
    sign_in(page, "finance_manager@acme-e2e.com.br")
    expect(page.get_by_test_id("operator-name")).to_be_visible()
    page.goto("/faturas")
    page.get_by_test_id("new-invoice").click()
    field(page, "account-search").fill("Metalúrgica")
    page.get_by_test_id("account-select").click()
    page.get_by_role("option", name=re.compile("Metalúrgica Horizonte Ltda")).click()
    page.screenshot(path=ARTIFACTS / "new-invoice-dialog.png")
    page.get_by_test_id("create-draft").click()
    expect(page.get_by_test_id("invoice-status")).to_have_text("Rascunho")

    page.get_by_test_id("add-line").click()
    field(page, "line-0-description").fill("Consultoria em gestão financeira — novembro/2026")
    field(page, "line-0-quantity").fill("10")
    field(page, "line-0-unit").fill("1.000,00")
    field(page, "line-0-unit").press("Control+Enter")  # a second line appears, focused
    expect(page.get_by_test_id("line-1-description")).to_be_visible()
    page.get_by_test_id("line-1-remove").click()
    expect(page.get_by_test_id("line-0-amount")).to_have_text("R$ 10.000,00")
    expect(page.get_by_test_id("total-total")).to_have_text("R$ 10.000,00")
    expect(page.get_by_test_id("total-irrf")).to_have_text("R$ 150,00")
    expect(page.get_by_test_id("total-withheld")).to_have_text("R$ 615,00")
    expect(page.get_by_test_id("total-net")).to_have_text("R$ 9.385,00")
    page.screenshot(path=ARTIFACTS / "invoice-draft.png", full_page=True)

    page.get_by_test_id("action-finalize").click()
    expect(page.get_by_test_id("invoice-status")).to_have_text("Em aberto")
    number = page.get_by_test_id("invoice-number").inner_text()
    assert re.fullmatch(r"INV-\d{6}", number)
    page.screenshot(path=ARTIFACTS / "invoice-open.png", full_page=True)

    with page.expect_download() as download_info:
        page.get_by_test_id("action-download_pdf").click()
    pdf_path = ARTIFACTS / f"{number}.pdf"
    download_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True).stdout
    assert number in text and "R$ 9.385,00" in text and "IRRF (1,5%)" in text
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", str(pdf_path), str(ARTIFACTS / "invoice-pdf")])

    page.get_by_test_id("action-record_payment").click()
    field(page, "payment-amount").fill("5.000,00")
    page.get_by_test_id("payment-confirm").click()
    expect(page.get_by_test_id("invoice-outstanding")).to_have_text("Em aberto: R$ 4.385,00")
    expect(page.get_by_test_id("invoice-status")).to_have_text("Em aberto")
    page.get_by_test_id("action-record_payment").click()
    expect(field(page, "payment-amount")).to_have_value("4.385,00")  # the outstanding amount is the default
    page.get_by_test_id("payment-confirm").click()
    expect(page.get_by_test_id("invoice-status")).to_have_text("Paga")
    expect(page.get_by_test_id("action-void")).to_have_count(0)  # a paid invoice cannot be voided
    page.screenshot(path=ARTIFACTS / "invoice-paid.png", full_page=True)

    page.get_by_test_id("account-statement-link").click()
    expect(page.get_by_test_id("statement-balance")).to_have_text("Saldo atual: R$ 0,00")
    rows = page.get_by_test_id("statement-table").locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text(f"Fatura {number}")
    page.screenshot(path=ARTIFACTS / "statement.png", full_page=True)
    with page.expect_download() as download_info:
        page.get_by_test_id("export-csv").click()
    exported = download_info.value.path().read_bytes().decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(exported), delimiter=";"))
    assert lines[0] == ["Data", "Tipo", "Descrição", "Valor", "Saldo"]
    assert [line[3] for line in lines[2:]] == ["-9385,00", "5000,00", "4385,00"]


def test_a_manager_voids_an_invoice_with_a_reason_and_an_operator_cannot(page: Page, acme, accounts) -> None:  # type: ignore[no-untyped-def]
    _, people = acme
    _, invoice = accounts
    sign_in(page, "finance_operator@acme-e2e.com.br")
    expect(page.get_by_test_id("operator-name")).to_have_text("Finance_Operator E2E")
    page.goto(f"/faturas/{invoice.id}")
    expect(page.get_by_test_id("action-record_payment")).to_be_visible()
    expect(page.get_by_test_id("action-void")).to_have_count(0)  # INVOICES_VOID belongs to managers

    page.get_by_role("button", name="Sair").click()
    sign_in(page, "finance_manager@acme-e2e.com.br")
    expect(page.get_by_test_id("operator-name")).to_have_text("Finance_Manager E2E")
    page.goto("/faturas")
    expect(page.get_by_test_id("invoice-grid")).to_contain_text(invoice.number)
    page.screenshot(path=ARTIFACTS / "invoices-grid.png", full_page=True)
    page.get_by_test_id("invoice-grid").get_by_text(invoice.number).click()
    page.get_by_test_id("action-void").click()
    field(page, "reason-input").fill("Emitida em duplicidade")
    page.get_by_test_id("reason-confirm").click()
    expect(page.get_by_test_id("invoice-status")).to_have_text("Cancelada")
    expect(page.get_by_test_id("invoice-reason")).to_have_text("Motivo: Emitida em duplicidade")
    page.screenshot(path=ARTIFACTS / "invoice-void.png", full_page=True)
    event = audit_queries.list_events(people["admin"], AuditFilter(action="invoice.voided")).rows[0]
    assert event.reason == "Emitida em duplicidade" and event.actor_name == "Finance_Manager E2E"
