"""What the registry's use cases need from storage (customers, billing accounts, portal users)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from domain.billing_accounts.model import BillingAccount
from domain.customers.custom_fields import CustomFieldDefinition
from domain.customers.model import Customer
from domain.portal_users.model import PortalToken, PortalUser, TokenPurpose
from domain.ports import UnitOfWork


class CustomerRepository(Protocol):
    def get_live(self, customer_id: uuid.UUID, *, for_update: bool = False) -> Customer: ...
    def find_by_document(self, document_type: str, number: str, *, except_id: uuid.UUID | None) -> Customer | None: ...
    def find_by_external_id(self, external_id: str, *, except_id: uuid.UUID | None) -> Customer | None: ...
    def custom_field_definitions(self) -> list[CustomFieldDefinition]: ...
    def refresh_totals(self, customer_id: uuid.UUID) -> None:
        """Recompute accounts_count, balance_cents, mrr_cents and open_invoices_count from the live accounts,
        in the caller's transaction. NOTE: statements, invoices and subscriptions call it after they change."""

    def blocking_references(self, customer_id: uuid.UUID) -> tuple[int, int]:
        """(open invoices, active subscriptions) over all the customer's live accounts."""


class BillingAccountRepository(Protocol):
    def get_live(self, account_id: uuid.UUID, *, for_update: bool = False) -> BillingAccount: ...
    def list_for_customer(self, customer_id: uuid.UUID) -> list[BillingAccount]: ...
    def email_owner(self, email: str, *, except_id: uuid.UUID | None) -> tuple[str, str] | None:
        """(account name, customer name) of the live account that already has this e-mail, if any."""

    def blocking_references(self, account_id: uuid.UUID) -> tuple[int, int]:
        """(open invoices, active subscriptions) of one account: what forbids deleting or closing it."""


class PortalUserRepository(Protocol):
    def list_for_account(self, account_id: uuid.UUID) -> list[PortalUser]: ...
    def find_in_account(self, account_id: uuid.UUID, email: str) -> PortalUser | None: ...
    def find_token(self, raw_token: str) -> PortalToken | None: ...
    def revoke_tokens(self, portal_user_id: uuid.UUID, purpose: TokenPurpose, now: datetime) -> None: ...


class RegistryUnitOfWork(UnitOfWork, Protocol):
    customers: CustomerRepository
    billing_accounts: BillingAccountRepository
    portal_users: PortalUserRepository
