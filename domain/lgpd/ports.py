"""What the LGPD use cases need from storage (persistence/repositories/lgpd.py provides it)."""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from domain.billing_accounts.model import BillingAccount
from domain.customers.ports import CustomerRepository
from domain.invoices.ports import JobRepository, OrganizationLookup
from domain.lgpd.model import ErasureRequest
from domain.ports import UnitOfWork


class LgpdRepository(Protocol):
    def get_request(self, request_id: uuid.UUID, *, for_update: bool = False) -> ErasureRequest: ...
    def pending_for(self, customer_id: uuid.UUID) -> ErasureRequest | None: ...
    def accounts_of(self, customer_id: uuid.UUID) -> list[BillingAccount]:
        """Every account of the customer, deleted ones included (they hold personal data too)."""

    def anonymize(self, customer_id: uuid.UUID, customer: dict[str, Any],
                  accounts: dict[uuid.UUID, dict[str, Any]]) -> None:  # fmt: skip
        """Set-based: the new values replace the old ones without the old ones reaching the audit trail."""

    def remove_portal_users(self, customer_id: uuid.UUID) -> int: ...
    def discard_exports(self, customer_id: uuid.UUID) -> int:
        """Earlier exports of the customer hold the data being erased: delete them."""

    def redact_history(self, customer_id: uuid.UUID, keys: dict[str, set[str]]) -> int:
        """Replace personal values in the audit events of the customer's timeline; returns how many changed."""


class LgpdUnitOfWork(UnitOfWork, Protocol):
    lgpd: LgpdRepository
    customers: CustomerRepository
    organizations: OrganizationLookup
    background_jobs: JobRepository
