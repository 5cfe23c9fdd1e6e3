"""An operator in Chromium, on PostgreSQL + Redis and on SQLite: registers a company with an alphanumeric CNPJ and
two billing accounts, invites a portal user, suspends and reactivates an account with reasons, reads the audit
timeline, and is refused the deletion of an account with an open invoice — nothing changes."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from persistence import database
from persistence.queries import customer_page
from tests.e2e.conftest import ARTIFACTS
from tests.support.billing_factories import open_invoice
from tests.support.factories import PASSWORD, make_operator, make_organization
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.e2e

CNPJ = "RG.4T8.K2P/0001-52"  # alphanumeric (valid from July 2026), typed unmasked below


@dataclass
class Target:
    name: str
    url: str
    email: str
    actor: object  # the same operator, to prepare what the browser cannot (an open invoice)


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def target(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    """The live app of the session (PostgreSQL + Redis), or one of our own on SQLite with its embedded queue."""
    if request.param == "postgresql":
        _, people = request.getfixturevalue("acme")
        yield Target("postgresql", request.getfixturevalue("live_app").url, "finance_manager@acme-e2e.com.br",
                     people["finance_manager"])  # fmt: skip
        return
    var = tmp_path_factory.mktemp("e2e-registry-sqlite")
    url = f"sqlite:///{var / 'fatura.db'}"
    server = LiveServer({"DATABASE_URL": url, "FATURA_SEED_DEMO": "0"}, var)
    previous = database.default_url()
    try:
        server.wait_healthy()  # migrated by the app itself on start
        database.configure(url)
        org = make_organization("registro-e2e")
        actor = make_operator(org, "finance_manager", email="gestora@registro-e2e.com.br", name="Gestora E2E")
        yield Target("sqlite", server.url, "gestora@registro-e2e.com.br", actor)
    finally:
        database.configure(previous)
        server.stop()


def test_an_operator_registers_a_company_and_manages_its_accounts_and_portal(page: Page, target: Target) -> None:
    base, shot = target.url, lambda name: page.screenshot(path=ARTIFACTS / f"registry-{target.name}-{name}.png")
    page.set_viewport_size({"width": 1600, "height": 1000})
    _sign_in(page, base, target.email)

    # Clientes: N opens the form; the CNPJ is checked as it is typed and keeps its mask.
    page.goto(f"{base}/clientes")
    expect(page.get_by_test_id("grid-range")).to_contain_text("clientes")
    page.locator("body").click()
    page.keyboard.press("n")
    document = page.get_by_test_id("customer-document")
    document.press_sequentially("RG4T8K2P000153")
    expect(page.get_by_text("CNPJ inválido: dígitos verificadores não conferem.")).to_be_visible()
    document.press("Backspace")
    document.press_sequentially("2")
    expect(document).to_have_value(CNPJ)
    page.get_by_test_id("customer-name").fill("Rio Grande Tecnologia")
    page.get_by_test_id("customer-legal-name").fill("Rio Grande Tecnologia Ltda")
    page.get_by_test_id("emails-0").fill("financeiro@riogrande.com.br")
    page.get_by_test_id("addresses.0.cep").press_sequentially("20040020")
    form = page.get_by_role("dialog")
    form.get_by_label("Logradouro").fill("Av. Rio Branco")
    form.get_by_label("Número").fill("156")
    form.get_by_label("Bairro").fill("Centro")
    form.get_by_label("Cidade", exact=True).fill("Rio de Janeiro")
    form.get_by_label("UF", exact=True).click()
    page.get_by_role("option", name="RJ · Rio de Janeiro").click()
    form.get_by_label("Código IBGE").fill("3304557")
    shot("new-customer")
    page.get_by_test_id("save-new-customer").click()
    expect(page).to_have_url(re.compile(r"/clientes/[0-9a-f-]{36}$"))
    customer_id = uuid.UUID(page.url.rsplit("/", 1)[1])
    expect(page.get_by_test_id("customer-document-shown")).to_have_text(CNPJ)

    # A second billing account, besides the "Principal" one created with the customer.
    page.get_by_test_id("tab-contas").click()
    page.get_by_test_id("new-account").click()
    page.get_by_test_id("account-name").fill("Filial RJ")
    page.get_by_test_id("account-email").fill("rj@riogrande.com.br")
    page.get_by_test_id("save-account").click()
    expect(page.get_by_text("rj@riogrande.com.br")).to_be_visible()
    expect(page.get_by_test_id("total-accounts")).to_have_text("2")

    # A portal user for the branch: the single-use link is shown once.
    page.get_by_test_id("tab-portal").click()
    page.get_by_test_id("invite-portal-user").click()
    page.get_by_test_id("portal-account").click()
    page.get_by_role("option", name="Filial RJ").click()
    page.get_by_test_id("portal-name").fill("Joana Pereira")
    page.get_by_test_id("portal-email").fill("joana@riogrande.com.br")
    page.get_by_test_id("portal-invite").click()
    expect(page.get_by_test_id("portal-link")).to_have_value(re.compile(r"^/portal/convite/.{40,}$"))
    shot("portal-link")
    page.get_by_role("button", name="Fechar").click()
    expect(page.get_by_role("cell", name="Convite pendente")).to_be_visible()

    # Suspend and reactivate the branch, each with a reason.
    page.get_by_test_id("tab-contas").click()
    _with_reason(page, "suspend-Filial RJ", "Inadimplência de 60 dias")
    expect(page.get_by_test_id("account-status-note-Filial RJ")).to_contain_text("Inadimplência de 60 dias")
    shot("accounts-suspended")
    _with_reason(page, "reactivate-Filial RJ", "Acordo de pagamento assinado")
    expect(page.get_by_test_id("account-status-note-Filial RJ")).to_have_count(0)

    # The audit timeline: who, what, why.
    page.get_by_test_id("tab-auditoria").click()
    suspended = page.get_by_test_id("audit-billing_account.suspended")
    expect(suspended).to_contain_text("Motivo: Inadimplência de 60 dias")
    expect(suspended).to_contain_text("Gestora E2E" if target.name == "sqlite" else "Finance_Manager E2E")
    expect(page.get_by_test_id("audit-billing_account.reactivated")).to_contain_text("Acordo de pagamento assinado")
    shot("audit")

    # An open invoice on "Principal" (through the invoices area's use cases): deleting the account is refused.
    principal = next(a for a in customer_page.accounts(target.actor, customer_id) if a.name == "Principal")
    open_invoice(target.actor, principal)
    page.goto(f"{base}/clientes/{customer_id}?tab=contas")
    _with_reason(page, "delete-Principal", "Cadastro em duplicidade", closes=False)
    expect(page.get_by_test_id("reason-refusal")).to_contain_text(
        "A conta “Principal” não pode ser excluída: tem 1 fatura em aberto."
    )
    shot("delete-refused")
    page.keyboard.press("Escape")
    page.reload()
    expect(page.get_by_test_id("delete-Principal")).to_be_visible()
    expect(page.get_by_test_id("total-open-invoices")).to_have_text("1")

    # The grid and the global search find it by the masked document; Enter opens the selected row.
    page.goto(f"{base}/clientes")
    page.get_by_test_id("customer-search").fill(CNPJ)
    expect(page.get_by_test_id("grid-range")).to_have_text("1–1 de 1 clientes")
    shot("grid-search")
    page.get_by_test_id("customer-row-0").click()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(str(customer_id)))
    page.get_by_test_id("global-search").fill("rj@riogrande")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Filial RJ — Rio Grande Tecnologia")).to_be_visible()


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Senha", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_test_id("operator-name")).to_be_visible()


def _with_reason(page: Page, button: str, reason: str, *, closes: bool = True) -> None:
    page.get_by_test_id(button).click()
    page.get_by_test_id("reason-input").fill(reason)
    page.get_by_test_id("reason-confirm").click()
    if closes:
        expect(page.get_by_test_id("reason-input")).to_have_count(0)
