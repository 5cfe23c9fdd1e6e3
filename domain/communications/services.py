"""Emitting events (inside the caller's transaction: the messages commit with their cause, or not at all) and the
use cases of the communication settings, the outbox and the notifications.

Public entry points for other areas:
- `emit_event(uow, event, ...)`: inside an open `with uow:` block of any use case; writes the e-mail, the
  notification and one webhook delivery per subscribed endpoint. Workers send them after the commit.
- `emit_invoice_event(uow, event, invoice)` / `emit_account_event(uow, event, account)`: the same, with the
  template variables and webhook data built from the invoice or the account.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from domain.access.permissions import Permission
from domain.base import new_id, utcnow
from domain.billing_accounts.model import BillingAccount
from domain.calendar import today_in
from domain.communications import templates
from domain.communications.events import DEFAULT_EVENT_CHANNELS, EVENT_LABELS, Channel, EventType
from domain.communications.model import CLAIM_LEASE, AppNotification, OutboxEmail, OutboxStatus, is_due
from domain.communications.ports import CommunicationUnitOfWork
from domain.communications.schedule import DEFAULT_STEPS, parse_steps, steps_of
from domain.communications.variables import (
    account_data,
    account_variables,
    invoice_data,
    invoice_variables,
    recipient_of,
)
from domain.customers.model import Customer
from domain.errors import ValidationFailed
from domain.invoices.model import Invoice
from domain.webhooks.model import WebhookDelivery


@dataclass
class Emitted:
    """What one emission wrote, per channel (ids of the rows)."""

    event: str
    emails: list[uuid.UUID] = field(default_factory=list)
    notifications: list[uuid.UUID] = field(default_factory=list)
    deliveries: list[uuid.UUID] = field(default_factory=list)


def channels_for(preferences: dict[str, Any] | None, event: EventType) -> tuple[Channel, ...]:
    chosen = ((preferences or {}).get("event_channels") or {}).get(str(event))
    if chosen is not None:
        return tuple(Channel(c) for c in chosen)
    return DEFAULT_EVENT_CHANNELS.get(event, (Channel.WEBHOOK,))


def emit_event(
    uow: CommunicationUnitOfWork,
    event: EventType | str,
    *,
    data: dict[str, Any],
    variables: dict[str, Any] | None = None,
    channels: Iterable[Channel] | None = None,
    email_to: str | None = None,
    customer_id: uuid.UUID | None = None,
    invoice_id: uuid.UUID | None = None,
    link: str | None = None,
    paused: bool = False,
    now: datetime | None = None,
) -> Emitted:
    """Write the event's messages in the current transaction. `paused` (the customer paused communications) drops
    the e-mail to the customer; operators and integrations still hear about it."""
    event = EventType(event)
    org = uow.organizations.current()
    now = now or utcnow()
    variables = {**(variables or {}), "empresa": org.display_name}
    chosen = tuple(channels) if channels is not None else channels_for(org.preferences, event)
    emitted = Emitted(event.value)
    if Channel.EMAIL in chosen and email_to and not paused:
        rendered = templates.render(templates.template_for(org.preferences, event), variables)
        email = OutboxEmail(
            id=new_id(), organization_id=org.id, event=event.value, to_address=email_to, subject=rendered.subject[:255],
            body_text=rendered.text, body_html=rendered.html, customer_id=customer_id, invoice_id=invoice_id,
            attempts=0, next_attempt_at=now,
        )  # fmt: skip
        uow.add(email)
        emitted.emails.append(email.id)
    if Channel.IN_APP in chosen:
        notification = AppNotification(
            id=new_id(), organization_id=org.id, event=event.value, title=_operator_title(event, variables)[:255],
            body=_operator_body(variables), link=link,
        )  # fmt: skip
        uow.add(notification)
        emitted.notifications.append(notification.id)
    if Channel.WEBHOOK in chosen:
        event_id = new_id()
        body = json.dumps(
            {"id": str(event_id), "type": event.value, "created_at": now.isoformat(), "organization_id": str(org.id),
             "data": data},
            ensure_ascii=False, sort_keys=True, default=str,
        )  # fmt: skip
        for endpoint in uow.communications.endpoints_for(event.value):
            delivery = WebhookDelivery(
                id=new_id(), organization_id=org.id, endpoint_id=endpoint.id, event=event.value, body=body,
                attempts=0, next_attempt_at=now, log=[],
            )  # fmt: skip
            uow.add(delivery)
            emitted.deliveries.append(delivery.id)
    return emitted


def emit_invoice_event(
    uow: CommunicationUnitOfWork,
    event: EventType | str,
    invoice: Invoice,
    *,
    channels: Iterable[Channel] | None = None,
    extra_variables: dict[str, Any] | None = None,
    extra_data: dict[str, Any] | None = None,
    today: date | None = None,
    account: BillingAccount | None = None,
    customer: Customer | None = None,
) -> Emitted:
    """An invoice's event (created, due soon, overdue, paid...) to its account's billing e-mail. Callers that already
    loaded the invoice's account and customer (the daily pass, in batches) pass them to spare two selects per row."""
    org = uow.organizations.current()
    account = account or uow.get(BillingAccount, invoice.billing_account_id, label="Conta de faturamento")
    customer = customer or uow.find(Customer, invoice.customer_id)
    today = today or today_in(org.timezone)
    variables = {**invoice_variables(org, invoice, account, customer, today=today), **(extra_variables or {})}
    return emit_event(
        uow, event, data={**invoice_data(invoice), **(extra_data or {})}, variables=variables,
        channels=channels, email_to=recipient_of(account, customer), customer_id=invoice.customer_id,
        invoice_id=invoice.id, link=f"/faturas/{invoice.id}",
        paused=bool(customer and customer.communications_paused),
    )  # fmt: skip


