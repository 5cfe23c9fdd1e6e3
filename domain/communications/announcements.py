"""invoice_created for the invoices the billing run writes set-based.

The run commits its invoices in batches without per-row ORM work; announcing each one (e-mail, notification,
webhook) happens right after, in a job of its own. Each announcement is logged in communication_sent under the
pseudo-channel "announce" (unique per invoice), so announcing twice — a retried job, the periodic sweep catching
what a crash left — sends nothing twice, and nothing is lost: the sweep finds finalized cycle invoices still
unannounced."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from domain.access.permissions import Permission
from domain.base import new_id
from domain.communications.events import EventType
from domain.communications.model import CommunicationSent
from domain.communications.ports import CommunicationUnitOfWork
from domain.communications.services import emit_invoice_event
from domain.invoices.model import Invoice, InvoiceStatus

ANNOUNCE = "announce"  # pseudo-channel of communication_sent: invoice_created went out for this invoice
ANNOUNCE_OFFSET = -1000  # outside any schedule step's days, so the steps never take it for one of theirs
ANNOUNCED_STATES = (InvoiceStatus.OPEN, InvoiceStatus.PAID)  # drafts are announced when an operator finalizes them


def announce_invoices(uow: CommunicationUnitOfWork, *, invoice_ids: Iterable[uuid.UUID]) -> int:
    """One transaction: invoice_created for each finalized invoice of the list not announced yet; returns how many."""
    with uow:
        uow.actor.require(Permission.INVOICES_READ)
        uow.describe("communications.invoices_announced")
        found = uow.communications.not_yet_sent(list(invoice_ids), states=ANNOUNCED_STATES,
                                                step_offset=ANNOUNCE_OFFSET, channel=ANNOUNCE)  # fmt: skip
        for invoice, account, customer in found:
            mark_announced(uow, invoice)
            emit_invoice_event(uow, EventType.INVOICE_CREATED, invoice, today=invoice.issued_on, account=account,
                               customer=customer)  # fmt: skip
        uow.commit()
        return len(found)


def mark_announced(uow: CommunicationUnitOfWork, invoice: Invoice) -> None:
    uow.add(CommunicationSent(id=new_id(), organization_id=invoice.organization_id, invoice_id=invoice.id,
                              step_offset=ANNOUNCE_OFFSET, channel=ANNOUNCE, sent_on=invoice.issued_on,
                              details={"event": EventType.INVOICE_CREATED.value}))  # fmt: skip
