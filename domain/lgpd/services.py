"""LGPD use cases: the titular's export, and erasure (request, confirm after the window, cancel, execute).

Every request, refusal, confirmation, cancellation and execution is audited (ErasureRequest is an audited entity;
the anonymization itself records one event that names the fields, never their values).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from domain.access.permissions import Permission
from domain.background_jobs.model import BackgroundJob
from domain.background_jobs.services import new_job
from domain.base import utcnow
from domain.customers.errors import clean_reason, require_reason
from domain.customers.model import Customer
from domain.errors import ValidationFailed
from domain.lgpd import anonymization
from domain.lgpd.errors import AlreadyAnonymized, ErasureBlocked, ErasurePending, InvalidWindow
from domain.lgpd.model import ErasureRequest, ErasureStatus
from domain.lgpd.ports import LgpdUnitOfWork

WINDOW_PREFERENCE = "lgpd_erasure_window_days"
LINK_PREFERENCE = "lgpd_export_link_hours"
DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS, DEFAULT_LINK_HOURS = 7, 90, 24
EXPORT_KIND = "lgpd_export"
MAX_EXPORT_CUSTOMERS = 500


def request_erasure(
    uow: LgpdUnitOfWork, *, customer_id: uuid.UUID, reason: str | None, now: datetime | None = None
) -> ErasureRequest:
    """Register a titular's erasure request; refused (and recorded as refused) while invoices are open or
    subscriptions active, since the customer is still in business with the organization."""
    with uow:
        uow.actor.require(Permission.LGPD_ERASE)
        uow.describe("lgpd.erasure_requested", reason=clean_reason(reason))
        customer = uow.get(Customer, customer_id, label="Cliente", for_update=True)
        if customer.anonymized_at is not None:
            raise AlreadyAnonymized()
        if uow.lgpd.pending_for(customer.id) is not None:
            raise ErasurePending()
        reason = require_reason(reason, "solicitar a eliminação dos dados")
        now = now or utcnow()
        request = ErasureRequest(
            customer_id=customer.id, status=ErasureStatus.REQUESTED, reason=reason, requested_by_id=uow.actor.id,
            requested_by_name=uow.actor.name, confirm_after=now + erasure_window(uow),
        )  # fmt: skip
        uow.add(request)
        blocked = _blocked(uow, customer.id)
        if blocked is not None:
            request.refuse(blocked.message, now)
            uow.describe("lgpd.erasure_refused", reason=reason)
            uow.commit()  # the refusal itself is kept and audited...
            raise blocked  # ...and the operator sees why
        uow.commit()
        return request


def confirm_erasure(uow: LgpdUnitOfWork, *, request_id: uuid.UUID, now: datetime | None = None) -> ErasureRequest:
    """The second action: once the organization's window has passed, confirm; the purge job executes it."""
    with uow:
        uow.actor.require(Permission.LGPD_ERASE)
        uow.describe("lgpd.erasure_confirmed")
        request = uow.lgpd.get_request(request_id, for_update=True)
        request.confirm(by_id=uow.actor.id, by_name=uow.actor.name, now=now or utcnow())
        uow.commit()
        return request


def cancel_erasure(uow: LgpdUnitOfWork, *, request_id: uuid.UUID, reason: str | None) -> ErasureRequest:
    """Withdraw a pending request (the titular changed their mind, or it was a mistake), with a reason."""
    with uow:
        uow.actor.require(Permission.LGPD_ERASE)
        uow.describe("lgpd.erasure_cancelled", reason=clean_reason(reason))
        request = uow.lgpd.get_request(request_id, for_update=True)
        require_reason(reason, "cancelar a solicitação")
        request.cancel(by_name=uow.actor.name, now=utcnow())
        uow.commit()
        return request


