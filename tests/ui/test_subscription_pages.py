"""Assinaturas as operators use it: the list with its MRR, plans, a new subscription, a change with the proration
preview before confirming, a cancellation with a reason, and the billing run button with its result."""

from __future__ import annotations

from datetime import date

from nicegui.testing import User

from domain.access.permissions import Actor
from domain.subscriptions.model import Subscription, SubscriptionStatus
from tests.support.billing_factories import make_account
from tests.support.subscription_factories import bill, make_plan, reload, subscribe
from tests.ui.conftest import sign_in

NOV = date(2026, 11, 1)


def rows_of(user: User, marker: str) -> list[dict]:
    return list(next(iter(user.find(marker=marker).elements)).rows)


def set_value(user: User, marker: str, value: object) -> None:
    next(iter(user.find(marker=marker).elements)).value = value


async def test_the_list_shows_subscriptions_with_status_and_the_mrr_of_the_filtered_set(
    user: User, acme, operator_of
) -> None:  # type: ignore[no-untyped-def]
    admin, email = operator_of("finance_operator")
    pro = make_plan(admin, "Pro", "200.00")
    subscribe(admin, make_account(acme, name="Padaria Pão Quente Ltda"), pro, quantity=2)
    subscribe(admin, make_account(acme, name="Oficina Rápida Ltda"), pro, trial_days=14)
    await sign_in(user, email)
    await user.open("/assinaturas")
    await user.should_see("2 assinaturas · MRR R$ 400,00")
    rows = rows_of(user, "subscriptions-table")
    assert {(r["customer"], r["status"], r["amount"]) for r in rows} == {
        ("Padaria Pão Quente Ltda", "Ativa", "R$ 400,00/mês"),
        ("Oficina Rápida Ltda", "Em teste", "R$ 200,00/mês"),
    }
    set_value(user, "filter-status", ["trialing"])
    await user.should_see("1 assinatura · MRR R$ 0,00")


async def test_a_plan_is_created_and_a_subscription_opened_from_the_dialogs(user: User, acme, operator_of) -> None:  # type: ignore[no-untyped-def]
    admin, email = operator_of("finance_operator")
    make_account(acme, name="Metalúrgica Horizonte Ltda")
    make_plan(admin, "Básico", "99.00")  # installs the service catalog
    await sign_in(user, email)
    await user.open("/assinaturas/planos")
    user.find(marker="new-plan").click()
    await user.should_see(marker="plan-name", retries=30)
    user.find(marker="plan-name").type("Empresarial")
    user.find(marker="plan-amount").type("1.500,00")
    services = next(iter(user.find(marker="plan-service").elements))
    services.value = next(k for k, v in services.options.items() if v.startswith("17.01"))
    user.find(marker="plan-save").click()
    await user.should_see("Plano salvo.")
    assert {r["name"]: r["amount"] for r in rows_of(user, "plans-table")}["Empresarial"] == "R$ 1.500,00"

    await user.open("/assinaturas")
    await user.should_see("0 assinaturas · MRR R$ 0,00", retries=30)
    user.find(marker="new-subscription").click()
    await user.should_see(marker="account-search", retries=30)
    user.find(marker="account-search").type("Metalúrgica")
    await user.should_see("Metalúrgica Horizonte Ltda — Metalúrgica Horizonte Ltda — Matriz", retries=30)
    plans = next(iter(user.find(marker="subscription-plan").elements))
    set_value(user, "subscription-plan", next(k for k, v in plans.options.items() if v.startswith("Empresarial")))
    set_value(user, "subscription-quantity", 3)
    user.find(marker="subscription-save").click()
    await user.should_see("Assinatura criada.")
    await user.should_see("1 assinatura · MRR R$ 4.500,00")


