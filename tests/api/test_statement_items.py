"""The top-level statement (GET /statement-items): by account or by customer, between dates, paged like the others."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from fastapi.testclient import TestClient

from domain.payments.services import record_payment
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.billing_factories import ISSUED, open_invoice
from tests.support.factories import make_operator, make_organization
from tests.support.registry_factories import make_account, make_customer

PAID_ON = date.today()  # after ISSUED: payments cannot be dated in the future


def test_a_customers_statement_spans_its_accounts_and_an_accounts_pages_in_posting_order(
    api: TestClient, admin
) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin)
    matriz, filial = make_account(admin, customer, name="Matriz"), make_account(admin, customer, name="Filial RJ")
    make_account(admin, make_customer(admin))  # another customer's account, with nothing posted
    invoice = open_invoice(admin, matriz)
    open_invoice(admin, filial)
    record_payment(SqlUnitOfWork(admin), invoice_id=invoice.id, amount_cents=invoice.net_value_cents, paid_on=PAID_ON)

    by_customer = api.get("/statement-items", params={"filter[customer_id]": str(customer.id)}).json()
    assert [(i["billing_account_id"], i["kind"]) for i in by_customer["data"]] == [
        (str(matriz.id), "debit"),
        (str(filial.id), "debit"),
        (str(matriz.id), "credit"),
    ]
    first = api.get("/statement-items", params={"filter[billing_account_id]": str(matriz.id), "page[size]": 1}).json()
    assert first["meta"]["total_items"] == 2 and first["meta"]["total_pages"] == 2
    assert first["data"][0]["kind"] == "debit" and first["data"][0]["amount_cents"] == -invoice.net_value_cents
    by_cursor = api.get(first["links"]["next_cursor"].removeprefix("/api/v1")).json()
    by_number = api.get(first["links"]["next"].removeprefix("/api/v1")).json()
    assert by_cursor["data"] == by_number["data"] and by_number["data"][0]["balance_after_cents"] == 0
    since = api.get(
        "/statement-items",
        params={"filter[customer_id]": str(customer.id), "filter[from]": str(ISSUED + timedelta(days=1))},
    ).json()
    assert [(i["kind"], i["occurred_on"]) for i in since["data"]] == [("credit", PAID_ON.isoformat())]
    until = api.get("/statement-items", params={"filter[customer_id]": str(customer.id), "filter[to]": str(ISSUED)})
    assert [i["kind"] for i in until.json()["data"]] == ["debit", "debit"]
    nested = api.get(f"/billing-accounts/{matriz.id}/statement-items").json()  # the nested route stays
    assert [i["id"] for i in nested["data"]] == [i["id"] for i in first["data"] + by_number["data"]]


def test_without_an_account_or_customer_it_is_422_naming_the_filter(api: TestClient) -> None:
    response = api.get("/statement-items", params={"filter[from]": "2026-01-01"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "STATEMENT_SCOPE_REQUIRED"
    assert response.json()["error"]["field"] == "filter[billing_account_id]"
    bad_date = api.get("/statement-items", params={"filter[customer_id]": str(uuid.uuid4()), "filter[to]": "31/12"})
    assert bad_date.status_code == 422 and bad_date.json()["error"]["field"] == "query.filter[to]"


def test_another_organizations_statement_is_empty(api: TestClient) -> None:
    other = make_operator(make_organization("outra"))
    theirs = make_account(other, make_customer(other))
    open_invoice(other, theirs)
    for params in ({"filter[billing_account_id]": str(theirs.id)}, {"filter[customer_id]": str(theirs.customer_id)}):
        found = api.get("/statement-items", params=params).json()
        assert found["data"] == [] and found["meta"]["total_items"] == 0