def emit_account_event(
    uow: CommunicationUnitOfWork,
    event: EventType | str,
    account: BillingAccount,
    *,
    channels: Iterable[Channel] | None = None,
    extra_variables: dict[str, Any] | None = None,
    extra_data: dict[str, Any] | None = None,
) -> Emitted:
    """An account's event (suspended, reactivated, trial ending...) to its billing e-mail."""
    org = uow.organizations.current()
    customer = uow.find(Customer, account.customer_id)
    variables = {**account_variables(org, account, customer), "motivo": account.suspension_reason or ""}
    return emit_event(
        uow, event, data={**account_data(account), **(extra_data or {})},
        variables={**variables, **(extra_variables or {})}, channels=channels,
        email_to=recipient_of(account, customer), customer_id=account.customer_id,
        link=f"/clientes/{account.customer_id}?tab=contas", paused=bool(customer and customer.communications_paused),
    )  # fmt: skip


def _operator_title(event: EventType, variables: dict[str, Any]) -> str:
    parts = [EVENT_LABELS[event]]
    if variables.get("fatura"):
        parts.append(str(variables["fatura"]))
    if variables.get("nome"):
        parts.append(str(variables["nome"]))
    return " · ".join(parts)


def _operator_body(variables: dict[str, Any]) -> str:
    bits = []
    if variables.get("valor"):
        bits.append(str(variables["valor"]))
    if variables.get("vencimento"):
        bits.append(f"vencimento {variables['vencimento']}")
    if variables.get("motivo"):
        bits.append(str(variables["motivo"]))
    return " · ".join(bits)


# --- settings: the schedule, templates and options (audited through organization.preferences) ---

OPTION_KEYS = {"dunning_reactivate_on_payment", "dunning_suspend", "public_url", "dunning_hour"}


