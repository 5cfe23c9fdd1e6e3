"""Webhook endpoints (audited; the secret never goes into the audit trail) and their deliveries."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Audited, Base, TenantScoped, Timestamped, new_id
from domain.communications.model import backoff

MAX_DELIVERY_ATTEMPTS = 8  # 1 + retries after 1, 2, 4, 8, 16, 32, 64 minutes: about two hours in all
DELIVERY_RETRY_BASE = timedelta(minutes=1)
RESPONSE_EXCERPT = 1024
KEPT_ATTEMPTS = 10


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


DELIVERY_STATUS_LABELS = {
    DeliveryStatus.PENDING: "Pendente",
    DeliveryStatus.DELIVERED: "Entregue",
    DeliveryStatus.FAILED: "Falhou",
}


class WebhookEndpoint(Audited, TenantScoped, Timestamped, Base):
    __tablename__ = "webhook_endpoint"
    __tenant_index__ = False
    __table_args__ = (Index("ix_webhook_endpoint_org_enabled", "organization_id", "enabled"),)
    __audit_exclude__ = frozenset({"secret"})

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    url: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(String(255))
    secret: Mapped[str] = mapped_column(String(100))
    events: Mapped[list[str]] = mapped_column(default=list)  # event names, or ["*"] for all
    enabled: Mapped[bool] = mapped_column(default=True)

    def wants(self, event: str) -> bool:
        return self.enabled and ("*" in self.events or event in self.events)


class WebhookDelivery(TenantScoped, Timestamped, Base):
    """One event for one endpoint. The body is fixed at emission; every attempt signs it with its own timestamp."""

    __tablename__ = "webhook_delivery"
    __tenant_index__ = False
    __table_args__ = (
        Index("ix_webhook_delivery_org_status_next", "organization_id", "status", "next_attempt_at"),
        Index("ix_webhook_delivery_org_endpoint_created", "organization_id", "endpoint_id", "created_at"),
        Index("ix_webhook_delivery_status_next", "status", "next_attempt_at"),  # the deliverer looks across orgs
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    endpoint_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("webhook_endpoint.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)  # the JSON exactly as sent and signed
    status: Mapped[DeliveryStatus] = mapped_column(default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    last_status_code: Mapped[int | None]
    last_response: Mapped[str | None] = mapped_column(Text)  # first 1 KB of the receiver's answer
    last_error: Mapped[str | None] = mapped_column(Text)
    log: Mapped[list[Any]] = mapped_column(default=list)  # the last attempts: at, status code, error, milliseconds

    def record_attempt(
        self, *, at: datetime, status_code: int | None, response: str | None, error: str | None, millis: int
    ) -> None:
        """A 2xx answer delivers; anything else (or no answer) retries with exponential backoff until the limit."""
        self.attempts += 1
        self.last_status_code = status_code
        self.last_response = (response or "")[:RESPONSE_EXCERPT] or None
        self.last_error = (error or "")[:RESPONSE_EXCERPT] or None
        entry = {"at": at.isoformat(), "status_code": status_code, "error": self.last_error, "ms": millis}
        self.log = [*(self.log or []), entry][-KEPT_ATTEMPTS:]  # reassigned: JSON columns track assignment only
        if status_code is not None and 200 <= status_code < 300:
            self.status, self.delivered_at, self.next_attempt_at = DeliveryStatus.DELIVERED, at, None
        elif self.attempts >= MAX_DELIVERY_ATTEMPTS:
            self.status, self.next_attempt_at = DeliveryStatus.FAILED, None
        else:
            self.status, self.next_attempt_at = DeliveryStatus.PENDING, at + backoff(DELIVERY_RETRY_BASE, self.attempts)

    def retry_now(self, *, at: datetime) -> None:
        """The operator's "Reenviar": one more attempt right away (even after delivery, e.g. a lost receiver)."""
        self.status, self.next_attempt_at = DeliveryStatus.PENDING, at
        self.attempts = min(self.attempts, MAX_DELIVERY_ATTEMPTS - 1)
