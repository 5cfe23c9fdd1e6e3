"""Plans and subscriptions over the API: create, list (filters, meta, links), change with its preview, cancel; the
role's permissions, other organizations' rows and the domain's refusals with their field."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from domain.subscriptions.model import Plan
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.billing_factories import make_account
from tests.support.factories import make_operator, make_organization
from tests.support.subscription_factories import bill, make_plan, subscribe

NOVEMBER = date(2026, 11, 1)


def plan_body(**overrides: object) -> dict:
    return {"name": "Pro", "amount_cents": 20000, "interval": "month", "service_item_id": "software", **overrides}


def test_plans_are_created_by_service_code_listed_and_read(api: TestClient) -> None:
    created = api.post("/plans", json=plan_body(name="Básico", amount_cents=10000))
    assert created.status_code == 201, created.text
    plan = created.json()
    assert (plan["name"], plan["amount_cents"], plan["currency"], plan["interval"]) == ("Básico", 10000, "BRL", "month")
    assert api.post("/plans", json=plan_body(interval="year", is_active=False)).status_code == 201
    assert api.get(f"/plans/{plan['id']}").json() == plan
    active = api.get("/plans", params={"filter[is_active]": "true"}).json()
    assert [p["name"] for p in active["data"]] == ["Básico"] and active["meta"]["total_items"] == 1
    assert api.get("/plans").json()["meta"]["total_items"] == 2


def test_subscriptions_are_created_then_listed_with_filters_meta_and_links(api: TestClient, org, admin) -> None:  # type: ignore[no-untyped-def]
    matriz, other = make_account(org), make_account(org)
    basic, pro = make_plan(admin, "Básico", "100.00"), make_plan(admin, "Pro", "200.00")
    body = {"billing_account_id": str(matriz.id), "plan_id": str(basic.id), "quantity": 3, "start_on": "2026-11-01"}
    created = api.post("/subscriptions", json=body)
    assert created.status_code == 201, created.text
    first = created.json()
    assert (first["status"], first["quantity"], first["mrr_cents"]) == ("active", 3, 30000)
    assert first["customer_id"] == str(matriz.customer_id) and first["current_period_end"] == "2026-11-01"
    trial = api.post("/subscriptions", json={**body, "plan_id": str(pro.id), "quantity": 1, "trial_days": 14}).json()
    assert trial["status"] == "trialing" and trial["trial_end"] == "2026-11-15"
    api.post("/subscriptions", json={**body, "billing_account_id": str(other.id)})

    page = api.get("/subscriptions", params={"filter[billing_account_id]": str(matriz.id), "page[size]": 1}).json()
    assert page["meta"] == {
        "total_items": 2,
        "total_items_is_estimate": False,
        "total_pages": 2,
        "current_page": 1,
        "items_per_page": 1,
    }
    assert "filter[billing_account_id]=" in page["links"]["next"] and "page[number]=2" in page["links"]["next"]
    second = api.get(page["links"]["next"].removeprefix("/api/v1")).json()
    by_cursor = api.get(page["links"]["next_cursor"].removeprefix("/api/v1")).json()
    assert [s["id"] for s in page["data"] + second["data"]] == [first["id"], trial["id"]]
    assert by_cursor["data"] == second["data"] and second["links"]["next"] is None

    def ids(**filters: str) -> list[str]:
        found = api.get("/subscriptions", params={f"filter[{k}]": v for k, v in filters.items()}).json()
        return [s["id"] for s in found["data"]]

    assert ids(status="trialing") == [trial["id"]]
    assert ids(plan_id=str(pro.id)) == [trial["id"]]
    assert ids(customer_id=str(matriz.customer_id)) == [first["id"], trial["id"]]
    assert len(ids(customer_id=str(other.customer_id), status="active")) == 1
    assert api.get(f"/subscriptions/{first['id']}").json() == first


def test_the_change_preview_is_what_the_change_stores_and_changes_nothing(api: TestClient, org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    basic, pro = make_plan(admin, "Básico", "100.00"), make_plan(admin, "Pro", "200.00")
    sub = subscribe(admin, account, basic, start_on=NOVEMBER)
    bill(admin, NOVEMBER)  # the first period [01/11, 01/12) is invoiced: a change now is prorated
    body = {"plan_id": str(pro.id), "quantity": 1, "changed_on": "2026-11-16"}
    preview = api.post(f"/subscriptions/{sub.id}/change-preview", json=body)
    assert preview.status_code == 200, preview.text
    lines = preview.json()["lines"]
    assert [line["amount_cents"] for line in lines] == [-5000, 10000] and preview.json()["total_cents"] == 5000
    assert lines[1]["period"] == {"start": "2026-11-16", "end": "2026-11-30"}
    assert lines[1]["description"].startswith("Proporcional: Pro × 1") and lines[1]["details"]["kind"] == "charge"
    assert api.get(f"/subscriptions/{sub.id}").json()["plan_id"] == str(basic.id)
    with SqlUnitOfWork(admin) as uow:
        assert uow.subscriptions.pending_prorations(sub.id) == []

    changed = api.post(f"/subscriptions/{sub.id}/change", json={**body, "reason": "Upgrade pedido pelo cliente"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["proration"] == preview.json()
    assert changed.json()["subscription"]["plan_id"] == str(pro.id)
    assert changed.json()["subscription"]["mrr_cents"] == 20000
    with SqlUnitOfWork(admin) as uow:
        stored = uow.subscriptions.pending_prorations(sub.id)
        assert sorted(p.amount_cents for p in stored) == [-5000, 10000]


def test_cancel_now_or_at_the_period_end_and_not_twice(api: TestClient, org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    plan = make_plan(admin, "Básico", "100.00")
    later, now = subscribe(admin, account, plan, start_on=NOVEMBER), subscribe(admin, account, plan, start_on=NOVEMBER)
    bill(admin, NOVEMBER)
    at_end = api.post(f"/subscriptions/{later.id}/cancel", json={"at_period_end": True, "reason": "Fim do contrato"})
    assert at_end.status_code == 200, at_end.text
    assert (at_end.json()["status"], at_end.json()["cancel_at_period_end"]) == ("active", True)
    canceled = api.post(f"/subscriptions/{now.id}/cancel", json={"reason": "Cliente migrou de sistema"}).json()
    assert canceled["status"] == "canceled" and canceled["cancel_reason"] == "Cliente migrou de sistema"
    again = api.post(f"/subscriptions/{now.id}/cancel", json={"reason": "de novo"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "SUBSCRIPTION_NOT_LIVE"
    short = api.post(f"/subscriptions/{later.id}/cancel", json={"reason": "x"})
    assert short.status_code == 422 and short.json()["error"]["field"] == "reason"


def test_a_role_without_subscriptions_write_reads_but_gets_403(client: TestClient, org, admin, issue_key) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    plan = make_plan(admin, "Básico", "100.00")
    sub = subscribe(admin, account, plan)
    client.headers["Authorization"] = f"Bearer {issue_key(org, 'auditor')}"
    assert client.get("/subscriptions").json()["meta"]["total_items"] == 1
    assert client.get(f"/plans/{plan.id}").status_code == 200
    refused = client.post("/subscriptions", json={"billing_account_id": str(account.id), "plan_id": str(plan.id)})
    assert refused.status_code == 403
    assert refused.json()["error"] == {
        "code": "PERMISSION_DENIED",
        "field": None,
        "message": "Permissão necessária: SUBSCRIPTIONS_WRITE.",
    }
    assert client.post("/plans", json=plan_body()).status_code == 403
    change = {"plan_id": str(plan.id), "quantity": 2}
    assert client.post(f"/subscriptions/{sub.id}/change", json=change).status_code == 403
    assert client.post(f"/subscriptions/{sub.id}/cancel", json={"reason": "Teste"}).status_code == 403
    assert client.post(f"/subscriptions/{sub.id}/change-preview", json=change).status_code == 200


def test_another_organizations_subscription_and_plan_are_not_found(api: TestClient) -> None:
    other_org = make_organization("outra")
    other = make_operator(other_org)
    plan = make_plan(other, "Deles", "100.00")
    theirs = subscribe(other, make_account(other_org), plan)
    assert api.get(f"/subscriptions/{theirs.id}").status_code == 404
    assert api.get(f"/plans/{plan.id}").status_code == 404
    change = {"plan_id": str(plan.id), "quantity": 2}
    assert api.post(f"/subscriptions/{theirs.id}/change-preview", json=change).status_code == 404
    assert api.post(f"/subscriptions/{theirs.id}/change", json=change).status_code == 404
    response = api.post(f"/subscriptions/{theirs.id}/cancel", json={"reason": "Não é meu"})
    assert response.status_code == 404 and response.json()["error"]["code"] == "NOT_FOUND"
    assert api.get("/subscriptions").json()["meta"]["total_items"] == 0
    assert api.get("/plans").json()["meta"]["total_items"] == 0


def test_bad_plans_and_quantities_are_422_naming_the_field(api: TestClient, org, admin) -> None:  # type: ignore[no-untyped-def]
    def refusal(response) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
        error = response.json()["error"]
        return response.status_code, error["code"], error["field"]

    assert refusal(api.post("/plans", json=plan_body(amount_cents=0))) == (422, "PLAN_INVALID", "amount_cents")
    assert refusal(api.post("/plans", json=plan_body(currency="XYZ"))) == (422, "PLAN_INVALID", "currency")
    unknown_service = api.post("/plans", json=plan_body(service_item_id="svc_inexistente"))
    assert refusal(unknown_service) == (422, "PLAN_INVALID", "service_item_id")
    make_plan(admin, "Pro", "200.00")
    assert refusal(api.post("/plans", json=plan_body())) == (409, "PLAN_NAME_TAKEN", "name")

    account = make_account(org)
    plan = make_plan(admin, "Básico", "100.00")
    body = {"billing_account_id": str(account.id), "plan_id": str(plan.id)}
    zero = api.post("/subscriptions", json={**body, "quantity": 0})
    assert refusal(zero) == (422, "SUBSCRIPTION_QUANTITY_INVALID", "quantity")
    assert zero.json()["error"]["message"] == "A quantidade deve ser um número inteiro entre 1 e 100.000."
    too_long = api.post("/subscriptions", json={**body, "trial_days": 400})
    assert refusal(too_long) == (422, "SUBSCRIPTION_TRIAL_INVALID", "trial_days")
    yearly = make_plan(admin, "Anual", "1000.00", interval="year")
    sub = subscribe(admin, account, plan)
    bill(admin, NOVEMBER)
    change = api.post(f"/subscriptions/{sub.id}/change-preview", json={"plan_id": str(yearly.id), "quantity": 1})
    assert refusal(change) == (409, "SUBSCRIPTION_INTERVAL_DIFFERS", "plan_id")
    unknown = api.post("/subscriptions", json={**body, "plan_id": "00000000-0000-7000-8000-000000000000"})
    assert unknown.status_code == 404
    with SqlUnitOfWork(admin) as uow:
        uow.session.get_one(Plan, plan.id).is_active = False
        uow.commit()
    assert refusal(api.post("/subscriptions", json=body)) == (409, "PLAN_INACTIVE", "plan_id")


def test_a_replayed_post_with_the_same_idempotency_key_creates_one_subscription(api: TestClient, org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    plan = make_plan(admin, "Básico", "100.00")
    body = {"billing_account_id": str(account.id), "plan_id": str(plan.id), "quantity": 2}
    headers = {"Idempotency-Key": "assinatura-1"}
    first = api.post("/subscriptions", json=body, headers=headers)
    again = api.post("/subscriptions", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert api.get("/subscriptions").json()["meta"]["total_items"] == 1