def execute_erasure(uow: LgpdUnitOfWork, *, request_id: uuid.UUID, now: datetime | None = None) -> ErasureRequest:
    """Anonymize a confirmed request's customer: personal data out, fiscal record kept; refused (and recorded) if
    invoices were opened or subscriptions started in the meantime."""
    with uow:
        uow.actor.require(Permission.LGPD_ERASE)
        now = now or utcnow()
        request = uow.lgpd.get_request(request_id, for_update=True)
        request.ensure_executable(now)
        customer = uow.get(Customer, request.customer_id, label="Cliente", for_update=True)
        blocked = _blocked(uow, customer.id)
        if blocked is not None:
            uow.describe("lgpd.erasure_refused")
            request.refuse(blocked.message, now)
            uow.commit()
            return request
        uow.describe("lgpd.erasure_executed")
        accounts = uow.lgpd.accounts_of(customer.id)
        values = anonymization.customer_values(customer, now)
        uow.lgpd.anonymize(customer.id, values, {a.id: anonymization.account_values(a, customer) for a in accounts})
        removed = uow.lgpd.remove_portal_users(customer.id)
        exports = uow.lgpd.discard_exports(customer.id)
        redacted = uow.lgpd.redact_history(customer.id, anonymization.history_keys(customer))
        request.status, request.executed_at = ErasureStatus.EXECUTED, now
        uow.record_event(
            action="lgpd.erasure_executed", entity_type="customer", entity_id=customer.id, root_id=customer.id,
            changes={"anonymized_fields": sorted(values), "billing_accounts": len(accounts),
                     "portal_users_removed": removed, "audit_events_redacted": redacted, "exports_deleted": exports,
                     "kept": ["invoices", "payments", "statement", "company document"]},
        )  # fmt: skip
        uow.commit()
        return request


def request_export(uow: LgpdUnitOfWork, *, customer_ids: list[uuid.UUID]) -> BackgroundJob:
    """Queue the export of customers' data (JSON), invoices (PDF) and statement/payments (CSV) as one ZIP file."""
    with uow:
        uow.actor.require(Permission.LGPD_EXPORT)
        ids = list(dict.fromkeys(customer_ids))
        if not ids or len(ids) > MAX_EXPORT_CUSTOMERS:
            raise ValidationFailed(f"Escolha de 1 a {MAX_EXPORT_CUSTOMERS} clientes para exportar.")
        for customer_id in ids:
            uow.get(Customer, customer_id, label="Cliente")
        job = new_job(uow, kind=EXPORT_KIND, total=len(ids), params={"customer_ids": [str(i) for i in ids]})  # type: ignore[arg-type]
        uow.flush()
        for customer_id in ids:
            uow.record_event(action="lgpd.export_requested", entity_type="customer", entity_id=customer_id,
                             root_id=customer_id, changes={"job_id": str(job.id)})  # fmt: skip
        uow.commit()
        return job


def record_export_download(uow: LgpdUnitOfWork, *, job_id: uuid.UUID) -> list[str]:
    """Who downloaded a titular's export, and when, goes to each customer's timeline."""
    with uow:
        uow.actor.require(Permission.LGPD_EXPORT)
        job = uow.background_jobs.get(job_id)
        if job.kind != EXPORT_KIND:
            raise ValidationFailed("Esta tarefa não é uma exportação LGPD.")
        customer_ids = list(job.params.get("customer_ids", []))
        for customer_id in customer_ids:
            uow.record_event(action="lgpd.export_downloaded", entity_type="customer", entity_id=customer_id,
                             root_id=customer_id, changes={"job_id": str(job.id)})  # fmt: skip
        uow.commit()
        return customer_ids


def set_erasure_window(uow: LgpdUnitOfWork, *, days: int) -> None:
    """An admin sets how long a request waits before it can be confirmed (0 to 90 days)."""
    with uow:
        uow.actor.require(Permission.SETTINGS_ADMIN)
        if not isinstance(days, int) or not 0 <= days <= MAX_WINDOW_DAYS:
            raise InvalidWindow()
        uow.describe("organization.lgpd_window_changed")
        org = uow.organizations.current()
        org.preferences = {**(org.preferences or {}), WINDOW_PREFERENCE: days}  # reassigned: JSON change tracked
        uow.commit()


def erasure_window(uow: LgpdUnitOfWork) -> timedelta:
    preferences: dict[str, Any] = uow.organizations.current().preferences or {}
    return timedelta(days=int(preferences.get(WINDOW_PREFERENCE, DEFAULT_WINDOW_DAYS)))


def _blocked(uow: LgpdUnitOfWork, customer_id: uuid.UUID) -> ErasureBlocked | None:
    open_invoices, active_subscriptions = uow.customers.blocking_references(customer_id)
    return ErasureBlocked(open_invoices, active_subscriptions) if open_invoices or active_subscriptions else None
