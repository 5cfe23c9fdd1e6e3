"""Clientes: the customer grid over millions of rows — filters, sorting and keyset paging, all index-backed.

Every page is `WHERE <filters> AND (sort, id) > (last sort, last id) ORDER BY sort, id LIMIT n`: the same cost on
page 1 and page 20,000 (never OFFSET). The quick search box is one of three index range scans, chosen by what was
typed: an e-mail prefix (customers and their accounts), a document prefix (masked or not, CPF/CNPJ/foreign), or a
name prefix (accents and case folded). Counting is exact when the database answers within COUNT_BUDGET_MS;
otherwise PostgreSQL's planner estimate is returned, flagged as such for the screen to show "≈".
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, exists, func, literal, or_, select, text, tuple_, union_all
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from domain.access.permissions import Actor, Permission
from domain.billing_accounts.model import BillingAccount
from domain.customers.model import Customer
from domain.documents.tax_ids import mask_document, search_key
from domain.text import fold
from persistence.queries.common import Page, decode_cursor, encode_cursor, read_session

PAGE_SIZE = 50
COUNT_BUDGET_MS = 200
ESTIMATE_ABOVE = 20_000  # rows the planner expects beyond which counting is not worth the wait
MIN_DOCUMENT_PREFIX = 3  # shorter digit strings match too many documents to be worth a search
# Sort key -> column (and how a cursor value read back from JSON becomes a value of that column again).
SORTS: dict[str, tuple[Any, Callable[[Any], Any]]] = {
    "name": (Customer.search_name, str),
    "document": (Customer.document_number, str),
    "created": (Customer.created_at, datetime.fromisoformat),
    "balance": (Customer.balance_cents, int),
    "mrr": (Customer.mrr_cents, int),
}


@dataclass(frozen=True)
class CustomerFilter:
    search: str = ""
    status: str | None = None
    kind: str | None = None
    uf: str | None = None
    city: str | None = None
    tag: str | None = None
    balance: str | None = None  # debtor (< 0) | creditor (> 0)
    open_invoices: bool = False


@dataclass(frozen=True)
class CustomerRow:
    id: uuid.UUID
    name: str
    legal_name: str | None
    kind: str
    document: str  # masked
    email: str | None
    city: str | None
    uf: str | None
    status: str
    accounts_count: int
    balance_cents: int
    mrr_cents: int
    open_invoices_count: int
    currency: str
    tags: list[str]


@dataclass(frozen=True)
class Count:
    value: int
    is_estimate: bool


def list_customers(
    actor: Actor, filters: CustomerFilter, *, sort: str = "name", descending: bool = False,
    cursor: str | None = None, limit: int = PAGE_SIZE,
) -> Page[CustomerRow]:  # fmt: skip
    """One page of live customers; `next_cursor` continues after its last row in the same order."""
    column, parse = SORTS.get(sort, SORTS["name"])
    with read_session(actor, Permission.CUSTOMERS_READ) as session:
        statement = select(*ROW_COLUMNS).where(*conditions(session, filters))
        after = decode_cursor(cursor)
        if after:
            key = tuple_(column, Customer.id)
            bound = tuple_(literal(parse(after[0]), column.type), literal(uuid.UUID(after[1]), Customer.id.type))
            statement = statement.where(key < bound if descending else key > bound)
        order = (column.desc(), Customer.id.desc()) if descending else (column, Customer.id)
        rows = session.execute(statement.order_by(*order).limit(limit + 1)).all()
        page = [as_row(r) for r in rows[:limit]]
        next_cursor = None
        if len(rows) > limit:
            last = rows[limit - 1]
            value = getattr(last, column.key)
            next_cursor = encode_cursor([value.isoformat() if isinstance(value, datetime) else value, str(last.id)])
        return Page(rows=page, next_cursor=next_cursor)


def count_customers(actor: Actor, filters: CustomerFilter) -> Count:
    """Exact when cheap; on PostgreSQL the planner's estimate when it expects many rows or counting takes too long."""
    with read_session(actor, Permission.CUSTOMERS_READ) as session:
        statement = select(func.count()).select_from(Customer).where(*conditions(session, filters))
        if session.get_bind().dialect.name != "postgresql":
            return Count(session.scalar(statement) or 0, False)
        estimate = _estimate(session, filters)
        if estimate > ESTIMATE_ABOVE:
            return Count(estimate, True)
        try:
            session.execute(text(f"SET LOCAL statement_timeout = {COUNT_BUDGET_MS}"))
            return Count(session.scalar(statement) or 0, False)
        except OperationalError:  # QueryCanceled: too many rows to count now
            session.rollback()
        return Count(estimate, True)


def cities(actor: Actor, uf: str) -> list[str]:
    """The cities of one UF that customers live in, for the city filter (index range on (org, uf, city))."""
    with read_session(actor, Permission.CUSTOMERS_READ) as session:
        statement = select(Customer.city).where(Customer.uf == uf, Customer.city.is_not(None)).distinct()
        return sorted(session.scalars(statement), key=fold)


