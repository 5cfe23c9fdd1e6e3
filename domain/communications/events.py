"""The events the product tells customers, operators and integrations about, and the channels that carry them."""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    INVOICE_CREATED = "invoice_created"
    INVOICE_DUE_SOON = "invoice_due_soon"
    INVOICE_DUE_TODAY = "invoice_due_today"
    INVOICE_OVERDUE = "invoice_overdue"
    PAYMENT_RECEIVED = "payment_received"
    PAYMENT_FAILED = "payment_failed"
    TRIAL_ENDING = "trial_ending"
    ACCOUNT_SUSPENDED = "billing_account.suspended"
    ACCOUNT_REACTIVATED = "billing_account.reactivated"


class Channel(StrEnum):
    EMAIL = "email"
    IN_APP = "in_app"
    WEBHOOK = "webhook"


EVENT_LABELS = {
    EventType.INVOICE_CREATED: "Fatura emitida",
    EventType.INVOICE_DUE_SOON: "Fatura a vencer",
    EventType.INVOICE_DUE_TODAY: "Fatura vence hoje",
    EventType.INVOICE_OVERDUE: "Fatura vencida",
    EventType.PAYMENT_RECEIVED: "Pagamento recebido",
    EventType.PAYMENT_FAILED: "Pagamento recusado",
    EventType.TRIAL_ENDING: "Fim do período de teste",
    EventType.ACCOUNT_SUSPENDED: "Conta suspensa",
    EventType.ACCOUNT_REACTIVATED: "Conta reativada",
}
CHANNEL_LABELS = {Channel.EMAIL: "E-mail", Channel.IN_APP: "Notificação no app", Channel.WEBHOOK: "Webhook"}

# Events outside the schedule go out on these channels unless the organization chose otherwise
# (preferences["event_channels"]). Reminders take the channels of their schedule step instead.
DEFAULT_EVENT_CHANNELS: dict[EventType, tuple[Channel, ...]] = {
    EventType.INVOICE_CREATED: (Channel.EMAIL, Channel.WEBHOOK),
    EventType.PAYMENT_RECEIVED: (Channel.EMAIL, Channel.IN_APP, Channel.WEBHOOK),
    EventType.PAYMENT_FAILED: (Channel.EMAIL, Channel.IN_APP, Channel.WEBHOOK),
    EventType.TRIAL_ENDING: (Channel.EMAIL, Channel.WEBHOOK),
    EventType.ACCOUNT_SUSPENDED: (Channel.EMAIL, Channel.IN_APP, Channel.WEBHOOK),
    EventType.ACCOUNT_REACTIVATED: (Channel.IN_APP, Channel.WEBHOOK),
}
SCHEDULE_EVENTS = (EventType.INVOICE_DUE_SOON, EventType.INVOICE_DUE_TODAY, EventType.INVOICE_OVERDUE)
