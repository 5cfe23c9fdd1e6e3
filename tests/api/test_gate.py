"""The gate: keys (missing, invalid, revoked), roles and permissions, rate limit, idempotency, last use."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api import rate_limit
from domain.access.permissions import Actor
from domain.api_keys import services as api_keys
from domain.api_keys.model import ApiKey
from domain.audit.model import AuditEvent
from persistence.api_access import purge_idempotency_records
from persistence.unit_of_work import SqlUnitOfWork
from tests.api.conftest import kobana_customer


def test_a_call_without_a_key_is_401_and_says_how_to_send_one(client: TestClient) -> None:
    response = client.get("/customers")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "MISSING_API_KEY"
    assert "Authorization: Bearer" in response.json()["error"]["message"]
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("presented", ["fat_live_nonexistent_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "sk_live_123"])
def test_an_unknown_or_malformed_key_is_401(client: TestClient, org, presented: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/customers", headers={"Authorization": f"Bearer {presented}"})
    assert response.status_code == 401 and response.json()["error"]["code"] == "INVALID_API_KEY"


def test_a_key_with_a_wrong_secret_is_401(client: TestClient, key: str) -> None:
    forged = key[:-4] + ("aaaa" if not key.endswith("aaaa") else "bbbb")
    assert client.get("/customers", headers={"X-API-Key": forged}).status_code == 401
    assert client.get("/customers", headers={"X-API-Key": key}).status_code == 200


def test_a_revoked_key_stops_working_at_once(client: TestClient, org, key: str) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get("/customers", headers=headers).status_code == 200
    with SqlUnitOfWork(Actor.system("teste", org.id)) as uow:
        key_id = uow.session.scalars(select(ApiKey.id)).one()
    api_keys.revoke_api_key(SqlUnitOfWork(Actor.system("teste", org.id)), api_key_id=key_id)
    assert client.get("/customers", headers=headers).status_code == 401


def test_a_role_without_the_permission_is_403_naming_it(client: TestClient, org, issue_key) -> None:  # type: ignore[no-untyped-def]
    auditor = issue_key(org, "auditor")
    headers = {"Authorization": f"Bearer {auditor}"}
    assert client.get("/customers", headers=headers).status_code == 200
    response = client.post("/customers", json=kobana_customer(), headers=headers)
    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "PERMISSION_DENIED",
        "field": None,
        "message": "Permissão necessária: CUSTOMERS_WRITE.",
    }


def test_the_key_is_stored_hashed_its_use_recorded_and_its_changes_audited_as_the_key(
    api: TestClient, org, key: str
) -> None:  # type: ignore[no-untyped-def]
    created = api.post("/customers", json=kobana_customer())
    assert created.status_code == 201
    with SqlUnitOfWork(Actor.system("teste", org.id)) as uow:
        stored = uow.session.scalars(select(ApiKey)).unique().one()
        events = list(uow.session.scalars(select(AuditEvent).where(AuditEvent.entity_id == created.json()["id"])))
        assert key not in (stored.secret_hash, stored.prefix) and key.startswith(stored.prefix)
        assert stored.last_used_at is not None
        actors = {(e.actor_kind, e.actor_name, e.actor_id) for e in events}
        assert events and actors == {("api_key", "API: ERP", stored.id)}


def test_too_many_calls_get_429_with_retry_after(api: TestClient) -> None:
    rate_limit.use(rate_limit.MemoryBucket(3))
    answers = [api.get("/customers") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert int(answers[-1].headers["Retry-After"]) >= 1
    assert answers[-1].json()["error"]["code"] == "RATE_LIMITED"


def test_the_redis_bucket_refuses_past_the_limit(api: TestClient) -> None:
    from tests.support.databases import require_redis

    rate_limit.use(rate_limit.RedisBucket(require_redis(), 2, namespace=f"fatura-test:{uuid.uuid4().hex}"))
    assert [api.get("/customers").status_code for _ in range(3)] == [200, 200, 429]


def test_the_same_idempotency_key_and_body_replays_the_first_response(api: TestClient) -> None:
    headers = {"Idempotency-Key": "pedido-42"}
    first = api.post("/customers", json=kobana_customer(), headers=headers)
    again = api.post("/customers", json=kobana_customer(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert api.get("/customers").json()["meta"]["total_items"] == 1


def test_the_same_idempotency_key_with_another_body_is_422(api: TestClient) -> None:
    headers = {"Idempotency-Key": "pedido-43"}
    assert api.post("/customers", json=kobana_customer(), headers=headers).status_code == 201
    response = api.post("/customers", json=kobana_customer(name="Outra"), headers=headers)
    assert response.status_code == 422 and response.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"


def test_refusals_are_replayed_too_and_records_are_purged_after_24_hours(api: TestClient) -> None:
    from datetime import timedelta

    from domain.base import utcnow

    headers = {"Idempotency-Key": "pedido-44"}
    body = kobana_customer(document_number="12.345.678/0001-90")
    assert api.post("/customers", json=body, headers=headers).status_code == 422
    assert api.post("/customers", json=body, headers=headers).headers.get("Idempotent-Replayed") == "true"
    assert purge_idempotency_records(now=utcnow()) == 0
    assert purge_idempotency_records(now=utcnow() + timedelta(hours=25)) == 1
    assert api.post("/customers", json=body, headers=headers).headers.get("Idempotent-Replayed") is None


def test_a_key_while_its_first_request_runs_is_409(api: TestClient, org, key: str) -> None:  # type: ignore[no-untyped-def]
    from persistence import api_access

    actor = api_access.authenticate(key)
    assert actor is not None
    api_access.claim(actor, "pedido-45", "a-hash-that-is-being-processed")
    response = api.post("/customers", json=kobana_customer(), headers={"Idempotency-Key": "pedido-45"})
    assert response.status_code == 409 and response.json()["error"]["code"] == "IDEMPOTENCY_KEY_IN_FLIGHT"


def test_the_openapi_document_and_docs_page_are_public(client: TestClient) -> None:
    spec = client.get("/openapi.json")
    assert spec.status_code == 200 and spec.json()["info"]["title"] == "Fatura API"
    assert "/customers/merge" in spec.json()["paths"]
    assert client.get("/docs").status_code == 200