async def test_a_change_shows_the_proration_preview_before_it_is_confirmed(user: User, acme, operator_of) -> None:  # type: ignore[no-untyped-def]
    admin, email = operator_of("finance_operator")
    basic, pro = make_plan(admin, "Básico", "100.00"), make_plan(admin, "Pro", "200.00")
    sub = subscribe(admin, make_account(acme, name="Padaria Pão Quente Ltda"), basic, start_on=NOV)
    bill(Actor.system("faturamento", acme.id), NOV)
    await sign_in(user, email)
    await user.open("/assinaturas")
    await user.should_see("1 assinatura", retries=30)
    user.find(marker="subscriptions-table").trigger("change", {"id": str(sub.id)})
    await user.should_see(marker="change-plan", retries=30)
    set_value(user, "change-date", "16/11/2026")
    set_value(user, "change-plan", str(pro.id))
    await user.should_see("-R$ 50,00", retries=30)
    await user.should_see("R$ 100,00")
    await user.should_see(marker="proration-total", content="R$ 50,00")
    user.find(marker="change-save").click()
    await user.should_see("Assinatura alterada; o proporcional entra na próxima fatura.")
    assert reload(admin, Subscription, sub.id).plan_id == pro.id


async def test_a_cancellation_needs_a_reason_and_can_wait_for_the_period_end(user: User, acme, operator_of) -> None:  # type: ignore[no-untyped-def]
    admin, email = operator_of("finance_operator")
    sub = subscribe(admin, make_account(acme, name="Padaria Pão Quente Ltda"), make_plan(admin, "Pro", "200.00"),
                    start_on=NOV)  # fmt: skip
    bill(Actor.system("faturamento", acme.id), NOV)
    await sign_in(user, email)
    await user.open("/assinaturas")
    await user.should_see("1 assinatura", retries=30)
    user.find(marker="subscriptions-table").trigger("cancel", {"id": str(sub.id)})
    await user.should_see(marker="cancel-save", retries=30)
    user.find(marker="cancel-save").click()
    await user.should_see("Informe o motivo (ao menos 3 caracteres).")
    user.find(marker="cancel-reason").type("Cliente pediu para não renovar")
    user.find(marker="cancel-save").click()
    await user.should_see("Cancelamento agendado para o fim do período.")
    found = reload(admin, Subscription, sub.id)
    assert found.cancel_at_period_end and found.status is SubscriptionStatus.ACTIVE


async def test_the_billing_run_button_enqueues_the_run_and_shows_its_result(user: User, acme, operator_of) -> None:  # type: ignore[no-untyped-def]
    manager, email = operator_of("finance_manager")
    plan = make_plan(manager, "Pro", "200.00")
    for name in ("Padaria Pão Quente Ltda", "Oficina Rápida Ltda"):
        subscribe(manager, make_account(acme, name=name), plan, start_on=NOV)
    await sign_in(user, email)
    await user.open("/assinaturas")
    await user.should_see("Nenhum faturamento executado ainda.")
    user.find(marker="billing-run").click()
    await user.should_see("Faturamento enviado para a fila: acompanhe abaixo.")
    # (the UI tests' queue is immediate: the worker's part ran on the click)
    await user.should_see("2 faturas criadas", retries=50)
    runs = rows_of(user, "billing-runs")
    assert runs[0]["status"] == "Concluída" and runs[0]["created"] == "2" and runs[0]["trigger"] == "manual"


async def test_an_operator_without_the_billing_run_permission_sees_no_button(user: User, acme, operator_of) -> None:  # type: ignore[no-untyped-def]
    _, email = operator_of("finance_operator")
    await sign_in(user, email)
    await user.open("/assinaturas")
    await user.should_see("Faturamento das assinaturas")
    await user.should_not_see(marker="billing-run")


async def test_the_customer_page_lists_its_subscriptions_in_their_own_tab(user: User, acme, operator_of) -> None:  # type: ignore[no-untyped-def]
    admin, email = operator_of("finance_operator")
    account = make_account(acme, name="Padaria Pão Quente Ltda")
    subscribe(admin, account, make_plan(admin, "Pro", "200.00"), quantity=2)
    await sign_in(user, email)
    await user.open(f"/clientes/{account.customer_id}?tab=assinaturas")
    await user.should_see("MRR das assinaturas ativas: R$ 400,00", retries=30)
    (row,) = rows_of(user, "customer-subscriptions")
    assert (row["plan"], row["quantity"], row["status"]) == ("Pro", 2, "Ativa")
    await user.should_see("Nova assinatura — Padaria Pão Quente Ltda — Matriz")
