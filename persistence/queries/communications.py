"""Read views of communications: the outbox, webhook endpoints and deliveries, notifications, the settings of the
schedule; plus the cross-organization lists the workers poll (due e-mails and deliveries, organizations to run)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from domain.access.permissions import Actor, Permission
from domain.communications.events import Channel, EventType
from domain.communications.model import AppNotification, OutboxEmail, OutboxStatus
from domain.communications.schedule import ScheduleStep, steps_of
from domain.communications.services import channels_for
from domain.communications.templates import DEFAULT_TEMPLATES, Template, template_for
from domain.communications.variables import DEFAULT_PUBLIC_URL
from domain.organizations.model import Organization
from domain.webhooks.model import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from domain.webhooks.signing import mask
from persistence.database import open_session
from persistence.queries.common import read_session


@dataclass(frozen=True)
class EmailRow:
    id: uuid.UUID
    created_at: datetime
    event: str
    to_address: str
    subject: str
    status: OutboxStatus
    attempts: int
    sent_at: datetime | None
    next_attempt_at: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class EndpointRow:
    id: uuid.UUID
    url: str
    description: str | None
    events: list[str]
    enabled: bool
    secret_masked: str
    created_at: datetime


@dataclass(frozen=True)
class DeliveryRow:
    id: uuid.UUID
    endpoint_id: uuid.UUID
    url: str
    event: str
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    last_response: str | None
    last_error: str | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class NotificationRow:
    id: uuid.UUID
    event: str
    title: str
    body: str
    link: str | None
    read_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class CommunicationSettings:
    steps: list[ScheduleStep]
    templates: dict[EventType, Template]
    customized: set[EventType]
    event_channels: dict[EventType, tuple[Channel, ...]]
    reactivate_on_payment: bool
    suspend: bool
    dunning_hour: int
    public_url: str


# --- for the dashboard ---


def pending_emails_count(actor: Actor) -> int:
    """E-mails waiting in the outbox (not yet sent, not given up)."""
    return _count_in(actor, OutboxEmail, OutboxStatus.PENDING)


def failed_emails_count(actor: Actor) -> int:
    """E-mails the outbox gave up on after their retries (the screen lists them with the error)."""
    return _count_in(actor, OutboxEmail, OutboxStatus.FAILED)


def failed_deliveries_count(actor: Actor) -> int:
    return _count_in(actor, WebhookDelivery, DeliveryStatus.FAILED)


def _count_in(actor: Actor, model: Any, status: Any) -> int:
    with read_session(actor, Permission.DASHBOARD_READ) as session:
        return session.scalar(select(func.count()).select_from(model).where(model.status == status)) or 0


def failed_deliveries(actor: Actor, limit: int = 10) -> list[DeliveryRow]:
    """Webhook deliveries that gave up after their retries, newest first."""
    return deliveries(actor, status=DeliveryStatus.FAILED, limit=limit, permission=Permission.DASHBOARD_READ)


# --- settings screens ---


def outbox(actor: Actor, *, status: OutboxStatus | None = None, limit: int = 200) -> list[EmailRow]:
    with read_session(actor, Permission.SETTINGS_ADMIN) as session:
        statement = select(OutboxEmail).order_by(OutboxEmail.created_at.desc(), OutboxEmail.id.desc()).limit(limit)
        if status is not None:
            statement = statement.where(OutboxEmail.status == status)
        return [
            EmailRow(e.id, e.created_at, e.event, e.to_address, e.subject, e.status, e.attempts, e.sent_at,
                     e.next_attempt_at, e.last_error)
            for e in session.scalars(statement)
        ]  # fmt: skip


def outbox_counts(actor: Actor) -> dict[str, int]:
    with read_session(actor, Permission.SETTINGS_ADMIN) as session:
        rows = session.execute(select(OutboxEmail.status, func.count()).group_by(OutboxEmail.status)).all()
        return {OutboxStatus(s).value: n for s, n in rows}


def endpoints(actor: Actor) -> list[EndpointRow]:
    with read_session(actor, Permission.SETTINGS_ADMIN) as session:
        statement = select(WebhookEndpoint).order_by(WebhookEndpoint.created_at)
        return [
            EndpointRow(e.id, e.url, e.description, list(e.events or []), e.enabled, mask(e.secret), e.created_at)
            for e in session.scalars(statement)
        ]


def deliveries(
    actor: Actor,
    *,
    endpoint_id: uuid.UUID | None = None,
    status: DeliveryStatus | None = None,
    limit: int = 100,
    permission: Permission = Permission.SETTINGS_ADMIN,
) -> list[DeliveryRow]:
    with read_session(actor, permission) as session:
        statement = (
            select(WebhookDelivery, WebhookEndpoint.url)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
            .limit(limit)
        )
        if endpoint_id is not None:
            statement = statement.where(WebhookDelivery.endpoint_id == endpoint_id)
        if status is not None:
            statement = statement.where(WebhookDelivery.status == status)
        return [
            DeliveryRow(d.id, d.endpoint_id, url, d.event, d.status, d.attempts, d.last_status_code, d.last_response,
                        d.last_error, d.next_attempt_at, d.delivered_at, d.created_at)
            for d, url in session.execute(statement).all()
        ]  # fmt: skip


def notifications(actor: Actor, *, limit: int = 20) -> tuple[int, list[NotificationRow]]:
    """The unread count and the latest notifications, for the bell in the header."""
    with read_session(actor, Permission.DASHBOARD_READ) as session:
        unread = session.scalar(
            select(func.count()).select_from(AppNotification).where(AppNotification.read_at.is_(None))
        )
        statement = select(AppNotification).order_by(AppNotification.created_at.desc()).limit(limit)
        rows = [NotificationRow(n.id, n.event, n.title, n.body, n.link, n.read_at, n.created_at)
                for n in session.scalars(statement)]  # fmt: skip
        return unread or 0, rows


def settings(actor: Actor) -> CommunicationSettings:
    with read_session(actor, Permission.SETTINGS_ADMIN) as session:
        preferences: dict[str, Any] = session.scalars(select(Organization.preferences)).one() or {}
    own = preferences.get("message_templates") or {}
    return CommunicationSettings(
        steps=steps_of(preferences),
        templates={event: template_for(preferences, event) for event in DEFAULT_TEMPLATES},
        customized={EventType(k) for k in own if k in set(EventType)},
        event_channels={event: channels_for(preferences, event) for event in DEFAULT_TEMPLATES},
        reactivate_on_payment=bool(preferences.get("dunning_reactivate_on_payment", False)),
        suspend=bool(preferences.get("dunning_suspend", True)),
        dunning_hour=int(preferences.get("dunning_hour", 9)),
        public_url=str(preferences.get("public_url") or DEFAULT_PUBLIC_URL),
    )


# --- for the workers, across organizations ---


def due_emails(now: datetime, limit: int = 500) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(organization, e-mail) of pending e-mails whose next attempt is due."""
    return _due(OutboxEmail, OutboxStatus.PENDING, now, limit)


