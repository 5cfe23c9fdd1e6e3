"""What communication, webhook and dunning use cases need from storage (persistence/repositories/communications.py)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Protocol

from domain.billing_accounts.model import BillingAccount
from domain.customers.model import Customer
from domain.invoices.model import Invoice, InvoiceStatus
from domain.invoices.ports import InvoicingUnitOfWork
from domain.webhooks.model import WebhookEndpoint


class CommunicationRepository(Protocol):
    def endpoints_for(self, event: str) -> list[WebhookEndpoint]: ...
    def step_candidates(
        self, due_on: date, step_offset: int, *, limit: int, due_after: date | None = None
    ) -> list[tuple[Invoice, BillingAccount, Customer]]: ...
    def overdue_open_invoices(
        self, account_id: uuid.UUID, today: date, *, for_update: bool = False
    ) -> list[Invoice]: ...
    def not_yet_sent(
        self, invoice_ids: list[uuid.UUID], *, states: tuple[InvoiceStatus, ...], step_offset: int, channel: str
    ) -> list[tuple[Invoice, BillingAccount, Customer | None]]: ...
    def was_sent(self, invoice_id: uuid.UUID, step_offset: int, channel: str) -> bool: ...
    def mark_notifications_read(self, notification_ids: list[uuid.UUID] | None) -> int: ...


class TrialLookup(Protocol):
    def trials_ending(self, first: date, last: date, *, limit: int) -> list[tuple[Any, Any, Any]]: ...


class CommunicationUnitOfWork(InvoicingUnitOfWork, Protocol):
    communications: CommunicationRepository
    subscriptions: TrialLookup
