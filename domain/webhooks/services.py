"""Use cases of webhook endpoints (admins) and of their deliveries (the worker records each attempt)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlparse

from domain.access.permissions import Permission
from domain.base import new_id, utcnow
from domain.communications.events import EventType
from domain.communications.model import CLAIM_LEASE, is_due
from domain.errors import ValidationFailed
from domain.ports import UnitOfWork
from domain.webhooks.model import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from domain.webhooks.signing import new_secret


@dataclass(frozen=True)
class CreatedEndpoint:
    endpoint: WebhookEndpoint
    secret: str  # shown once to the admin; afterwards only masked


def create_endpoint(uow: UnitOfWork, *, url: str, events: list[str], description: str | None = None) -> CreatedEndpoint:
    with uow:
        uow.actor.require(Permission.SETTINGS_ADMIN)
        uow.describe("webhook_endpoint.created")
        endpoint = WebhookEndpoint(
            id=new_id(), url=_checked_url(url), events=_checked_events(events), enabled=True,
            description=(description or "").strip() or None, secret=new_secret(),
        )  # fmt: skip
        uow.add(endpoint)
        uow.commit()
        return CreatedEndpoint(endpoint, endpoint.secret)


def update_endpoint(
    uow: UnitOfWork,
    *,
    endpoint_id: uuid.UUID,
    url: str | None = None,
    events: list[str] | None = None,
    enabled: bool | None = None,
    description: str | None = None,
) -> WebhookEndpoint:
    with uow:
        uow.actor.require(Permission.SETTINGS_ADMIN)
        uow.describe("webhook_endpoint.updated")
        endpoint = uow.get(WebhookEndpoint, endpoint_id, label="Webhook", for_update=True)
        if url is not None:
            endpoint.url = _checked_url(url)
        if events is not None:
            endpoint.events = _checked_events(events)
        if enabled is not None:
            endpoint.enabled = enabled
        if description is not None:
            endpoint.description = description.strip() or None
        uow.commit()
        return endpoint


def rotate_secret(uow: UnitOfWork, *, endpoint_id: uuid.UUID) -> CreatedEndpoint:
    with uow:
        uow.actor.require(Permission.SETTINGS_ADMIN)
        uow.describe("webhook_endpoint.secret_rotated")
        endpoint = uow.get(WebhookEndpoint, endpoint_id, label="Webhook", for_update=True)
        endpoint.secret = new_secret()
        uow.commit()
        return CreatedEndpoint(endpoint, endpoint.secret)


def retry_delivery(uow: UnitOfWork, *, delivery_id: uuid.UUID, now: datetime | None = None) -> WebhookDelivery:
    """ "Reenviar": the worker tries this delivery again on its next pass (the UI also enqueues it at once)."""
    with uow:
        uow.actor.require(Permission.SETTINGS_ADMIN)
        delivery = uow.get(WebhookDelivery, delivery_id, label="Entrega de webhook", for_update=True)
        delivery.retry_now(at=now or utcnow())
        uow.commit()
        return delivery


def record_delivery_attempt(
    uow: UnitOfWork,
    *,
    delivery_id: uuid.UUID,
    status_code: int | None,
    response: str | None,
    error: str | None,
    millis: int,
    at: datetime | None = None,
) -> WebhookDelivery:
    """What the worker saw when it posted the delivery: delivered, or retried later with backoff, or failed."""
    with uow:
        delivery = uow.get(WebhookDelivery, delivery_id, label="Entrega de webhook", for_update=True)
        delivery.record_attempt(at=at or utcnow(), status_code=status_code, response=response, error=error,
                                millis=millis)  # fmt: skip
        uow.commit()
        return delivery


def _checked_url(url: str) -> str:
    url = (url or "").strip()
    parsed = urlparse(url)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc or len(url) > 500:
        raise ValidationFailed("Informe uma URL http(s) válida.", field="url")
    return url


def _checked_events(events: list[str]) -> list[str]:
    chosen = sorted(set(events or []))
    if not chosen:
        raise ValidationFailed("Escolha ao menos um evento.", field="events")
    if chosen != ["*"]:
        try:
            chosen = sorted({EventType(e).value for e in chosen})
        except ValueError:
            raise ValidationFailed("Evento desconhecido.", field="events") from None
    return chosen


@dataclass(frozen=True)
class DeliveryToSend:
    id: uuid.UUID
    organization_id: uuid.UUID
    url: str
    secret: str
    event: str
    body: str


def claim_delivery(uow: UnitOfWork, *, delivery_id: uuid.UUID, now: datetime | None = None) -> DeliveryToSend | None:
    """Take a due pending delivery (a lease keeps a second worker off it). None when not due, done, or its endpoint
    was disabled (it then waits: enabling the endpoint lets the next pass deliver it)."""
    now = now or utcnow()
    with uow:
        delivery = uow.find(WebhookDelivery, delivery_id, for_update=True)  # type: ignore[call-arg]
        if not is_due(delivery, DeliveryStatus.PENDING, now):
            return None
        endpoint = uow.get(WebhookEndpoint, delivery.endpoint_id, label="Webhook")
        if not endpoint.enabled:
            return None
        delivery.next_attempt_at = now + CLAIM_LEASE
        uow.commit()
        return DeliveryToSend(delivery.id, delivery.organization_id, endpoint.url, endpoint.secret, delivery.event,
                              delivery.body)  # fmt: skip
