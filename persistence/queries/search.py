"""The global search box: customers and billing accounts by name, document (masked or not) or e-mail.

Customers are found exactly as the Clientes grid's quick search finds them (persistence/queries/customers.py);
accounts by e-mail prefix, document (tax id) prefix, or name prefix. Every lookup is an index range.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import or_, select

from domain.access.permissions import Actor, Permission
from domain.billing_accounts.model import BillingAccount
from domain.customers.model import Customer
from domain.documents.tax_ids import mask_document, search_key
from persistence.queries.common import read_session
from persistence.queries.customers import MIN_DOCUMENT_PREFIX, CustomerFilter, list_customers, starts_with


@dataclass(frozen=True)
class SearchHit:
    kind: str  # customer | account
    id: uuid.UUID
    customer_id: uuid.UUID
    title: str
    subtitle: str


def search(actor: Actor, query: str, *, limit: int = 20) -> list[SearchHit]:
    """Customers first (the grid's quick search), then accounts; at most `limit` of each."""
    text = query.strip()
    if len(text) < 2:
        return []
    hits = []
    for row in list_customers(actor, CustomerFilter(search=text), limit=limit).rows:
        place = f" · {row.city}/{row.uf}" if row.city and row.uf else ""
        hits.append(SearchHit("customer", row.id, row.id, row.name, f"{row.document}{place}"))
    if actor.can(Permission.BILLING_ACCOUNTS_READ):
        hits.extend(_accounts(actor, text, limit))
    return hits


def _accounts(actor: Actor, text: str, limit: int) -> list[SearchHit]:
    """By e-mail prefix; by document prefix; by name prefix as typed or capitalized ("filial" finds "Filial RJ")."""
    if "@" in text:
        condition = starts_with(BillingAccount.email, text.lower())
    else:
        names = {text, text[:1].upper() + text[1:]}
        condition = or_(*(starts_with(BillingAccount.name, name) for name in names))
        key = search_key(text)
        if sum(ch.isdigit() for ch in key) >= MIN_DOCUMENT_PREFIX:
            condition = or_(condition, starts_with(BillingAccount.tax_id, key))
    with read_session(actor, Permission.BILLING_ACCOUNTS_READ) as session:
        rows = session.execute(
            select(BillingAccount.id, BillingAccount.customer_id, BillingAccount.name, BillingAccount.email,
                   BillingAccount.tax_id, BillingAccount.tax_id_type, Customer.name.label("customer_name"))
            .join(Customer, Customer.id == BillingAccount.customer_id)
            .where(condition, BillingAccount.deleted_at.is_(None), Customer.deleted_at.is_(None))
            .limit(limit)
        ).all()  # fmt: skip
    hits = []
    for r in rows:
        document = mask_document(r.tax_id_type, r.tax_id) if r.tax_id and r.tax_id_type else ""
        details = " · ".join(p for p in (r.email, document) if p)
        hits.append(SearchHit("account", r.id, r.customer_id, f"{r.name} — {r.customer_name}", details))
    return hits
