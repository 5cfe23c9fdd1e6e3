"""The customer page: registration data, billing accounts with their portal users, and the invoices and statement
of other areas (read only when those tables exist, like the delete refusals in persistence/repositories/registry)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, literal, select

from domain.access.permissions import Actor, Permission
from domain.billing_accounts.model import BillingAccount
from domain.customers.custom_fields import CustomFieldDefinition
from domain.customers.model import Customer
from domain.errors import NotFound
from domain.portal_users.model import PortalUser
from persistence.queries.common import read_session
from persistence.repositories.registry import optional_table

LIST_LIMIT = 200  # the newest rows of a tab; the full lists live on the Faturas screen


@dataclass(frozen=True)
class AccountView:
    id: uuid.UUID
    name: str
    email: str | None
    billing_email: str | None
    currency: str
    status: str
    suspended_at: datetime | None
    suspension_reason: str | None
    closed_at: datetime | None
    payment_terms_days: int
    auto_collection: bool
    payment_method: str
    tax_id: str | None
    tax_id_type: str | None
    billing_address: dict[str, Any]
    customer_tax_type: str
    withhold_iss: bool
    withhold_ir: bool
    withhold_csrf: bool
    withhold_inss: bool
    iss_rate: Decimal | None
    iss_municipality_code: str | None
    balance_cents: int
    allowed_negative_balance_cents: int
    mrr_amount_cents: int
    portal_users: int
    open_invoices: int


@dataclass(frozen=True)
class PortalUserView:
    id: uuid.UUID
    billing_account_id: uuid.UUID
    account_name: str
    name: str
    email: str
    status: str
    methods: list[str]
    totp_enabled: bool
    failed_login_attempts: int
    locked_until: datetime | None
    last_login_at: datetime | None
    invited_at: datetime | None
    suspension_reason: str | None


@dataclass(frozen=True)
class CustomFieldView:
    id: uuid.UUID
    key: str
    label: str
    field_type: str
    choices: list[str]
    required: bool
    position: int
    is_active: bool


@dataclass(frozen=True)
class LedgerRow:
    """An invoice or a statement item, as the customer page lists them."""

    id: uuid.UUID
    account_name: str
    day: date | None
    label: str
    status: str
    amount_cents: int
    currency: str
    balance_after_cents: int | None = None


def customer(actor: Actor, customer_id: uuid.UUID) -> Customer:
    """The live customer (a detached entity: read its columns, change it only through the use cases)."""
    with read_session(actor, Permission.CUSTOMERS_READ) as session:
        found = session.scalars(select(Customer).where(Customer.id == customer_id, Customer.deleted_at.is_(None)))
        row = found.one_or_none()
        if row is None:
            raise NotFound("Cliente", customer_id)
        return row


def accounts(actor: Actor, customer_id: uuid.UUID) -> list[AccountView]:
    with read_session(actor, Permission.BILLING_ACCOUNTS_READ) as session:
        users = (
            select(func.count()).where(PortalUser.billing_account_id == BillingAccount.id).correlate(BillingAccount)
            .scalar_subquery()
        )  # fmt: skip
        invoice = optional_table(session, "invoice")
        open_invoices = (
            select(func.count()).select_from(invoice)
            .where(invoice.c.billing_account_id == BillingAccount.id, invoice.c.status == "open")
            .correlate(BillingAccount).scalar_subquery()
            if invoice is not None else literal(0)
        )  # fmt: skip
        rows = session.execute(
            select(BillingAccount, users, open_invoices)
            .where(BillingAccount.customer_id == customer_id, BillingAccount.deleted_at.is_(None))
            .order_by(BillingAccount.created_at, BillingAccount.id)
        ).all()
        return [_account(a, n, o) for a, n, o in rows]


def portal_users(actor: Actor, customer_id: uuid.UUID) -> list[PortalUserView]:
    with read_session(actor, Permission.CUSTOMERS_READ) as session:
        rows = session.execute(
            select(PortalUser, BillingAccount.name)
            .join(BillingAccount, BillingAccount.id == PortalUser.billing_account_id)
            .where(PortalUser.customer_id == customer_id, BillingAccount.deleted_at.is_(None))
            .order_by(BillingAccount.name, PortalUser.name)
        ).all()
        return [
            PortalUserView(
                u.id,
                u.billing_account_id,
                account,
                u.name,
                u.email,
                str(u.status),
                u.methods,
                u.totp_enabled,
                u.failed_login_attempts,
                u.locked_until,
                u.last_login_at,
                u.invited_at,
                u.suspension_reason,
            )
            for u, account in rows
        ]


def custom_fields(actor: Actor) -> list[CustomFieldView]:
    with read_session(actor) as session:
        statement = select(CustomFieldDefinition).order_by(CustomFieldDefinition.position, CustomFieldDefinition.label)
        return [CustomFieldView(d.id, d.key, d.label, str(d.field_type), list(d.choices), d.required, d.position,
                                d.is_active) for d in session.scalars(statement)]  # fmt: skip


def statement(actor: Actor, customer_id: uuid.UUID) -> list[LedgerRow] | None:
    """The customer's newest statement items over all its accounts, or None while statements are not installed."""
    with read_session(actor, Permission.INVOICES_READ) as session:
        item = optional_table(session, "statement_item")
        if item is None:
            return None
        c = item.c
        rows = session.execute(
            select(c.id, BillingAccount.name, c.occurred_on, c.description, c.kind, c.amount_cents, c.currency,
                   c.balance_after_cents)
            .join(BillingAccount, BillingAccount.id == c.billing_account_id)
            .where(BillingAccount.customer_id == customer_id)
            .order_by(c.occurred_on.desc(), c.sequence.desc()).limit(LIST_LIMIT)
        ).all()  # fmt: skip
        return [LedgerRow(*r[:4], str(r[4]), r[5], r[6], r[7]) for r in rows]


def _account(a: BillingAccount, users: int, open_invoices: int) -> AccountView:
    return AccountView(
        a.id, a.name, a.email, a.billing_email, a.currency, str(a.status), a.suspended_at, a.suspension_reason,
        a.closed_at, a.payment_terms_days, a.auto_collection, str(a.payment_method), a.tax_id, a.tax_id_type,
        dict(a.billing_address or {}), str(a.customer_tax_type), a.withhold_iss, a.withhold_ir, a.withhold_csrf,
        a.withhold_inss, a.iss_rate, a.iss_municipality_code, a.balance_cents, a.allowed_negative_balance_cents,
        a.mrr_amount_cents, int(users or 0), int(open_invoices or 0),
    )  # fmt: skip