def save_schedule(uow: CommunicationUnitOfWork, *, steps: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Replace the organization's schedule (None restores the defaults)."""
    with uow:
        uow.actor.require(Permission.SETTINGS_ADMIN)
        uow.describe("communications.schedule_saved")
        org = uow.organizations.current()
        parsed = list(DEFAULT_STEPS) if steps is None else parse_steps(steps)
        _set_preferences(org, dunning_steps=[s.to_json() for s in parsed])
        uow.commit()
        return [s.to_json() for s in steps_of(org.preferences)]


def save_template(uow: CommunicationUnitOfWork, *, event: EventType | str, subject: str, body: str) -> None:
    with uow:
        uow.actor.require(Permission.SETTINGS_ADMIN)
        event = EventType(event)
        uow.describe("communications.template_saved", reason=event.value)
        template = templates.validated(subject, body)
        org = uow.organizations.current()
        own = dict((org.preferences or {}).get("message_templates") or {})
        own[event.value] = {"subject": template.subject, "body": template.body}
        _set_preferences(org, message_templates=own)
        uow.commit()


def restore_template(uow: CommunicationUnitOfWork, *, event: EventType | str) -> None:
    with uow:
        uow.actor.require(Permission.SETTINGS_ADMIN)
        event = EventType(event)
        uow.describe("communications.template_restored", reason=event.value)
        org = uow.organizations.current()
        own = dict((org.preferences or {}).get("message_templates") or {})
        own.pop(event.value, None)
        _set_preferences(org, message_templates=own)
        uow.commit()


def save_event_channels(uow: CommunicationUnitOfWork, *, channels: dict[str, list[str]]) -> None:
    with uow:
        uow.actor.require(Permission.SETTINGS_ADMIN)
        uow.describe("communications.event_channels_saved")
        try:
            cleaned = {EventType(k).value: [Channel(c).value for c in v] for k, v in channels.items()}
        except ValueError:
            raise ValidationFailed("Canal ou evento desconhecido.") from None
        _set_preferences(uow.organizations.current(), event_channels=cleaned)
        uow.commit()


def save_options(uow: CommunicationUnitOfWork, *, options: dict[str, Any]) -> None:
    """Dunning switches: suspend after the last step, reactivate on payment, the hour of the daily pass, links."""
    with uow:
        uow.actor.require(Permission.SETTINGS_ADMIN)
        uow.describe("communications.options_saved")
        unknown = set(options) - OPTION_KEYS
        if unknown:
            raise ValidationFailed(f"Opções desconhecidas: {', '.join(sorted(unknown))}.")
        if "dunning_hour" in options and not 0 <= int(options["dunning_hour"]) <= 23:
            raise ValidationFailed("A hora vai de 0 a 23.", field="dunning_hour")
        url = str(options.get("public_url") or "")
        if url and not url.startswith(("http://", "https://")):
            raise ValidationFailed("O endereço público começa com http:// ou https://.", field="public_url")
        _set_preferences(uow.organizations.current(), **options)
        uow.commit()


def _set_preferences(org: Any, **changes: Any) -> None:
    org.preferences = {**(org.preferences or {}), **changes}  # reassigned: JSON columns track assignment only


# --- the outbox and notifications ---


def retry_email(uow: CommunicationUnitOfWork, *, email_id: uuid.UUID) -> OutboxEmail:
    with uow:
        uow.actor.require(Permission.SETTINGS_ADMIN)
        email = uow.get(OutboxEmail, email_id, label="E-mail", for_update=True)
        email.retry_now(at=utcnow())
        uow.commit()
        return email


def mark_notifications_read(uow: CommunicationUnitOfWork, *, notification_ids: list[uuid.UUID] | None = None) -> int:
    """Mark some (or, with None, all) of the organization's notifications as read."""
    with uow:
        uow.actor.require(Permission.DASHBOARD_READ)
        count = uow.communications.mark_notifications_read(notification_ids)
        uow.commit()
        return count


# --- the sender's side (jobs/communications.py) ---


@dataclass(frozen=True)
class EmailToSend:
    id: uuid.UUID
    organization_id: uuid.UUID
    to_address: str
    subject: str
    body_text: str
    body_html: str


def claim_email(
    uow: CommunicationUnitOfWork, *, email_id: uuid.UUID, now: datetime | None = None
) -> EmailToSend | None:
    """Take a due pending e-mail for sending: its next attempt moves a lease ahead, so a second worker (the periodic
    pass racing an immediate send) skips it. None when it is not due or no longer pending."""
    now = now or utcnow()
    with uow:
        email = uow.find(OutboxEmail, email_id, for_update=True)  # type: ignore[call-arg]
        if not is_due(email, OutboxStatus.PENDING, now):
            return None
        email.next_attempt_at = now + CLAIM_LEASE
        uow.commit()
        return EmailToSend(email.id, email.organization_id, email.to_address, email.subject, email.body_text,
                           email.body_html)  # fmt: skip


def record_email_result(
    uow: CommunicationUnitOfWork,
    *,
    email_id: uuid.UUID,
    message_id: str | None = None,
    error: str | None = None,
    now: datetime | None = None,
) -> OutboxEmail:
    """Sent (with its Message-ID), or a failed attempt retried later with exponential backoff."""
    now = now or utcnow()
    with uow:
        email = uow.get(OutboxEmail, email_id, label="E-mail", for_update=True)
        if error is None:
            email.mark_sent(at=now, message_id=message_id or "")
        else:
            email.mark_failed_attempt(error, at=now)
        uow.commit()
        return email
