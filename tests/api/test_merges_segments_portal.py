"""Merges (Kontorion's contract), saved views run over the API, and portal users."""

from __future__ import annotations

from fastapi.testclient import TestClient

from domain.segments import services as segments
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.registry_factories import make_account, make_customer, person_values


def test_merge_preview_returns_the_plan_and_move_all_executes_it(api: TestClient, admin) -> None:  # type: ignore[no-untyped-def]
    source, target = make_customer(admin, accounts=2), make_customer(admin)
    body = {"source_customer_id": str(source.id), "target_customer_id": str(target.id), "strategy": "PREVIEW"}
    preview = api.post("/customers/merge", json=body)
    assert preview.status_code == 200
    assert preview.json()["executed"] is False and preview.json()["moves"]["billing_account"] == 2
    stale = api.post("/customers/merge", json={**body, "strategy": "MOVE_ALL", "fingerprint": "outra-previa"})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "MERGE_PREVIEW_OUTDATED"
    assert api.get(f"/customers/{source.id}").status_code == 200  # nothing moved
    done = api.post(
        "/customers/merge", json={**body, "strategy": "MOVE_ALL", "fingerprint": preview.json()["fingerprint"]}
    )
    assert done.status_code == 200 and done.json()["executed"] is True
    assert api.get(f"/customers/{target.id}").json()["accounts_count"] == 2
    again = api.post("/customers/merge", json={**body, "strategy": "MOVE_ALL"})
    assert again.status_code == 422 and again.json()["error"]["code"] == "MERGE_SOURCE_DELETED"


def test_merging_a_customer_into_itself_is_422_merge_self(api: TestClient, admin) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin)
    body = {"source_customer_id": str(customer.id), "target_customer_id": str(customer.id), "strategy": "PREVIEW"}
    response = api.post("/customers/merge", json=body)
    assert response.status_code == 422 and response.json()["error"]["code"] == "MERGE_SELF"


def test_merging_two_different_taxpayers_is_409_merge_conflict(api: TestClient, admin) -> None:  # type: ignore[no-untyped-def]
    company = make_customer(admin)
    person = make_customer(admin, **person_values())
    body = {"source_customer_id": str(person.id), "target_customer_id": str(company.id), "strategy": "PREVIEW"}
    assert api.post("/customers/merge", json=body).json()["conflicts"]
    response = api.post("/customers/merge", json={**body, "strategy": "MOVE_ALL"})
    assert response.status_code == 409 and response.json()["error"]["code"] == "MERGE_CONFLICT"
    assert "CPF e um CNPJ" in response.json()["error"]["message"]


def test_a_saved_view_runs_over_the_api_with_its_count(api: TestClient, admin) -> None:  # type: ignore[no-untyped-def]
    sp = make_customer(admin, name="Paulista SA")
    tree = {"version": 1, "op": "and", "children": [{"field": "uf", "cmp": "eq", "value": "SP"}]}
    view = segments.create_saved_view(SqlUnitOfWork(admin), name="Clientes SP", tree=tree, visibility="shared")
    listed = api.get("/segments").json()
    assert "Clientes SP" in [v["name"] for v in listed] and "Alto valor" in [v["name"] for v in listed]
    run = api.get(f"/segments/{view.id}/customers", params={"page[size]": 10}).json()
    assert [c["id"] for c in run["data"]] == [str(sp.id)] and run["meta"]["total_items"] == 1
    assert run["data"][0]["document"].count(".") == 2  # masked, as the screens show it


def test_portal_users_are_invited_listed_and_suspended(api: TestClient, admin) -> None:  # type: ignore[no-untyped-def]
    customer = make_customer(admin)
    account = make_account(admin, customer)
    invited = api.post(
        "/portal-users", json={"billing_account_id": str(account.id), "email": "Maria@Acme.com.br", "name": "Maria"}
    )
    assert invited.status_code == 201 and invited.json()["status"] == "pending_invitation"
    assert invited.json()["email"] == "maria@acme.com.br"
    again = api.post(
        "/portal-users", json={"billing_account_id": str(account.id), "email": "maria@acme.com.br", "name": "Maria"}
    )
    assert again.status_code == 409
    user_id = invited.json()["id"]
    listed = api.get("/portal-users", params={"filter[billing_account_id]": str(account.id)}).json()
    assert [u["id"] for u in listed["data"]] == [user_id]
    assert api.post(f"/portal-users/{user_id}/suspend", json={}).status_code == 422  # a reason is required
    suspended = api.post(f"/portal-users/{user_id}/suspend", json={"reason": "Saiu da empresa"})
    assert suspended.json()["status"] == "suspended"
