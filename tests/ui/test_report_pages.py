"""Relatórios as an operator sees it: the most overdue accounts with their age buckets, and the exports."""

from __future__ import annotations

from datetime import timedelta

from nicegui.testing import User

from domain.calendar import today_in
from domain.invoices.finalize import finalize_invoice
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.billing_factories import draft, make_account
from tests.ui.conftest import sign_in
from ui.components.formats import money


async def test_the_reports_screen_shows_the_aging_and_offers_the_exports(user: User, acme, operator_of) -> None:  # type: ignore[no-untyped-def]
    admin, email = operator_of("finance_manager")
    due_on = today_in(acme.timezone) - timedelta(days=40)
    invoice = draft(admin, make_account(acme, name="Atrasada Ltda"), due_on=due_on)
    invoice = finalize_invoice(SqlUnitOfWork(admin), invoice_id=invoice.id, issued_on=due_on - timedelta(days=10))
    await sign_in(user, email)
    await user.open("/relatorios")
    await user.should_see("Contas a receber por idade", retries=30)
    (table,) = user.find(marker="aging-table").elements
    owed = money(invoice.net_value_cents)  # 40 days late: all of it in "31–60 dias"
    assert [(r["customer"], r["b0"], r["b1"], r["b2"], r["total"]) for r in table.rows] == [
        ("Atrasada Ltda", "R$ 0,00", "R$ 0,00", owed, owed)
    ]
    await user.should_see("Movimentos de MRR")
    await user.should_see("Outras exportações")


async def test_an_auditor_may_not_export(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    _, email = operator_of("auditor")
    await sign_in(user, email)
    await user.open("/relatorios")
    await user.should_see("Você não tem acesso a esta tela.")
