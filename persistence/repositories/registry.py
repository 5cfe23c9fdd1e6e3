"""Customers, billing accounts and portal users: the lookups the registry's use cases need.

Open invoices and active subscriptions belong to other areas: their tables are read only when their models are
registered (Base.metadata) and migrated, so the delete refusals start working as soon as those areas land.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, func, inspect, literal, select, update
from sqlalchemy.orm import Session

from domain.base import Base
from domain.billing_accounts.model import BillingAccount
from domain.customers.custom_fields import CustomFieldDefinition
from domain.customers.model import Customer
from domain.errors import NotFound
from domain.portal_users.model import PortalToken, PortalUser, TokenPurpose
from domain.portal_users.tokens import hash_token

OPEN_INVOICE_STATUSES = ("open",)
ACTIVE_SUBSCRIPTION_STATUSES = ("active", "trialing", "past_due")
TOTAL_COLUMNS = ("accounts_count", "balance_cents", "mrr_cents", "open_invoices_count")
_migrated: set[tuple[str, str]] = set()  # (database, table) seen in the schema; absence is asked again each time


def optional_table(session: Session, name: str) -> Table | None:
    """A table of an area that may not exist yet (invoice, subscription, statement_item): registered and migrated."""
    table = Base.metadata.tables.get(name)
    if table is None:
        return None
    connection = session.connection()
    key = (connection.engine.url.render_as_string(hide_password=True), name)
    if key not in _migrated and inspect(connection).has_table(name):
        _migrated.add(key)
    return table if key in _migrated else None


def open_invoices_of(session: Session, account_ids: Any) -> Any | None:
    """Scalar subquery: open invoices of the given accounts (a column or a select), or None without invoices."""
    invoice = optional_table(session, "invoice")
    if invoice is None:
        return None
    return (
        select(func.count())
        .select_from(invoice)
        .where(invoice.c.billing_account_id.in_(account_ids), invoice.c.status.in_(OPEN_INVOICE_STATUSES))
        .scalar_subquery()
    )


def active_subscriptions_of(session: Session, account_ids: Any) -> Any | None:
    subscription = optional_table(session, "subscription")
    if subscription is None:
        return None
    return (
        select(func.count())
        .select_from(subscription)
        .where(
            subscription.c.billing_account_id.in_(account_ids), subscription.c.status.in_(ACTIVE_SUBSCRIPTION_STATUSES)
        )
        .scalar_subquery()
    )


@dataclass
class CustomerRepository:
    session: Session

    def get_live(self, customer_id: uuid.UUID, *, for_update: bool = False) -> Customer:
        statement = select(Customer).where(Customer.id == customer_id, Customer.deleted_at.is_(None))
        if for_update:
            statement = statement.with_for_update()
        customer = self.session.scalars(statement).one_or_none()
        if customer is None:
            raise NotFound("Cliente", customer_id)
        return customer

    def find_by_document(self, document_type: str, number: str, *, except_id: uuid.UUID | None) -> Customer | None:
        return self._find_live(Customer.document_type == document_type, Customer.document_number == number,
                               except_id=except_id)  # fmt: skip

    def find_by_external_id(self, external_id: str, *, except_id: uuid.UUID | None) -> Customer | None:
        return self._find_live(Customer.external_id == external_id, except_id=except_id)

    def custom_field_definitions(self) -> list[CustomFieldDefinition]:
        statement = select(CustomFieldDefinition).order_by(CustomFieldDefinition.position, CustomFieldDefinition.label)
        return list(self.session.scalars(statement))

    def refresh_totals(self, customer_id: uuid.UUID) -> None:
        """One UPDATE with subqueries over the live accounts. Derived figures, so no audit event of their own: the
        account change that moved them is audited."""
        live = BillingAccount.customer_id == customer_id, BillingAccount.deleted_at.is_(None)
        account_ids = select(BillingAccount.id).where(*live)
        values: dict[str, Any] = {
            "accounts_count": select(func.count()).where(*live).scalar_subquery(),
            "balance_cents": select(func.coalesce(func.sum(BillingAccount.balance_cents), 0)).where(*live)
            .scalar_subquery(),
            "mrr_cents": select(func.coalesce(func.sum(BillingAccount.mrr_amount_cents), 0)).where(*live)
            .scalar_subquery(),
        }  # fmt: skip
        open_invoices = open_invoices_of(self.session, account_ids)
        if open_invoices is not None:
            values["open_invoices_count"] = open_invoices
        statement = update(Customer).where(Customer.id == customer_id).values(**values)
        self.session.execute(statement.execution_options(synchronize_session=False))
        loaded = next((o for o in self.session.identity_map.values()
                       if isinstance(o, Customer) and o.id == customer_id), None)  # fmt: skip
        if loaded is not None:
            self.session.refresh(loaded, list(TOTAL_COLUMNS))

    def blocking_references(self, customer_id: uuid.UUID) -> tuple[int, int]:
        account_ids = select(BillingAccount.id).where(BillingAccount.customer_id == customer_id,
                                                      BillingAccount.deleted_at.is_(None))  # fmt: skip
        return _counts(self.session, account_ids)

    def _find_live(self, *conditions: Any, except_id: uuid.UUID | None) -> Customer | None:
        statement = select(Customer).where(*conditions, Customer.deleted_at.is_(None))
        if except_id is not None:
            statement = statement.where(Customer.id != except_id)
        with self.session.no_autoflush:  # the pending change is what is being checked: do not write it first
            return self.session.scalars(statement.limit(1)).first()


@dataclass
class BillingAccountRepository:
    session: Session

    def get_live(self, account_id: uuid.UUID, *, for_update: bool = False) -> BillingAccount:
        statement = select(BillingAccount).where(BillingAccount.id == account_id, BillingAccount.deleted_at.is_(None))
        if for_update:
            statement = statement.with_for_update()
        account = self.session.scalars(statement).one_or_none()
        if account is None:
            raise NotFound("Conta de faturamento", account_id)
        return account

    def list_for_customer(self, customer_id: uuid.UUID) -> list[BillingAccount]:
        statement = select(BillingAccount).where(BillingAccount.customer_id == customer_id,
                                                 BillingAccount.deleted_at.is_(None))  # fmt: skip
        return list(self.session.scalars(statement.order_by(BillingAccount.created_at, BillingAccount.id)))

    def email_owner(self, email: str, *, except_id: uuid.UUID | None) -> tuple[str, str] | None:
        """(account name, customer name) of the live account that already has this e-mail, if any."""
        statement = (
            select(BillingAccount.name, Customer.name)
            .join(Customer, Customer.id == BillingAccount.customer_id)
            .where(BillingAccount.email == email, BillingAccount.deleted_at.is_(None))
        )
        if except_id is not None:
            statement = statement.where(BillingAccount.id != except_id)
        with self.session.no_autoflush:
            row = self.session.execute(statement.limit(1)).first()
        return None if row is None else (row[0], row[1])

    def blocking_references(self, account_id: uuid.UUID) -> tuple[int, int]:
        return _counts(self.session, [account_id])


@dataclass
class PortalUserRepository:
    session: Session

    def find_in_account(self, account_id: uuid.UUID, email: str) -> PortalUser | None:
        statement = select(PortalUser).where(PortalUser.billing_account_id == account_id, PortalUser.email == email)
        with self.session.no_autoflush:
            return self.session.scalars(statement).one_or_none()

    def list_for_account(self, account_id: uuid.UUID) -> list[PortalUser]:
        return list(self.session.scalars(select(PortalUser).where(PortalUser.billing_account_id == account_id)))

    def find_token(self, raw_token: str) -> PortalToken | None:
        statement = select(PortalToken).where(PortalToken.token_hash == hash_token(raw_token or ""))
        return self.session.scalars(statement.with_for_update()).one_or_none()

    def revoke_tokens(self, portal_user_id: uuid.UUID, purpose: TokenPurpose, now: datetime) -> None:
        statement = (
            update(PortalToken)
            .where(
                PortalToken.portal_user_id == portal_user_id,
                PortalToken.purpose == purpose,
                PortalToken.used_at.is_(None),
                PortalToken.revoked_at.is_(None),
            )
            .values(revoked_at=now)
        )
        self.session.execute(statement.execution_options(synchronize_session=False))


def _counts(session: Session, account_ids: Any) -> tuple[int, int]:
    open_invoices, subscriptions = open_invoices_of(session, account_ids), active_subscriptions_of(session, account_ids)
    if open_invoices is None and subscriptions is None:
        return 0, 0
    row = session.execute(select(open_invoices if open_invoices is not None else literal(0),
                                 subscriptions if subscriptions is not None else literal(0))).one()  # fmt: skip
    return int(row[0]), int(row[1])
