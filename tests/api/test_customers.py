"""Customers over the API: the Kobana example with nested accounts, validation with the field, filters, tenancy."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import kobana_customer
from tests.support.factories import make_organization
from tests.support.registry_factories import company_values, make_customer


def test_creating_a_customer_with_nested_billing_accounts_returns_both_in_one_answer(api: TestClient) -> None:
    response = api.post("/customers", json=kobana_customer())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["name"] == "ACME Tecnologia Ltda"
    assert body["document_masked"] == "11.222.333/0001-81"
    assert body["addresses"][0]["uf"] == "SP" and body["addresses"][0]["cep"] == "01310100"
    [account] = body["billing_accounts"]
    assert account["status"] == "active" and account["mrr_amount_cents"] == 0
    assert account["payment_terms_days"] == 15 and account["customer_tax_type"] == "simples_optante"
    assert api.get(f"/customers/{body['id']}").json()["billing_accounts"][0]["id"] == account["id"]


def test_an_invalid_document_is_refused_with_422_naming_the_field(api: TestClient) -> None:
    response = api.post("/customers", json=kobana_customer(document_number="12.345.678/0001-90"))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "document_number"
    assert error["code"] == "INVALID_FIELDS"
    assert "CNPJ" in error["message"]


def test_a_malformed_body_is_refused_with_the_field_in_pt_br_or_english(api: TestClient) -> None:
    response = api.post("/customers", json={"name": "X", "kind": "martian"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error == {"code": "VALIDATION_ERROR", "field": "body.kind", "message": error["message"]}
    assert error["message"].startswith("Valor inválido em body.kind")
    english = api.post("/customers", json={"name": "X", "kind": "martian"}, headers={"Accept-Language": "en"})
    assert english.json()["error"]["message"].startswith("Invalid value in body.kind")
    broken = api.post("/customers", content=b"{not json", headers={"Content-Type": "application/json"})
    assert broken.status_code == 400 and broken.json()["error"]["code"] == "INVALID_JSON"


def test_an_unknown_field_is_refused_rather_than_silently_ignored(api: TestClient) -> None:
    response = api.post("/customers", json=kobana_customer(favourite_colour="blue"))
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "body.favourite_colour"


def test_the_same_document_twice_is_a_conflict(api: TestClient) -> None:
    assert api.post("/customers", json=kobana_customer(billing_accounts=[])).status_code == 201
    response = api.post("/customers", json=kobana_customer(billing_accounts=[]))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "DOCUMENT_IN_USE"


def test_customers_are_listed_with_filters_and_another_organizations_customer_does_not_exist(
    api: TestClient, org, admin
) -> None:  # type: ignore[no-untyped-def]
    mine = make_customer(admin, external_id="erp-1")
    make_customer(admin)
    other_org = make_organization("outra")
    from tests.support.factories import make_operator

    theirs = make_customer(make_operator(other_org), **company_values(external_id="erp-1"))
    listed = api.get("/customers", params={"filter[external_id]": "erp-1"}).json()
    assert [c["id"] for c in listed["data"]] == [str(mine.id)]
    assert listed["meta"]["total_items"] == 1
    assert api.get(f"/customers/{theirs.id}").status_code == 404
    assert api.patch(f"/customers/{theirs.id}", json={"name": "Roubado"}).status_code == 404


def test_a_customer_is_changed_and_soft_deleted(api: TestClient, admin) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin)
    changed = api.patch(f"/customers/{customer.id}", json={"legal_name": "Nova Razão Ltda", "reason": "contrato"})
    assert changed.status_code == 200 and changed.json()["legal_name"] == "Nova Razão Ltda"
    assert api.delete(f"/customers/{customer.id}", params={"reason": "duplicado"}).status_code == 204
    assert api.get(f"/customers/{customer.id}").status_code == 404
