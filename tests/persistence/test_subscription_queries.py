"""The Assinaturas list: the quick search finds a subscription by its customer's name or document, or by its account's
name, and the totals are those of the filtered set."""

from __future__ import annotations

from domain.customers.model import Customer
from persistence.queries.subscriptions import SubscriptionFilter, list_subscriptions
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.billing_factories import make_account
from tests.support.subscription_factories import make_plan, subscribe


def found(admin, search: str) -> list[str]:  # type: ignore[no-untyped-def]
    page = list_subscriptions(admin, SubscriptionFilter(search=search))
    return sorted(row.customer_name for row in page.rows)


def test_the_quick_search_finds_subscriptions_by_customer_document_or_account(org, admin) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(admin, "Pro", "250.00")
    metal, padaria = make_account(org, name="Metalúrgica Ávila Ltda"), make_account(org, name="Padaria Sol Ltda")
    subscribe(admin, metal, plan)
    subscribe(admin, padaria, plan, quantity=2)
    with SqlUnitOfWork(admin) as uow:
        document = uow.get(Customer, padaria.customer_id, label="Cliente").document_number
    assert found(admin, "metalurgica av") == ["Metalúrgica Ávila Ltda"]  # accents and case do not matter
    assert found(admin, document[:6]) == ["Padaria Sol Ltda"]
    assert found(admin, "Padaria Sol Ltda — Mat") == ["Padaria Sol Ltda"]  # the account's name
    assert found(admin, "Serralheria") == []
    page = list_subscriptions(admin, SubscriptionFilter(search="padaria"))
    assert page.total == 1 and page.extra["mrr_cents"] == 50_000