def due_deliveries(now: datetime, limit: int = 500) -> list[tuple[uuid.UUID, uuid.UUID]]:
    return _due(WebhookDelivery, DeliveryStatus.PENDING, now, limit)


def unannounced_cycle_invoices(since: datetime, limit: int = 5000) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(organization, invoice) of billing-run invoices finalized since `since` whose invoice_created did not go out
    (the job that announces each batch died): the sweep's work list."""
    from domain.communications.announcements import ANNOUNCE, ANNOUNCE_OFFSET, ANNOUNCED_STATES
    from domain.communications.model import CommunicationSent
    from domain.invoices.model import Invoice, InvoiceReason

    announced = (
        select(CommunicationSent.id)
        .where(CommunicationSent.invoice_id == Invoice.id, CommunicationSent.step_offset == ANNOUNCE_OFFSET,
               CommunicationSent.channel == ANNOUNCE)
        .exists()
    )  # fmt: skip
    session = open_session(Actor.system("comunicacoes"), writes=False)
    try:
        statement = (
            select(Invoice.organization_id, Invoice.id)
            .where(Invoice.reason == InvoiceReason.SUBSCRIPTION_CYCLE, Invoice.status.in_(ANNOUNCED_STATES),
                   Invoice.finalized_at >= since, ~announced)
            .limit(limit)
        )  # fmt: skip
        return [(org_id, invoice_id) for org_id, invoice_id in session.execute(statement).all()]
    finally:
        session.close()


def organizations_for_pass() -> list[tuple[uuid.UUID, str, int]]:
    """(organization, timezone, hour of the daily pass) of every organization."""
    session = open_session(Actor.system("comunicacoes"), writes=False)
    try:
        rows = session.execute(select(Organization.id, Organization.timezone, Organization.preferences)).all()
        return [(org_id, tz, int((prefs or {}).get("dunning_hour", 9))) for org_id, tz, prefs in rows]
    finally:
        session.close()


def _due(model: Any, status: Any, now: datetime, limit: int) -> list[tuple[uuid.UUID, uuid.UUID]]:
    session = open_session(Actor.system("comunicacoes"), writes=False)
    try:
        statement = (
            select(model.organization_id, model.id)
            .where(model.status == status, model.next_attempt_at <= now)
            .order_by(model.next_attempt_at)
            .limit(limit)
        )
        return [(org, row) for org, row in session.execute(statement).all()]
    finally:
        session.close()
