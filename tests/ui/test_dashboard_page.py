"""The Painel as an operator reads it: what is owed and how late, invoices per state, and the communication health."""

from __future__ import annotations

from datetime import timedelta

from nicegui.testing import User

from domain.calendar import today_in
from domain.invoices.finalize import finalize_invoice
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.billing_factories import draft, make_account
from tests.ui.conftest import sign_in


def text_of(user: User, marker: str) -> str:
    return next(iter(user.find(marker=marker).elements)).text


async def test_the_dashboard_shows_receivables_overdue_and_the_outbox(user: User, acme, operator_of) -> None:  # type: ignore[no-untyped-def]
    admin, email = operator_of("admin")
    account = make_account(acme, name="Padaria Pão Quente Ltda")
    today = today_in(acme.timezone)
    owed = []
    for days_late in (-3, 40):
        due_on = today - timedelta(days=days_late)
        invoice = draft(admin, account, due_on=due_on)
        owed.append(
            finalize_invoice(SqlUnitOfWork(admin), invoice_id=invoice.id, issued_on=due_on - timedelta(days=10))
        )
    await sign_in(user, email)
    await user.open("/")
    await user.should_see(marker="card-receivable", retries=30)
    from ui.components.formats import money

    assert text_of(user, "card-receivable") == money(sum(i.net_value_cents for i in owed))
    assert text_of(user, "card-overdue") == money(owed[1].net_value_cents)
    await user.should_see("Contas a receber por idade")
    await user.should_see("Faturas por situação")
    await user.should_see("Comunicação")
    assert text_of(user, "emails-pending") == "2"  # invoice_created for each finalized invoice, not sent yet


async def test_an_auditor_sees_the_dashboard_without_settings_links(user: User, acme, operator_of) -> None:  # type: ignore[no-untyped-def]
    _, email = operator_of("auditor")
    await sign_in(user, email)
    await user.open("/")
    await user.should_see("Contas a receber por idade", retries=30)
    await user.should_not_see("Caixa de saída")


async def test_the_dashboard_shows_mrr_with_this_months_movement_and_the_billing_runs(
    user: User, acme, operator_of
) -> None:  # type: ignore[no-untyped-def]
    from tests.support.subscription_factories import make_plan, subscribe

    admin, email = operator_of("finance_manager")
    account = make_account(acme, name="Padaria Pão Quente Ltda")
    subscribe(admin, account, make_plan(admin, "Básico", "100.00"), quantity=2)
    await sign_in(user, email)
    await user.open("/")
    await user.should_see(marker="mrr-card", retries=30)
    assert text_of(user, "card-mrr") == "R$ 200,00"
    assert text_of(user, "mrr-net") == "no mês: +R$ 200,00"
    await user.should_see("Faturamento das assinaturas")
    await user.should_see(marker="billing-run")
