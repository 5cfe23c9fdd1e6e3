"""A finance manager in Chromium: builds a segment with an OR group, saves it shared, another operator reopens it and
tags its customers in bulk after a preview, then finds a duplicate pair, previews and executes the merge, and reads
both customers' audit timelines."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_sign_in_flow import sign_in
from tests.support.segment_factories import make_customer

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def itu(acme):  # type: ignore[no-untyped-def]
    """Customers of one town (so the other end-to-end tests' customers stay out of the counts)."""
    org, _ = acme
    make_customer(org, "Itu Alfa Comércio Ltda", city="Itu", uf="SP", tags=["e2e-vip"], mrr_cents=9_900)
    make_customer(org, "Itu Beta Serviços Ltda", city="Itu", uf="SP", mrr_cents=150_000)
    make_customer(org, "Itu Gama Transportes Ltda", city="Itu", uf="SP")
    make_customer(org, "Padaria Ituana", city="Itu", uf="SP", email="compras@padariaituana.com.br")
    make_customer(org, "Padaria Ituana Ltda", city="Itu", uf="SP", email="compras@padariaituana.com.br",
                  tags=["site"], external_id="SITE-E2E-1")  # fmt: skip
    return org


def signed_in(page: Page, email: str) -> None:
    sign_in(page, email)
    expect(page.get_by_test_id("operator-name")).to_be_visible()


def value(page: Page, testid: str, field: str, cmp: str):  # type: ignore[no-untyped-def]
    """The value input once the builder re-rendered it for this field and comparison."""
    return page.locator(f'[data-testid="{testid}"][data-field="{field}"][data-cmp="{cmp}"]')


def choose(page: Page, testid: str, option: str, *, field: str | None = None) -> None:
    """Pick an option of a select; `field`: wait for the comparison select re-rendered for that field first."""
    select = page.locator(f'[data-testid="{testid}"][data-field="{field}"]') if field else page.get_by_test_id(testid)
    select.click()
    page.get_by_role("option", name=option, exact=True).click()
    expect(page.get_by_role("listbox")).to_have_count(0)


def test_segment_shared_view_bulk_tag_and_merge(page: Page, itu) -> None:  # type: ignore[no-untyped-def]
    signed_in(page, "finance_manager@acme-e2e.com.br")
    page.goto("/segmentos")
    expect(page.get_by_test_id("segment-count")).to_contain_text("clientes")

    # Cidade é igual a Itu AND (etiqueta e2e-vip OR MRR ≥ R$ 1.000,00)
    page.get_by_test_id("add-condition-root").click()
    choose(page, "field-root-0", "Cliente · Cidade")
    choose(page, "cmp-root-0", "é igual a", field="city")
    value(page, "value-root-0", "city", "eq").fill("Itu")
    expect(page.get_by_test_id("segment-count")).to_have_text("5 clientes")
    page.get_by_test_id("add-group-root").click()
    choose(page, "field-root-1-0", "Cliente · Etiquetas")
    value(page, "value-root-1-0", "tags", "any").fill("e2e-vip")
    page.get_by_test_id("add-condition-root-1").click()
    choose(page, "field-root-1-1", "Cliente · MRR")
    choose(page, "cmp-root-1-1", "maior ou igual a", field="mrr")
    value(page, "value-root-1-1", "mrr", "gte").fill("1000")
    expect(page.get_by_test_id("segment-count")).to_have_text("2 clientes")
    expect(page.get_by_test_id("segment-results")).to_contain_text("Itu Alfa Comércio Ltda")
    expect(page.get_by_test_id("segment-results")).not_to_contain_text("Itu Gama")
    page.screenshot(path=ARTIFACTS / "segment-builder.png", full_page=True)

    page.get_by_test_id("save-view").click()
    page.get_by_test_id("view-name").fill("Itu VIP (e2e)")
    page.get_by_test_id("view-visibility").get_by_text("Compartilhada").click()
    page.get_by_test_id("confirm-save-view").click()
    expect(page.get_by_text("Visão salva.")).to_be_visible()

    # Another operator opens the shared view: same filter, same customers.
    page.get_by_role("button", name="Sair").click()
    signed_in(page, "admin@acme-e2e.com.br")
    page.goto("/segmentos")
    page.get_by_test_id("saved-views").get_by_text("Itu VIP (e2e)").click()
    expect(page.get_by_test_id("segment-title")).to_have_text("Itu VIP (e2e)")
    expect(page.get_by_test_id("segment-count")).to_have_text("2 clientes")
    expect(page.get_by_test_id("value-root-1-0")).to_have_value("e2e-vip")
    page.screenshot(path=ARTIFACTS / "segment-shared-view.png", full_page=True)

    page.get_by_test_id("bulk-add_tag").click()
    page.get_by_test_id("bulk-tag").fill("campanha-e2e")
    page.get_by_test_id("bulk-preview-button").click()
    expect(page.get_by_test_id("bulk-preview")).to_have_text("Esta ação vai alterar 2 clientes.")
    page.screenshot(path=ARTIFACTS / "segment-bulk-preview.png")
    page.get_by_test_id("bulk-confirm").click()
    expect(page.get_by_test_id("bulk-status")).to_have_text("Etiqueta “campanha-e2e” adicionada a 2 clientes.")
    page.screenshot(path=ARTIFACTS / "segment-bulk-done.png")
    page.get_by_role("button", name="Fechar").click()
    expect(page.get_by_test_id("segment-results")).to_contain_text("campanha-e2e")

    # Duplicates: the pair with the same e-mail, previewed side by side, then merged.
    page.get_by_test_id("open-duplicates").click()
    expect(page).to_have_url(re.compile(r"/segmentos/duplicados$"))
    row = page.get_by_role("row").filter(has_text="Padaria Ituana Ltda")
    expect(row).to_contain_text("Mesmo e-mail")
    row.get_by_role("button", name="Revisar").click()
    expect(page.get_by_test_id("merge-source")).to_contain_text("Padaria Ituana Ltda")
    expect(page.get_by_test_id("merge-target")).to_contain_text("Padaria Ituana")
    expect(page.get_by_test_id("move-billing_account")).to_have_text("Contas de faturamento: 1")
    expect(page.get_by_test_id("merge-fields")).to_contain_text("preenchido da origem")  # the external id
    page.screenshot(path=ARTIFACTS / "merge-preview.png", full_page=True)
    page.get_by_test_id("merge-execute").click()
    page.get_by_test_id("reason-input").fill("Mesmo cliente cadastrado pelo site")
    page.get_by_test_id("reason-confirm").click()
    expect(page.get_by_test_id("merge-done")).to_be_visible()
    source, target = page.get_by_test_id("timeline-source"), page.get_by_test_id("timeline-target")
    expect(source.get_by_test_id("audit-customer.merged_into").first).to_be_visible()
    expect(target.get_by_test_id("audit-customer.merged").first).to_be_visible()
    expect(target.get_by_test_id("audit-billing_account.moved")).to_be_visible()
    for timeline in (source, target):
        expect(timeline).to_contain_text("Mesmo cliente cadastrado pelo site")
    page.screenshot(path=ARTIFACTS / "merge-timelines.png", full_page=True)
