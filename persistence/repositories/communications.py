"""Communications, webhooks and dunning: the select() code their use cases need."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, select, true, update
from sqlalchemy.orm import Session

from domain.base import utcnow
from domain.billing_accounts.model import AccountStatus, BillingAccount
from domain.communications.model import AppNotification, CommunicationSent
from domain.customers.model import Customer
from domain.invoices.model import Invoice, InvoiceStatus
from domain.webhooks.model import WebhookEndpoint

_ENDPOINTS = "communications.enabled_endpoints"  # session.info key: this transaction's enabled webhook endpoints


@dataclass
class CommunicationRepository:
    session: Session

    def endpoints_for(self, event: str) -> list[WebhookEndpoint]:
        """Enabled endpoints subscribed to the event (an organization has a handful: filtered here, not in SQL).
        Selected once per transaction: a batch emits one event per invoice, and no use case that emits also adds
        endpoints (`wants` re-reads `enabled` on the loaded rows)."""
        loaded = self.session.info.get(_ENDPOINTS)
        if loaded is None:
            statement = select(WebhookEndpoint).where(WebhookEndpoint.enabled.is_(True))
            loaded = self.session.info[_ENDPOINTS] = list(self.session.scalars(statement))
        return [e for e in loaded if e.wants(event)]

    def step_candidates(
        self, due_on: date, step_offset: int, *, limit: int, due_after: date | None = None
    ) -> list[tuple[Invoice, BillingAccount, Customer]]:
        """Open invoices still owing, due on `due_on` (or in (`due_after`, `due_on`]: the step's window), of customers
        who did not pause communications, that this step has not handled yet. Uses ix_invoice_org_status_due; the
        NOT EXISTS probes communication_sent's unique key."""
        handled = exists().where(
            CommunicationSent.invoice_id == Invoice.id, CommunicationSent.step_offset == step_offset
        )
        statement = (
            select(Invoice, BillingAccount, Customer)
            .join(BillingAccount, BillingAccount.id == Invoice.billing_account_id)
            .join(Customer, Customer.id == Invoice.customer_id)
            .where(
                Invoice.status == InvoiceStatus.OPEN,
                Invoice.due_on <= due_on,
                Invoice.due_on > due_after if due_after is not None else true(),  # the last step: no end
                Invoice.net_value_cents > Invoice.amount_paid_cents,
                Customer.communications_paused.is_(False),
                Customer.deleted_at.is_(None),
                BillingAccount.deleted_at.is_(None),
                BillingAccount.status != AccountStatus.CLOSED,
                ~handled,
            )
            .order_by(Invoice.id)
            .limit(limit)
        )
        return [(i, a, c) for i, a, c in self.session.execute(statement).all()]

    def not_yet_sent(
        self, invoice_ids: list[uuid.UUID], *, states: tuple[InvoiceStatus, ...], step_offset: int, channel: str
    ) -> list[tuple[Invoice, BillingAccount, Customer | None]]:
        """Of these invoices, those in `states` with no communication_sent row for (step_offset, channel), with their
        account and customer: one select for a whole batch."""
        handled = exists().where(
            CommunicationSent.invoice_id == Invoice.id,
            CommunicationSent.step_offset == step_offset,
            CommunicationSent.channel == channel,
        )
        statement = (
            select(Invoice, BillingAccount, Customer)
            .join(BillingAccount, BillingAccount.id == Invoice.billing_account_id)
            .outerjoin(Customer, Customer.id == Invoice.customer_id)
            .where(Invoice.id.in_(invoice_ids), Invoice.status.in_(states), ~handled)
            .order_by(Invoice.id)
        )
        return [(i, a, c) for i, a, c in self.session.execute(statement).all()]

    def was_sent(self, invoice_id: uuid.UUID, step_offset: int, channel: str) -> bool:
        statement = select(CommunicationSent.id).where(
            CommunicationSent.invoice_id == invoice_id,
            CommunicationSent.step_offset == step_offset,
            CommunicationSent.channel == channel,
        )
        return self.session.scalar(statement) is not None

    def overdue_open_invoices(self, account_id: uuid.UUID, today: date, *, for_update: bool = False) -> list[Invoice]:
        statement = (
            select(Invoice)
            .where(
                Invoice.billing_account_id == account_id,
                Invoice.status == InvoiceStatus.OPEN,
                Invoice.due_on < today,
            )
            .order_by(Invoice.due_on, Invoice.id)
        )
        if for_update:
            statement = statement.with_for_update(of=Invoice)
        return list(self.session.scalars(statement))

    def mark_notifications_read(self, notification_ids: list[uuid.UUID] | None) -> int:
        statement = update(AppNotification).where(
            AppNotification.organization_id == self.session.info["organization_id"],
            AppNotification.read_at.is_(None),
        )
        if notification_ids is not None:
            statement = statement.where(AppNotification.id.in_(notification_ids))
        result = self.session.execute(statement.values(read_at=utcnow()).execution_options(synchronize_session=False))
        return result.rowcount or 0  # type: ignore[attr-defined]
