"""Rows of communication: the e-mail outbox, in-app notifications and the log that makes reminders idempotent.

None of them is Audited: they are the messages themselves (thousands a day), not changes an auditor reviews; the
state changes that cause them (an invoice, a suspension, a settings change) are audited where they happen."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Base, TenantScoped, Timestamped, new_id

MAX_EMAIL_ATTEMPTS = 5
EMAIL_RETRY_BASE = timedelta(minutes=1)
MAX_ERROR = 1000


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


OUTBOX_STATUS_LABELS = {OutboxStatus.PENDING: "Pendente", OutboxStatus.SENT: "Enviado", OutboxStatus.FAILED: "Falhou"}


def backoff(base: timedelta, attempts: int, cap: timedelta = timedelta(hours=6)) -> timedelta:
    """Exponential: base, 2×base, 4×base, ... after the 1st, 2nd, 3rd failed attempt, never more than `cap`."""
    return min(base * (2 ** max(0, attempts - 1)), cap)


CLAIM_LEASE = timedelta(minutes=10)  # a claimed e-mail or delivery is not due again for this long (second worker)


def is_due(row: Any, pending: StrEnum, now: datetime) -> bool:
    """An outbox e-mail or a webhook delivery that a worker may claim: still pending and its next attempt has come."""
    return row is not None and row.status is pending and (row.next_attempt_at is None or row.next_attempt_at <= now)


class OutboxEmail(TenantScoped, Timestamped, Base):
    """An e-mail written in the transaction of its cause and sent later by a worker (outbox pattern)."""

    __tablename__ = "outbox_email"
    __tenant_index__ = False
    __table_args__ = (
        Index("ix_outbox_email_org_status_next", "organization_id", "status", "next_attempt_at"),
        Index("ix_outbox_email_org_created", "organization_id", "created_at", "id"),
        Index("ix_outbox_email_status_next", "status", "next_attempt_at"),  # the sender looks across organizations
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    event: Mapped[str] = mapped_column(String(64))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(255))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    customer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id"))
    invoice_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("invoice.id"))
    status: Mapped[OutboxStatus] = mapped_column(default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(String(255))  # the Message-ID header, set when sent

    def mark_sent(self, *, at: datetime, message_id: str) -> None:
        self.status, self.sent_at, self.message_id = OutboxStatus.SENT, at, message_id
        self.attempts += 1
        self.next_attempt_at, self.last_error = None, None

    def mark_failed_attempt(self, error: str, *, at: datetime) -> None:
        """Retried with exponential backoff; after MAX_EMAIL_ATTEMPTS it stays failed (an operator may resend)."""
        self.attempts += 1
        self.last_error = error[:MAX_ERROR]
        if self.attempts >= MAX_EMAIL_ATTEMPTS:
            self.status, self.next_attempt_at = OutboxStatus.FAILED, None
        else:
            self.next_attempt_at = at + backoff(EMAIL_RETRY_BASE, self.attempts)

    def retry_now(self, *, at: datetime) -> None:
        if self.status is OutboxStatus.SENT:
            return
        self.status, self.next_attempt_at = OutboxStatus.PENDING, at
        self.attempts = min(self.attempts, MAX_EMAIL_ATTEMPTS - 1)  # one more try


class AppNotification(TenantScoped, Timestamped, Base):
    """What the bell in the header lists for the organization's operators."""

    __tablename__ = "app_notification"
    __tenant_index__ = False
    __table_args__ = (Index("ix_app_notification_org_read_created", "organization_id", "read_at", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    event: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))
    read_at: Mapped[datetime | None]


class CommunicationSent(TenantScoped, Base):
    """One row per (invoice, schedule step, channel) already handled: re-running a day sends nothing twice.

    The pseudo-channel "suspension" marks that dunning already suspended the account for that invoice's last step."""

    __tablename__ = "communication_sent"
    __tenant_index__ = False
    __table_args__ = (
        UniqueConstraint("invoice_id", "step_offset", "channel"),
        Index("ix_communication_sent_org_on", "organization_id", "sent_on"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoice.id"))
    step_offset: Mapped[int]
    channel: Mapped[str] = mapped_column(String(16))
    sent_on: Mapped[date]
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
