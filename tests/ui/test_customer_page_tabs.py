"""The customer page gathers what an operator needs about one customer: its invoices in the invoice grid, the LGPD
panel for those who may export, and the way into a merge."""

from __future__ import annotations

from nicegui.testing import User

from tests.support.billing_factories import make_account, open_invoice
from tests.ui.conftest import sign_in


async def test_the_invoices_tab_lists_the_customers_invoices_with_amounts(user: User, acme, operator_of) -> None:  # type: ignore[no-untyped-def]
    admin, email = operator_of("admin")
    account = make_account(acme, name="Padaria Pão Quente Ltda")
    invoice = open_invoice(admin, account)
    open_invoice(admin, make_account(acme, name="Outra Empresa Ltda"))
    await sign_in(user, email)
    await user.open(f"/clientes/{account.customer_id}?tab=faturas")
    await user.should_see(marker="invoice-totals", retries=30)
    grid = user.find(marker="invoice-grid").elements.pop()
    assert [row["number"] for row in grid.rows] == [invoice.number]
    await user.should_see("Abrir em Faturas")


async def test_a_manager_sees_the_lgpd_tab_and_the_merge_action(user: User, acme, operator_of) -> None:  # type: ignore[no-untyped-def]
    _, email = operator_of("finance_manager")
    account = make_account(acme, name="Padaria Pão Quente Ltda")
    await sign_in(user, email)
    await user.open(f"/clientes/{account.customer_id}?tab=lgpd")
    await user.should_see("LGPD: dados do titular", retries=30)
    user.find("Mesclar").click()
    await user.should_see("Sugestões de duplicados", retries=30)


async def test_an_auditor_sees_neither_the_lgpd_tab_nor_the_merge_action(user: User, acme, operator_of) -> None:  # type: ignore[no-untyped-def]
    _, email = operator_of("auditor")
    account = make_account(acme, name="Padaria Pão Quente Ltda")
    await sign_in(user, email)
    await user.open(f"/clientes/{account.customer_id}")
    await user.should_see("Padaria Pão Quente Ltda", retries=30)
    await user.should_not_see("LGPD")
    await user.should_not_see("Mesclar")