def conditions(session: Session, f: CustomerFilter) -> list[Any]:
    """The WHERE of the grid (and of its count, and of bulk actions over the same selection)."""
    where: list[Any] = [Customer.deleted_at.is_(None)]
    if f.search.strip():
        where.append(search_condition(f.search.strip()))
    if f.status:
        where.append(Customer.status == f.status)
    if f.kind:
        where.append(Customer.kind == f.kind)
    if f.uf:
        where.append(Customer.uf == f.uf)
    if f.city:
        where.append(Customer.city == f.city)
    if f.tag and f.tag.strip():
        where.append(_has_tag(session, f.tag.strip().lower()))
    if f.balance == "debtor":
        where.append(Customer.balance_cents < 0)
    elif f.balance == "creditor":
        where.append(Customer.balance_cents > 0)
    if f.open_invoices:
        where.append(Customer.open_invoices_count > 0)
    return where


def search_condition(typed: str) -> Any:
    """E-mail prefix, else document prefix (when the text has digits) or name prefix.

    E-mails go through `id IN (… UNION ALL …)` so that each part stays an index range and the customer rows are then
    fetched by primary key; an OR with a subquery would make PostgreSQL filter the whole table instead."""
    by_name = starts_with(Customer.search_name, fold(typed))
    if "@" in typed:
        return Customer.id.in_(union_all(*_by_email(typed.lower())))
    key = search_key(typed)
    if len(key) >= MIN_DOCUMENT_PREFIX and sum(ch.isdigit() for ch in key) >= MIN_DOCUMENT_PREFIX:
        return or_(starts_with(Customer.document_number, key), by_name)
    if " " not in typed and ("." in typed or "_" in typed):  # "financeiro.acme": the start of an e-mail, or a name
        return Customer.id.in_(union_all(select(Customer.id).where(by_name), *_by_email(typed.lower())))
    return by_name


def _by_email(prefix: str) -> list[Select]:
    """Customers whose e-mail, or one of whose accounts' e-mail (a branch's), starts with the prefix."""
    return [
        select(Customer.id).where(starts_with(Customer.primary_email, prefix)),
        select(BillingAccount.customer_id).where(
            starts_with(BillingAccount.email, prefix), BillingAccount.deleted_at.is_(None)
        ),
    ]


def starts_with(column: Any, prefix: str) -> Any:
    """`prefix <= column < next prefix`: a plain index range on both databases.

    NOTE: not LIKE: PostgreSQL uses no index for LIKE ... ESCAPE, and SQLite none for LIKE at all (it is
    case-insensitive there). The range equals a prefix match under byte-order collations (SQLite's BINARY, the
    C/C.UTF-8 PostgreSQL databases are created with); keys are folded to lower-case ASCII before they get here."""
    return and_(column >= prefix, column < prefix[:-1] + chr(ord(prefix[-1]) + 1))


def _has_tag(session: Session, tag: str) -> Any:
    # NOTE: on PostgreSQL `@>` uses ix_customer_tags_gin (declared by the segments area, domain/segments/model.py).
    if session.get_bind().dialect.name == "postgresql":
        return Customer.tags.op("@>")(func.jsonb_build_array(tag))
    each = func.json_each(Customer.tags).table_valued("value")
    return exists(select(literal(1)).select_from(each).where(each.c.value == tag))


def _estimate(session: Session, filters: CustomerFilter) -> int:
    """The planner's row estimate for the filtered scan (well under a millisecond), rounded to 3 digits."""
    statement: Select = select(Customer.id).where(
        Customer.organization_id == session.info["organization_id"], *conditions(session, filters)
    )
    compiled = statement.compile(dialect=session.get_bind().dialect)
    plan = session.connection().exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params).scalar()
    rows = int((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"])
    digits = max(len(str(rows)) - 3, 0)
    return round(rows, -digits)


ROW_COLUMNS = (
    Customer.id, Customer.name, Customer.legal_name, Customer.kind, Customer.document_type, Customer.document_number,
    Customer.primary_email, Customer.city, Customer.uf, Customer.status, Customer.accounts_count,
    Customer.balance_cents, Customer.mrr_cents, Customer.open_invoices_count, Customer.preferred_currency,
    Customer.tags, Customer.search_name, Customer.created_at,
)  # fmt: skip


def as_row(r: Any) -> CustomerRow:
    return CustomerRow(
        id=r.id, name=r.name, legal_name=r.legal_name, kind=str(r.kind), email=r.primary_email,
        document=mask_document(r.document_type, r.document_number), city=r.city, uf=r.uf, status=str(r.status),
        accounts_count=r.accounts_count, balance_cents=r.balance_cents, mrr_cents=r.mrr_cents,
        open_invoices_count=r.open_invoices_count, currency=r.preferred_currency, tags=list(r.tags or []),
    )  # fmt: skip
