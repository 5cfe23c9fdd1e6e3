"""Webhooks: Stripe-style signatures that verify with the secret and fail when tampered; endpoints whose secret is
shown once; deliveries retried with exponential backoff, with a log of every attempt."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from domain.audit.model import AuditEvent
from domain.billing_accounts.services import suspend_billing_account
from domain.errors import ValidationFailed
from domain.webhooks import services as webhooks
from domain.webhooks import signing
from domain.webhooks.model import MAX_DELIVERY_ATTEMPTS, DeliveryStatus, WebhookDelivery
from persistence.queries import communications as queries
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.billing_factories import make_account

BODY = b'{"type":"invoice_overdue","data":{"invoice":{"number":"INV-000001"}}}'


def test_a_signature_verifies_with_the_secret_and_fails_when_anything_changes() -> None:
    secret = signing.new_secret()
    header = signing.sign(secret, BODY, timestamp=1_800_000_000)
    t, v1 = header.split(",")
    assert t == "t=1800000000" and v1.startswith("v1=") and len(v1) == 3 + 64
    assert signing.verify(secret, header, BODY, now=1_800_000_010)
    assert not signing.verify(secret, header, BODY.replace(b"000001", b"000002"), now=1_800_000_010)  # tampered
    assert not signing.verify(signing.new_secret(), header, BODY, now=1_800_000_010)  # another secret
    assert not signing.verify(secret, header, BODY, now=1_800_000_000 + 301)  # replayed too late
    assert not signing.verify(secret, "v1=abc", BODY)


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    import hashlib
    import hmac

    expected = hmac.new(b"k", b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert signing.sign("k", BODY, timestamp=1_700_000_000) == f"t=1700000000,v1={expected}"


def test_an_endpoint_shows_its_secret_once_and_never_audits_it(org, admin) -> None:  # type: ignore[no-untyped-def]
    created = webhooks.create_endpoint(SqlUnitOfWork(admin), url="https://erp.example.com/hooks",
                                       events=["billing_account.suspended", "invoice_overdue"])  # fmt: skip
    assert created.secret.startswith("whsec_") and len(created.secret) > 40
    (row,) = queries.endpoints(admin)
    assert row.secret_masked != created.secret and created.secret not in row.secret_masked
    assert row.events == ["billing_account.suspended", "invoice_overdue"]
    with SqlUnitOfWork(admin) as uow:
        audit = list(uow.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "webhook_endpoint")))
        uow.commit()
    assert audit and all(created.secret not in json.dumps(a.changes) for a in audit)
    with pytest.raises(ValidationFailed, match="URL"):
        webhooks.create_endpoint(SqlUnitOfWork(admin), url="ftp://x", events=["invoice_overdue"])
    with pytest.raises(ValidationFailed, match="evento"):
        webhooks.create_endpoint(SqlUnitOfWork(admin), url="https://x.example", events=[])


def test_only_enabled_endpoints_subscribed_to_the_event_get_a_delivery(org, admin) -> None:  # type: ignore[no-untyped-def]
    wanted = webhooks.create_endpoint(SqlUnitOfWork(admin), url="https://a.example/h", events=["*"]).endpoint
    webhooks.create_endpoint(SqlUnitOfWork(admin), url="https://b.example/h", events=["invoice_created"])
    off = webhooks.create_endpoint(SqlUnitOfWork(admin), url="https://c.example/h", events=["*"]).endpoint
    webhooks.update_endpoint(SqlUnitOfWork(admin), endpoint_id=off.id, enabled=False)
    account = make_account(org)
    suspend_billing_account(SqlUnitOfWork(admin), account_id=account.id, reason="Pedido do cliente")
    (delivery,) = queries.deliveries(admin)
    assert delivery.endpoint_id == wanted.id and delivery.event == "billing_account.suspended"
    with SqlUnitOfWork(admin) as uow:
        body = json.loads(uow.get(WebhookDelivery, delivery.id, label="x").body)
        uow.commit()
    assert body["type"] == "billing_account.suspended"
    assert body["data"]["billing_account"]["suspension_reason"] == "Pedido do cliente"


def test_failed_attempts_back_off_exponentially_until_the_delivery_fails(org, admin) -> None:  # type: ignore[no-untyped-def]
    webhooks.create_endpoint(SqlUnitOfWork(admin), url="https://a.example/h", events=["*"])
    suspend_billing_account(SqlUnitOfWork(admin), account_id=make_account(org).id, reason="Pedido do cliente")
    (row,) = queries.deliveries(admin)
    at = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    waits = []
    for _ in range(MAX_DELIVERY_ATTEMPTS):
        delivery = webhooks.record_delivery_attempt(SqlUnitOfWork(admin), delivery_id=row.id, status_code=503,
                                                    response="indisponível " * 200, error="HTTP 503", millis=12,
                                                    at=at)  # fmt: skip
        if delivery.next_attempt_at is not None:
            waits.append(delivery.next_attempt_at - at)
            at = delivery.next_attempt_at
    assert [int(w / timedelta(minutes=1)) for w in waits] == [1, 2, 4, 8, 16, 32, 64]
    assert delivery.status is DeliveryStatus.FAILED and delivery.attempts == MAX_DELIVERY_ATTEMPTS
    assert len(delivery.last_response) == 1024 and delivery.last_status_code == 503
    assert [e["status_code"] for e in delivery.log] == [503] * MAX_DELIVERY_ATTEMPTS
    assert [r.id for r in queries.failed_deliveries(admin, 5)] == [row.id]

    retried = webhooks.retry_delivery(SqlUnitOfWork(admin), delivery_id=row.id, now=at)
    assert retried.status is DeliveryStatus.PENDING and retried.next_attempt_at == at
    done = webhooks.record_delivery_attempt(SqlUnitOfWork(admin), delivery_id=row.id, status_code=200,
                                            response="ok", error=None, millis=8, at=at)  # fmt: skip
    assert done.status is DeliveryStatus.DELIVERED and done.delivered_at == at and done.next_attempt_at is None
    assert queries.failed_deliveries(admin, 5) == []
