"""Billing accounts (filters, pages, conflicts), the invoice lifecycle and the statement over the API."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support.factories import make_operator, make_organization
from tests.support.registry_factories import make_account, make_customer


def test_accounts_are_paged_with_meta_and_links_like_the_catalisa_api(api: TestClient, admin) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin, accounts=3)
    make_customer(admin, accounts=2)
    first = api.get("/billing-accounts", params={"filter[customer_id]": str(customer.id), "page[size]": 2}).json()
    assert first["meta"] == {
        "total_items": 3,
        "total_items_is_estimate": False,
        "total_pages": 2,
        "current_page": 1,
        "items_per_page": 2,
    }
    assert first["links"]["next"].startswith("/api/v1/billing-accounts?") and "%5B" not in first["links"]["next"]
    assert "page[number]=2" in first["links"]["next"] and f"filter[customer_id]={customer.id}" in first["links"]["next"]
    second = api.get(first["links"]["next"].removeprefix("/api/v1")).json()
    assert len(second["data"]) == 1 and second["links"]["next"] is None
    by_cursor = api.get(first["links"]["next_cursor"].removeprefix("/api/v1")).json()
    assert [a["id"] for a in by_cursor["data"]] == [a["id"] for a in second["data"]]
    names = sorted(a["name"] for a in first["data"] + second["data"])
    assert names == ["Conta 1", "Conta 2", "Conta 3"]


def test_paging_too_deep_is_400_with_a_hint(api: TestClient) -> None:
    response = api.get("/billing-accounts", params={"page[number]": 200, "page[size]": 100})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "PAGE_TOO_DEEP" and "page[after]" in response.json()["error"]["message"]


def test_an_account_email_already_in_use_is_409(api: TestClient, admin) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin)
    body = {"customer_id": str(customer.id), "name": "Filial RJ", "email": "rj@acme.com.br"}
    assert api.post("/billing-accounts", json=body).status_code == 201
    response = api.post("/billing-accounts", json={**body, "name": "Outra"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "BILLING_ACCOUNT_EMAIL_IN_USE"
    assert response.json()["error"]["field"] == "email"


def test_suspend_filter_by_status_and_reactivate(api: TestClient, admin) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin)
    account = make_account(admin, customer)
    suspended = api.post(f"/billing-accounts/{account.id}/suspend", json={"reason": "Inadimplência"})
    assert suspended.status_code == 200 and suspended.json()["status"] == "suspended"
    listed = api.get("/billing-accounts", params={"filter[status]": "suspended"}).json()
    assert [a["id"] for a in listed["data"]] == [str(account.id)]
    assert api.post(f"/billing-accounts/{account.id}/suspend", json={"reason": "de novo"}).status_code == 409
    reactivated = api.post(f"/billing-accounts/{account.id}/reactivate", json={"reason": "Acordo"})
    assert reactivated.json()["status"] == "active"
    assert (
        api.patch(f"/billing-accounts/{account.id}", json={"billing_email": "nf@acme.com.br"}).json()["billing_email"]
        == "nf@acme.com.br"
    )


def test_the_invoice_lifecycle_statement_and_pdf(api: TestClient, admin) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin)
    account = make_account(admin, customer, name="Matriz")
    created = api.post(
        "/invoices",
        headers={"Idempotency-Key": "inv-1"},
        json={
            "billing_account_id": str(account.id),
            "due_date": "2099-06-30",
            "collection_method": "manual_charge",
            "line_items": [
                {
                    "description": "Consultoria sob demanda",
                    "quantity": 8,
                    "unit_amount_cents": 25000,
                    "service_item_id": "svc_consultoria",
                }
            ],
        },
    )
    assert created.status_code == 201, created.text
    invoice = created.json()
    assert invoice["status"] == "draft" and invoice["number"] is None and invoice["subtotal_cents"] == 200000
    assert invoice["due_date"] == "2099-06-30" and invoice["pdf_url"] == f"/api/v1/invoices/{invoice['id']}/pdf"
    more = api.post(
        f"/invoices/{invoice['id']}/lines",
        json={
            "line_items": [
                {
                    "description": "Deslocamento",
                    "quantity": 1,
                    "unit_amount_cents": 5000,
                    "service_item_id": "consultoria",
                }
            ]
        },
    )
    assert more.status_code == 200 and len([x for x in more.json()["line_items"] if x["source"] == "manual"]) == 2
    finalized = api.post(f"/invoices/{invoice['id']}/finalize", json={}).json()
    assert "error" not in finalized, finalized
    assert finalized["status"] == "open" and finalized["number"].startswith("INV-")
    assert api.get("/invoices", params={"filter[status]": "open"}).json()["meta"]["total_items"] == 1
    paid = api.post(f"/invoices/{invoice['id']}/pay", json={"method": "pix"})
    assert paid.status_code == 200, paid.text
    assert paid.json()["invoice"]["status"] == "paid"
    assert paid.json()["payment"]["amount_cents"] == finalized["net_value_cents"]
    items = api.get(f"/billing-accounts/{account.id}/statement-items").json()
    assert [i["kind"] for i in items["data"]] == ["debit", "credit"]
    assert items["data"][-1]["balance_after_cents"] == 0
    pdf = api.get(f"/invoices/{invoice['id']}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert api.post(f"/invoices/{invoice['id']}/void", json={"reason": "x"}).status_code == 409


def test_deleting_an_account_with_an_open_invoice_is_409(api: TestClient, admin) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin)
    account = make_account(admin, customer)
    invoice = api.post(
        "/invoices",
        json={
            "billing_account_id": str(account.id),
            "due_date": "2099-01-10",
            "line_items": [{"description": "Setup", "unit_amount_cents": 10000, "service_item_id": "consultoria"}],
        },
    ).json()
    assert api.post(f"/invoices/{invoice['id']}/finalize").status_code == 200
    response = api.delete(f"/billing-accounts/{account.id}")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "BILLING_ACCOUNT_HAS_OPEN_ITEMS"
    assert "1 fatura em aberto" in response.json()["error"]["message"]
    voided = api.post(f"/invoices/{invoice['id']}/void", json={"reason": "Emitida por engano"})
    assert voided.json()["status"] == "void"
    assert api.delete(f"/billing-accounts/{account.id}").status_code == 204


def test_another_organizations_account_and_invoices_are_not_found(api: TestClient) -> None:
    other = make_operator(make_organization("outra"))
    theirs = make_account(other, make_customer(other))
    assert api.get(f"/billing-accounts/{theirs.id}").status_code == 404
    assert api.get(f"/billing-accounts/{theirs.id}/statement-items").status_code == 404
    assert api.post(f"/billing-accounts/{theirs.id}/suspend", json={"reason": "x"}).status_code == 404
    assert api.post("/invoices", json={"billing_account_id": str(theirs.id)}).status_code == 404
    assert api.get("/billing-accounts").json()["meta"]["total_items"] == 0
