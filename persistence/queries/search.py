"""The global search box: customers and billing accounts by name prefix, document (masked or not) or e-mail."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import or_, select

from domain.access.permissions import Actor, Permission
from domain.billing_accounts.model import BillingAccount
from domain.customers.model import Customer
from domain.text import fold, only_alnum
from persistence.queries.common import read_session


@dataclass(frozen=True)
class SearchHit:
    kind: str  # customer | account
    id: uuid.UUID
    customer_id: uuid.UUID
    title: str
    subtitle: str


def search(actor: Actor, query: str, *, limit: int = 20) -> list[SearchHit]:
    """Index-backed lookups only: a name prefix, an exact normalized document, an exact e-mail."""
    text = query.strip()
    if len(text) < 2:
        return []
    hits: list[SearchHit] = []
    with read_session(actor, Permission.CUSTOMERS_READ) as session:
        document, email, name = only_alnum(text), text.lower(), fold(text)
        conditions = [Customer.search_name.startswith(name, autoescape=True)]
        if len(document) >= 5:
            conditions.append(Customer.document_number == document)
        if "@" in email:
            conditions.append(Customer.primary_email == email)
        customers = session.execute(
            select(Customer.id, Customer.name, Customer.document_number, Customer.city, Customer.uf)
            .where(Customer.deleted_at.is_(None), or_(*conditions))
            .order_by(Customer.search_name)
            .limit(limit)
        )
        for row in customers:
            place = f" · {row.city}/{row.uf}" if row.city else ""
            hits.append(SearchHit("customer", row.id, row.id, row.name, f"{row.document_number}{place}"))
        if actor.can(Permission.BILLING_ACCOUNTS_READ):
            account_conditions = [BillingAccount.name.startswith(text, autoescape=True)]
            if "@" in email:
                account_conditions.append(BillingAccount.email == email)
            accounts = session.execute(
                select(BillingAccount.id, BillingAccount.customer_id, BillingAccount.name, BillingAccount.email)
                .where(BillingAccount.deleted_at.is_(None), or_(*account_conditions))
                .limit(limit)
            )
            for row in accounts:
                hits.append(SearchHit("account", row.id, row.customer_id, row.name, row.email or ""))
    return hits
