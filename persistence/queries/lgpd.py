"""Read views of LGPD: a customer's erasure status and exports, the list of requests, what the ZIP holds."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from domain.access.permissions import Actor, Permission
from domain.audit.model import AuditEvent
from domain.background_jobs.model import BackgroundJob, JobStatus
from domain.billing_accounts.model import BillingAccount
from domain.customers.model import Customer
from domain.files.model import StoredFile
from domain.invoices.model import Invoice, InvoiceStatus
from domain.lgpd.model import STATUS_LABELS, ErasureRequest, ErasureStatus
from domain.lgpd.services import EXPORT_KIND, LINK_PREFERENCE, WINDOW_PREFERENCE
from domain.organizations.model import Organization
from domain.payments.model import Payment
from domain.portal_users.model import PortalUser
from persistence.audit import json_safe
from persistence.database import open_session
from persistence.queries.common import read_session

RECENT_EXPORT_JOBS = 50


@dataclass(frozen=True)
class RequestView:
    id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str
    status: ErasureStatus
    status_label: str
    reason: str
    requested_by_name: str
    requested_at: datetime
    confirm_after: datetime
    confirmed_by_name: str | None
    executed_at: datetime | None
    refusal_reason: str | None


@dataclass(frozen=True)
class ExportView:
    job_id: uuid.UUID
    status: JobStatus
    percent: int
    message: str | None
    finished_at: datetime | None
    has_file: bool


@dataclass(frozen=True)
class PanelView:
    customer_id: uuid.UUID
    customer_name: str
    document: str
    anonymized_at: datetime | None
    latest: RequestView | None
    exports: list[ExportView]
    window_days: int
    link_hours: int


def panel(actor: Actor, customer_id: uuid.UUID) -> PanelView:
    """What the LGPD panel of a customer shows: its latest erasure request and its recent exports."""
    with read_session(actor, Permission.LGPD_EXPORT) as session:
        customer = session.scalars(select(Customer).where(Customer.id == customer_id)).one()
        statement = select(ErasureRequest).where(ErasureRequest.customer_id == customer_id)
        latest = session.scalars(statement.order_by(ErasureRequest.created_at.desc()).limit(1)).first()
        jobs = session.scalars(select(BackgroundJob).where(BackgroundJob.kind == EXPORT_KIND)
                               .order_by(BackgroundJob.created_at.desc()).limit(RECENT_EXPORT_JOBS))  # fmt: skip
        exports = [_export(job) for job in jobs if str(customer_id) in job.params.get("customer_ids", [])][:3]
        preferences = session.scalars(select(Organization.preferences)).one() or {}
        return PanelView(
            customer_id=customer.id, customer_name=customer.name, document=customer.document_masked,
            anonymized_at=customer.anonymized_at, latest=_view(latest, customer.name) if latest else None,
            exports=exports, window_days=int(preferences.get(WINDOW_PREFERENCE, 7)),
            link_hours=int(preferences.get(LINK_PREFERENCE, 24)),
        )  # fmt: skip


def export_job(actor: Actor, job_id: uuid.UUID) -> ExportView | None:
    with read_session(actor, Permission.LGPD_EXPORT) as session:
        job = session.scalars(select(BackgroundJob).where(BackgroundJob.id == job_id,
                                                          BackgroundJob.kind == EXPORT_KIND)).one_or_none()  # fmt: skip
        return _export(job) if job else None


def export_file(actor: Actor, job_id: uuid.UUID) -> tuple[StoredFile, datetime] | None:
    """The ZIP of a finished export of the actor's organization, with when it was generated."""
    with read_session(actor, Permission.LGPD_EXPORT) as session:
        row = session.execute(
            select(StoredFile, BackgroundJob.finished_at)
            .join(BackgroundJob, BackgroundJob.result_file_id == StoredFile.id)
            .where(BackgroundJob.id == job_id, BackgroundJob.kind == EXPORT_KIND)
        ).one_or_none()  # fmt: skip
        return (row[0], row[1]) if row and row[1] else None


def list_requests(actor: Actor, *, limit: int = 100) -> list[RequestView]:
    """Pending requests first (what waits for a confirmation), then the latest decided ones."""
    with read_session(actor, Permission.LGPD_EXPORT) as session:
        statement = (
            select(ErasureRequest, Customer.name).join(Customer, Customer.id == ErasureRequest.customer_id)
            .order_by(ErasureRequest.created_at.desc()).limit(limit)
        )  # fmt: skip
        views = [_view(request, name) for request, name in session.execute(statement)]
        return sorted(views, key=lambda v: v.status not in (ErasureStatus.REQUESTED, ErasureStatus.CONFIRMED))


