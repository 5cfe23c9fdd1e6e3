"""A manager in Chromium serves a titular's LGPD rights: exports their data (the ZIP downloaded through its expiring
link), then requests the erasure, confirms it as a second action, and sees it executed by the worker."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from domain.customers import services as customers
from domain.documents.tax_ids import generate_cpf
from domain.lgpd import services as lgpd
from persistence.unit_of_work import SqlUnitOfWork
from tests.e2e import live_stack
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.live_stack import Stack
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack(e2e_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    yield from live_stack.start(e2e_database, tmp_path_factory)


def test_a_manager_exports_then_erases_a_titular_s_personal_data(page: Page, stack: Stack, acme, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _, people = acme
    lgpd.set_erasure_window(SqlUnitOfWork(people["admin"]), days=0)  # this organization confirms at once
    customer = customers.create_customer(
        SqlUnitOfWork(people["admin"]),
        values={"kind": "natural", "document_number": generate_cpf(920_001), "name": "Titular Conceição E2E",
                "emails": [{"address": "titular.e2e@exemplo.com.br"}], "phones": [{"number": "(11) 98888-7777"}]},
        accounts=[{"name": "Principal", "email": "titular.cobranca.e2e@exemplo.com.br"}],
    )  # fmt: skip
    page.goto(f"{stack.url}/login")
    page.get_by_label("E-mail").fill("finance_manager@acme-e2e.com.br")
    page.get_by_label("Senha", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_test_id("operator-name")).to_be_visible()
    page.goto(f"{stack.url}/lgpd/{customer.id}")
    expect(page.get_by_test_id("lgpd-titular")).to_contain_text("Titular Conceição E2E")

    page.get_by_test_id("lgpd-export").click()
    expect(page.get_by_test_id("lgpd-download")).to_be_visible(timeout=30_000)
    page.screenshot(path=ARTIFACTS / "lgpd-export-ready.png", full_page=True)
    with page.expect_download() as download_info:
        page.get_by_test_id("lgpd-download").click()
    archive = zipfile.ZipFile(download_info.value.path())
    assert json.loads(archive.read("dados.json"))["cliente"]["name"] == "Titular Conceição E2E"

    page.get_by_test_id("erasure-request").click()
    page.get_by_test_id("reason-input").fill("Pedido do titular por e-mail, protocolo 2026-42")
    page.screenshot(path=ARTIFACTS / "lgpd-erasure-request.png")
    page.get_by_test_id("reason-confirm").click()
    expect(page.get_by_test_id("erasure-status")).to_have_text("Solicitada")
    page.screenshot(path=ARTIFACTS / "lgpd-erasure-requested.png", full_page=True)

    page.get_by_test_id("erasure-confirm").click()
    expect(page.get_by_test_id("erasure-status")).to_have_text("Executada", timeout=30_000)
    expect(page.get_by_test_id("lgpd-titular")).to_contain_text("Titular anonimizado")
    expect(page.get_by_test_id("lgpd-titular")).to_contain_text("***.")
    page.screenshot(path=ARTIFACTS / "lgpd-erasure-executed.png", full_page=True)

    page.get_by_text("LGPD", exact=True).click()
    expect(page.get_by_test_id("lgpd-requests")).to_contain_text("Executada")
    page.screenshot(path=ARTIFACTS / "lgpd-requests.png", full_page=True)
