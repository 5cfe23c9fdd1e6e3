"""A finance manager in Chromium: a plan, a subscription for a customer, the billing run from its button, the invoice
it created, then a quantity change with its proration preview. On PostgreSQL + Redis with the app's own worker."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import live_stack
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.live_stack import Stack
from tests.support.billing_factories import make_account
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack(e2e_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The app and a standalone worker (the run is a Huey task)."""
    yield from live_stack.start(e2e_database, tmp_path_factory)


@pytest.fixture(scope="module")
def account(acme):  # type: ignore[no-untyped-def]
    org, _ = acme
    return make_account(org, name="Cervejaria Aurora Ltda", withhold_ir=True, withhold_csrf=True)


def choose(page: Page, test_id: str, option: str) -> None:
    page.get_by_test_id(test_id).click()
    page.get_by_role("option", name=re.compile(option)).first.click()


def test_a_plan_a_subscription_the_billing_run_and_a_change_with_its_proration(page: Page, stack: Stack, acme,
                                                                              account) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    del account  # created by the fixture; found on screen
    page.goto(f"{stack.url}/login")
    page.get_by_label("E-mail").fill("finance_manager@acme-e2e.com.br")
    page.get_by_label("Senha", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_test_id("operator-name")).to_be_visible()
    page.goto(f"{stack.url}/assinaturas/planos")
    page.get_by_test_id("new-plan").click()
    page.get_by_test_id("plan-name").fill("Consultoria Aurora")
    page.get_by_test_id("plan-amount").fill("1.000,00")
    choose(page, "plan-service", "17.01")
    page.get_by_test_id("plan-save").click()
    expect(page.get_by_test_id("plans-table")).to_contain_text("Consultoria Aurora")

    page.goto(f"{stack.url}/assinaturas")
    page.get_by_test_id("new-subscription").click()
    page.get_by_test_id("account-search").fill("Cervejaria")
    choose(page, "account-select", "Cervejaria Aurora Ltda")
    choose(page, "subscription-plan", "Consultoria Aurora")
    page.get_by_test_id("subscription-quantity").fill("2")
    page.screenshot(path=ARTIFACTS / "subscription-new.png")
    page.get_by_test_id("subscription-save").click()
    expect(page.get_by_test_id("subscription-totals")).to_contain_text("MRR R$ 2.000,00")

    page.get_by_test_id("billing-run").click()
    expect(page.get_by_test_id("billing-run-status")).to_contain_text("1 fatura criada", timeout=30_000)
    page.screenshot(path=ARTIFACTS / "billing-run.png", full_page=True)

    page.get_by_test_id("change-Cervejaria Aurora Ltda").click()
    page.get_by_test_id("change-quantity").fill("3")
    page.get_by_test_id("change-quantity").press("Tab")
    preview = page.get_by_test_id("proration-preview")
    expect(preview).to_contain_text("Crédito proporcional: Consultoria Aurora × 2")
    expect(preview).to_contain_text("-R$ 2.000,00")
    expect(page.get_by_test_id("proration-total")).to_have_text("R$ 1.000,00")
    page.screenshot(path=ARTIFACTS / "subscription-change-preview.png")
    page.get_by_test_id("change-save").click()
    expect(page.get_by_text("Assinatura alterada; o proporcional entra na próxima fatura.")).to_be_visible()
    expect(page.get_by_test_id("subscription-totals")).to_contain_text("MRR R$ 3.000,00")

    page.goto(f"{stack.url}/faturas?cliente=Cervejaria")
    expect(page.locator("tbody")).to_contain_text("Cervejaria Aurora Ltda")
    expect(page.locator("tbody")).to_contain_text("R$ 2.000,00")
    page.screenshot(path=ARTIFACTS / "subscription-invoice.png", full_page=True)


def test_the_dashboard_shows_mrr_its_movement_receivables_by_age_and_the_billing_runs(page: Page, stack: Stack,
                                                                                     acme) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    from datetime import timedelta

    from domain.calendar import today_in
    from domain.invoices.finalize import finalize_invoice
    from persistence.unit_of_work import SqlUnitOfWork
    from tests.support.billing_factories import draft

    org, people = acme
    late = today_in(org.timezone) - timedelta(days=45)  # one invoice in the 31–60 days bucket
    overdue = draft(people["finance_manager"], make_account(org, name="Oficina Atrasada Ltda"), due_on=late)
    finalize_invoice(SqlUnitOfWork(people["finance_manager"]), invoice_id=overdue.id, issued_on=late - timedelta(10))
    page.goto(f"{stack.url}/login")
    page.get_by_label("E-mail").fill("finance_manager@acme-e2e.com.br")
    page.get_by_label("Senha", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_test_id("operator-name")).to_be_visible()
    expect(page.get_by_test_id("card-mrr")).to_have_text("R$ 3.000,00")  # the subscription of the walk above
    expect(page.get_by_text("MRR e sua movimentação")).to_be_visible()
    expect(page.get_by_text("Contas a receber por idade")).to_be_visible()
    expect(page.get_by_text("31–60 dias: R$")).to_be_visible()
    expect(page.get_by_test_id("billing-runs")).to_contain_text("manual")
    expect(page.locator("canvas").first).to_be_visible()  # ECharts drew
    page.wait_for_timeout(800)  # the charts' entry animation
    page.screenshot(path=ARTIFACTS / "dashboard-full.png", full_page=True)