def due_erasures(now: datetime) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(organization, request) of confirmed requests whose window has passed, in every organization."""
    session = open_session(Actor.system("lgpd"), writes=False)
    try:
        statement = select(ErasureRequest.organization_id, ErasureRequest.id).where(
            ErasureRequest.status == ErasureStatus.CONFIRMED, ErasureRequest.confirm_after <= now
        )
        return [(org, request) for org, request in session.execute(statement)]
    finally:
        session.close()


def expired_exports(before: datetime) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(organization, stored file) of LGPD exports generated before `before`: personal data not kept longer."""
    session = open_session(Actor.system("lgpd"), writes=False)
    try:
        statement = select(StoredFile.organization_id, StoredFile.id).where(
            StoredFile.kind == EXPORT_KIND, StoredFile.created_at < before
        )
        return [(org, file_id) for org, file_id in session.execute(statement)]
    finally:
        session.close()


@dataclass
class TitularData:
    """Everything the export ZIP holds about one customer."""

    customer: dict[str, Any]
    accounts: list[dict[str, Any]]
    portal_users: list[dict[str, Any]]
    erasure_requests: list[dict[str, Any]]
    invoices: list[tuple[uuid.UUID, str, str]]  # (id, number or id, status) of non-draft invoices
    payments: list[dict[str, Any]]
    history: list[dict[str, Any]]
    name: str
    document: str


def titular_data(actor: Actor, customer_id: uuid.UUID) -> TitularData:
    with read_session(actor, Permission.LGPD_EXPORT) as session:
        customer = session.scalars(select(Customer).where(Customer.id == customer_id)).one()
        accounts = list(session.scalars(select(BillingAccount).where(BillingAccount.customer_id == customer_id)))
        users = list(session.scalars(select(PortalUser).where(PortalUser.customer_id == customer_id)))
        requests = list(session.scalars(select(ErasureRequest).where(ErasureRequest.customer_id == customer_id)))
        invoices = session.execute(
            select(Invoice.id, Invoice.number, Invoice.status).where(
                Invoice.customer_id == customer_id, Invoice.status != InvoiceStatus.DRAFT
            ).order_by(Invoice.issued_on, Invoice.number)
        ).all()  # fmt: skip
        payments = list(session.scalars(select(Payment).where(Payment.customer_id == customer_id)
                                        .order_by(Payment.paid_on, Payment.created_at)))  # fmt: skip
        numbers = {i: n for i, n in session.execute(select(Invoice.id, Invoice.number)
                                                    .where(Invoice.customer_id == customer_id))}  # fmt: skip
        history = session.scalars(select(AuditEvent).where(AuditEvent.root_id == str(customer_id))
                                  .order_by(AuditEvent.occurred_at))  # fmt: skip
        return TitularData(
            customer=_columns(customer), accounts=[_columns(a) for a in accounts],
            portal_users=[_columns(u) for u in users], erasure_requests=[_columns(r) for r in requests],
            invoices=[(i, n or str(i), str(s)) for i, n, s in invoices],
            payments=[{**_columns(p), "invoice_number": numbers.get(p.invoice_id)} for p in payments],
            history=[{"when": e.occurred_at.isoformat(), "who": e.actor_name, "action": e.action} for e in history],
            name=customer.name, document=customer.document_masked,
        )  # fmt: skip


def _columns(entity: Any) -> dict[str, Any]:
    excluded = getattr(type(entity), "__audit_exclude__", frozenset()) | {"organization_id"}
    return {a.key: json_safe(getattr(entity, a.key)) for a in entity.__mapper__.column_attrs if a.key not in excluded}


def _view(request: ErasureRequest, customer_name: str) -> RequestView:
    return RequestView(
        id=request.id, customer_id=request.customer_id, customer_name=customer_name, status=request.status,
        status_label=STATUS_LABELS[request.status], reason=request.reason, requested_by_name=request.requested_by_name,
        requested_at=request.created_at, confirm_after=request.confirm_after,
        confirmed_by_name=request.confirmed_by_name, executed_at=request.executed_at,
        refusal_reason=request.refusal_reason,
    )  # fmt: skip


def _export(job: BackgroundJob) -> ExportView:
    return ExportView(job_id=job.id, status=job.status, percent=job.percent, message=job.message,
                      finished_at=job.finished_at, has_file=job.result_file_id is not None)  # fmt: skip
