"""Contas: every billing account of the organization over millions of rows — filters, keyset paging by name.

The quick search reuses the Clientes search (name, document or e-mail prefix of the customer, or of an account's
e-mail) as `customer_id IN (...)`, plus the account's own document: each an index range. Pages are
`(name, id) > (last name, last id)` on ix_billing_account_org_name, never OFFSET."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, literal, or_, select, tuple_

from domain.access.permissions import Actor, Permission
from domain.billing_accounts.model import BillingAccount
from domain.customers.model import Customer
from domain.documents.tax_ids import search_key
from persistence.queries.common import Page, decode_cursor, encode_cursor, read_session
from persistence.queries.counting import count_within_budget
from persistence.queries.customers import MIN_DOCUMENT_PREFIX, Count, starts_with
from persistence.queries.customers import search_condition as customer_search

PAGE_SIZE = 50


@dataclass(frozen=True)
class AccountFilter:
    search: str = ""
    status: str | None = None
    tax_type: str | None = None
    balance: str | None = None  # debtor (< 0) | creditor (> 0)
    with_mrr: bool = False


@dataclass(frozen=True)
class AccountRow:
    id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str
    name: str
    email: str | None
    tax_id: str | None
    status: str
    customer_tax_type: str
    payment_method: str
    currency: str
    balance_cents: int
    mrr_cents: int


_COLUMNS = (
    BillingAccount.id, BillingAccount.customer_id, Customer.name.label("customer_name"), BillingAccount.name,
    func.coalesce(BillingAccount.billing_email, BillingAccount.email).label("email"), BillingAccount.tax_id,
    BillingAccount.status, BillingAccount.customer_tax_type, BillingAccount.payment_method, BillingAccount.currency,
    BillingAccount.balance_cents, BillingAccount.mrr_amount_cents,
)  # fmt: skip


def list_accounts(
    actor: Actor, filters: AccountFilter, *, cursor: str | None = None, limit: int = PAGE_SIZE
) -> Page[AccountRow]:
    with read_session(actor, Permission.BILLING_ACCOUNTS_READ) as session:
        statement = (
            select(*_COLUMNS).join(Customer, Customer.id == BillingAccount.customer_id).where(*conditions(filters))
        )
        after = decode_cursor(cursor)
        if after:
            bound = tuple_(literal(str(after[0]), BillingAccount.name.type),
                           literal(uuid.UUID(after[1]), BillingAccount.id.type))  # fmt: skip
            statement = statement.where(tuple_(BillingAccount.name, BillingAccount.id) > bound)
        rows = session.execute(statement.order_by(BillingAccount.name, BillingAccount.id).limit(limit + 1)).all()
        page = [AccountRow(*(str(v) if n in (6, 7, 8) else v for n, v in enumerate(r))) for r in rows[:limit]]
        next_cursor = encode_cursor([rows[limit - 1].name, str(rows[limit - 1].id)]) if len(rows) > limit else None
        return Page(rows=page, next_cursor=next_cursor)


def count_accounts(actor: Actor, filters: AccountFilter) -> Count:
    with read_session(actor, Permission.BILLING_ACCOUNTS_READ) as session:
        selected = select(BillingAccount.id).where(
            BillingAccount.organization_id == actor.organization_id, *conditions(filters)
        )
        return count_within_budget(session, selected)


def conditions(f: AccountFilter) -> list[Any]:
    where: list[Any] = [BillingAccount.deleted_at.is_(None)]
    typed = f.search.strip()
    if typed:
        of_customers = BillingAccount.customer_id.in_(select(Customer.id).where(customer_search(typed)))
        key = search_key(typed)
        if len(key) >= MIN_DOCUMENT_PREFIX and sum(ch.isdigit() for ch in key) >= MIN_DOCUMENT_PREFIX:
            where.append(or_(of_customers, starts_with(BillingAccount.tax_id, key)))
        else:
            where.append(of_customers)
    if f.status:
        where.append(BillingAccount.status == f.status)
    if f.tax_type:
        where.append(BillingAccount.customer_tax_type == f.tax_type)
    if f.balance == "debtor":
        where.append(BillingAccount.balance_cents < 0)
    elif f.balance == "creditor":
        where.append(BillingAccount.balance_cents > 0)
    if f.with_mrr:
        where.append(BillingAccount.mrr_amount_cents > 0)
    return where
