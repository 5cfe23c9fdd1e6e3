"""Erasure requests, and the set-based statements of an anonymization.

Anonymizing goes around the ORM's flush on purpose: the automatic audit (persistence/audit.py) records old values,
and the old values are exactly what must go. The use case records one event naming the fields instead. Every
statement here is ORM-enabled, so persistence/tenancy.py scopes it to the organization.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from domain.audit.model import AuditEvent
from domain.background_jobs.model import BackgroundJob
from domain.billing_accounts.model import BillingAccount
from domain.customers.model import Customer
from domain.errors import NotFound
from domain.files.model import StoredFile
from domain.lgpd.anonymization import redact
from domain.lgpd.model import PENDING, ErasureRequest
from domain.lgpd.services import EXPORT_KIND
from domain.portal_users.model import PortalToken, PortalUser
from persistence import files

_SYNC = {"synchronize_session": False}


@dataclass
class LgpdRepository:
    session: Session

    def get_request(self, request_id: uuid.UUID, *, for_update: bool = False) -> ErasureRequest:
        statement = select(ErasureRequest).where(ErasureRequest.id == _uuid(request_id))
        if for_update:
            statement = statement.with_for_update()
        request = self.session.scalars(statement).one_or_none()
        if request is None:
            raise NotFound("Solicitação de eliminação", request_id)
        return request

    def pending_for(self, customer_id: uuid.UUID) -> ErasureRequest | None:
        statement = select(ErasureRequest).where(ErasureRequest.customer_id == customer_id,
                                                 ErasureRequest.status.in_(PENDING))  # fmt: skip
        return self.session.scalars(statement.limit(1)).first()

    def accounts_of(self, customer_id: uuid.UUID) -> list[BillingAccount]:
        statement = select(BillingAccount).where(BillingAccount.customer_id == customer_id)
        return list(self.session.scalars(statement.order_by(BillingAccount.created_at)))

    def anonymize(self, customer_id: uuid.UUID, customer: dict[str, Any],
                  accounts: dict[uuid.UUID, dict[str, Any]]) -> None:  # fmt: skip
        for obj in [o for o in self.session.identity_map.values() if isinstance(o, Customer | BillingAccount)]:
            self.session.expunge(obj)  # loaded copies hold the old values: they must never be flushed back
        statement = update(Customer).where(Customer.id == customer_id).values(**customer)
        self.session.execute(statement.execution_options(**_SYNC))
        for account_id, values in accounts.items():
            statement = update(BillingAccount).where(BillingAccount.id == account_id).values(**values)
            self.session.execute(statement.execution_options(**_SYNC))

    def remove_portal_users(self, customer_id: uuid.UUID) -> int:
        users = select(PortalUser.id).where(PortalUser.customer_id == customer_id)
        self.session.execute(
            delete(PortalToken).where(PortalToken.portal_user_id.in_(users)).execution_options(**_SYNC)
        )
        result = self.session.execute(delete(PortalUser).where(PortalUser.customer_id == customer_id)
                                      .execution_options(**_SYNC))  # fmt: skip
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def discard_exports(self, customer_id: uuid.UUID) -> int:
        """Earlier exports that hold this customer's data: their files are deleted and their jobs say so."""
        statement = select(BackgroundJob).where(BackgroundJob.kind == EXPORT_KIND,
                                                BackgroundJob.result_file_id.is_not(None))  # fmt: skip
        discarded = 0
        for job in self.session.scalars(statement):
            if str(customer_id) not in (job.params or {}).get("customer_ids", []):
                continue
            stored = self.session.get(StoredFile, job.result_file_id)
            job.result_file_id, job.message = None, "Arquivo apagado: os dados do titular foram anonimizados."
            if stored is not None:
                self.session.flush()
                files.path_of(stored).unlink(missing_ok=True)  # personal data: gone even if this transaction fails
                self.session.delete(stored)
            discarded += 1
        return discarded

    def redact_history(self, customer_id: uuid.UUID, keys: dict[str, set[str]]) -> int:
        self.session.flush()
        root = str(customer_id)
        statement = select(AuditEvent.id, AuditEvent.entity_type, AuditEvent.changes).where(
            or_(AuditEvent.root_id == root, AuditEvent.entity_id == root)
        )
        redacted = 0
        for event_id, entity_type, changes in self.session.execute(statement).all():
            cleaned = redact(changes or {}, keys.get(entity_type, set()))
            if cleaned != changes:
                self.session.execute(update(AuditEvent).where(AuditEvent.id == event_id).values(changes=cleaned)
                                     .execution_options(**_SYNC))  # fmt: skip
                redacted += 1
        return redacted


def _uuid(value: object) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return uuid.UUID(int=0)
