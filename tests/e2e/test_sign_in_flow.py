"""An operator in Chromium: signs in, is refused with a clear message, gets locked out, navigates, signs out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.e2e


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Senha", exact=True).fill(password)
    page.get_by_role("button", name="Entrar").click()


def test_an_operator_signs_in_sees_the_dashboard_navigates_and_signs_out(page: Page, acme) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "admin@acme-e2e.com.br")
    expect(page.get_by_test_id("operator-name")).to_have_text("Admin E2E")
    expect(page.get_by_text("Acme-E2E Serviços Ltda")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "dashboard.png", full_page=True)

    page.get_by_text("Auditoria", exact=True).click()
    expect(page).to_have_url(re.compile(r"/auditoria$"))
    expect(page.get_by_role("cell", name="operator.signed_in").first).to_be_visible()
    page.screenshot(path=ARTIFACTS / "audit.png", full_page=True)

    page.keyboard.press("Control+k")
    page.get_by_test_id("palette-input").fill("config")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/configuracoes$"))
    expect(page.get_by_role("tab", name="Operadores")).to_be_visible()

    page.locator("body").click()
    page.keyboard.press("/")
    expect(page.get_by_test_id("global-search")).to_be_focused()

    page.get_by_role("button", name="Sair").click()
    expect(page).to_have_url(re.compile(r"/login"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?redirect_to=/"))


def test_a_wrong_password_is_refused_in_portuguese(page: Page, acme) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "finance_manager@acme-e2e.com.br", "senha-errada-999")
    expect(page.get_by_test_id("login-error")).to_have_text("E-mail ou senha incorretos.")
    page.screenshot(path=ARTIFACTS / "wrong-password.png")


def test_five_wrong_passwords_lock_the_login_even_for_the_right_one(page: Page, acme) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        sign_in(page, "auditor@acme-e2e.com.br", "senha-errada-999")
        expect(page.get_by_test_id("login-error")).not_to_be_empty()
    sign_in(page, "auditor@acme-e2e.com.br", PASSWORD)
    expect(page.get_by_test_id("login-error")).to_contain_text("bloqueado")
    page.screenshot(path=ARTIFACTS / "locked.png")
