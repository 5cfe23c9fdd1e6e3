"""Segments: the filter tree compiled to ONE SQL condition over customers, and the pages and counts it selects.

Nothing is filtered in Python. Customer fields are columns of the customer row; billing-account fields are EXISTS
subqueries over the customer's live accounts ("not"/"none of" become NOT EXISTS: no account is like that); invoice
fields are EXISTS/COUNT over open invoices (only when the invoices area is installed). Tags and custom data use the
JSONB operators on PostgreSQL (GIN indexes of migration 0004) and json_each / json_extract on SQLite, with the same
results. Name conditions run on the folded `search_name` (a trigram index serves "contains" on PostgreSQL).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ARRAY, Text, and_, bindparam, exists, false, func, literal, not_, or_, select, true, tuple_
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from domain.access.permissions import Actor, Permission
from domain.base import Base
from domain.billing_accounts.model import BillingAccount
from domain.calendar import DEFAULT_TIMEZONE
from domain.customers.model import Customer
from domain.organizations.model import Organization
from domain.segments.fields import Cmp, FieldType, Source, field_catalogue
from domain.segments.model import DEFAULT_SORT
from domain.segments.tree import validate_tree
from persistence.queries.common import Page, decode_cursor, encode_cursor, read_session
from persistence.queries.counting import count_within_budget
from persistence.queries.customers import ROW_COLUMNS, SORTS, Count, CustomerRow, as_row  # NOTE: Clientes' rows

PAGE_SIZE = 50
OPEN = "open"  # NOTE: InvoiceStatus.OPEN of the invoices area
# Sort key -> (column, how a cursor value read back from JSON becomes a column value, whether it may be NULL).
SORT_KEYS: dict[str, tuple[Any, Callable[[Any], Any], bool]] = {
    **{key: (column, parse, False) for key, (column, parse) in SORTS.items()},
    "uf": (Customer.uf, str, True),
    "city": (Customer.city, str, True),
}
CUSTOMER_COLUMNS: dict[str, Any] = {
    "status": Customer.status, "kind": Customer.kind, "customer_type": Customer.customer_type,
    "document_type": Customer.document_type, "name": Customer.search_name, "document": Customer.document_number,
    "email": Customer.primary_email, "city": Customer.city, "uf": Customer.uf, "ibge_code": Customer.ibge_code,
    "created": Customer.created_at, "balance": Customer.balance_cents, "mrr": Customer.mrr_cents,
    "accounts_count": Customer.accounts_count, "open_invoices": Customer.open_invoices_count,
}  # fmt: skip
ACCOUNT_COLUMNS: dict[str, Any] = {
    "account_status": BillingAccount.status, "account_payment_method": BillingAccount.payment_method,
    "account_tax_type": BillingAccount.customer_tax_type, "account_auto_collection": BillingAccount.auto_collection,
    "account_currency": BillingAccount.currency, "account_email": BillingAccount.email,
    "account_balance": BillingAccount.balance_cents, "account_payment_terms": BillingAccount.payment_terms_days,
}  # fmt: skip
# Stored already folded/normalized, so comparisons need no lower() (and keep their indexes).
NORMALIZED = {"name", "document", "email", "account_email", "account_currency"}
NULLABLE = {"email", "city", "uf", "ibge_code", "account_email"}


def list_segment(
    actor: Actor, tree: dict[str, Any], *, sort: dict[str, Any] | None = None, cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> Page[CustomerRow]:  # fmt: skip
    """One page of the customers a segment selects, keyset-paged in the chosen order (the Clientes row shape)."""
    sort = sort or DEFAULT_SORT
    column, parse, nullable = SORT_KEYS.get(sort.get("key"), SORT_KEYS["name"])
    descending = bool(sort.get("descending"))
    with read_session(actor, Permission.SEGMENTS_READ) as session:
        actor.require(Permission.CUSTOMERS_READ)
        statement = select(*ROW_COLUMNS).where(*selection(session, tree))
        after = decode_cursor(cursor)
        if after:
            statement = statement.where(_after(column, parse, nullable, descending, after))
        ordered = column.desc() if descending else column.asc()
        statement = statement.order_by(ordered.nulls_last() if nullable else ordered,
                                       Customer.id.desc() if descending else Customer.id)  # fmt: skip
        rows = session.execute(statement.limit(limit + 1)).all()
        next_cursor = None
        if len(rows) > limit:
            value = getattr(rows[limit - 1], column.key)
            value = value.isoformat() if isinstance(value, datetime) else value
            next_cursor = encode_cursor([value, str(rows[limit - 1].id)])
        return Page(rows=[as_row(r) for r in rows[:limit]], next_cursor=next_cursor)


def count_segment(actor: Actor, tree: dict[str, Any]) -> Count:
    """Exact when the database answers in time; on PostgreSQL past the budget, the planner's estimate (shown "≈")."""
    with read_session(actor, Permission.SEGMENTS_READ) as session:
        where = selection(session, tree)
        return count_within_budget(session, select(Customer.id).where(*where))


def selected_ids(actor: Actor, tree: dict[str, Any], *, batch: int = 1000) -> Iterator[list[uuid.UUID]]:
    """The ids a segment selects, in batches (keyset by id), each batch read in its own short session."""
    after: uuid.UUID | None = None
    while True:
        with read_session(actor, Permission.SEGMENTS_READ) as session:
            statement = select(Customer.id).where(*selection(session, tree))
            if after is not None:
                statement = statement.where(Customer.id > after)
            ids = list(session.scalars(statement.order_by(Customer.id).limit(batch)))
        if not ids:
            return
        yield ids
        after = ids[-1]


def selection(session: Session, tree: dict[str, Any]) -> list[Any]:
    """The WHERE of a (re)validated tree: live customers of the session's organization matching it."""
    today, tz = business_calendar(session)
    condition = compile_tree(validate_tree(tree), dialect=session.get_bind().dialect.name, today=today, tz=tz)
    return [Customer.organization_id == session.info["organization_id"], Customer.deleted_at.is_(None), condition]


def business_calendar(session: Session) -> tuple[date, ZoneInfo]:
    """The organization's "today" and timezone: due dates and "created on" days are calendar days there."""
    name = session.scalar(select(Organization.timezone).where(Organization.id == session.info["organization_id"]))
    tz = ZoneInfo(name or DEFAULT_TIMEZONE)
    return datetime.now(tz).date(), tz


def compile_tree(tree: dict[str, Any], *, dialect: str, today: date, tz: ZoneInfo) -> Any:
    """A validated tree as one boolean SQL expression over Customer."""
    return _Compiler(dialect == "postgresql", today, tz).group(tree)


class _Compiler:
    def __init__(self, postgres: bool, today: date, tz: ZoneInfo) -> None:
        self.postgres, self.today, self.tz = postgres, today, tz
        self.catalogue = field_catalogue()

    def group(self, node: dict[str, Any]) -> Any:
        parts = [self.group(c) if "op" in c else self.condition(c) for c in node.get("children", [])]
        if not parts:
            return true()
        return and_(*parts) if node["op"] == "and" else or_(*parts)

    def condition(self, node: dict[str, Any]) -> Any:
        spec, cmp, value = self.catalogue[node["field"]], Cmp(node["cmp"]), node["value"]
        if spec.source is Source.ACCOUNT:
            return self.account(spec.key, spec.type, cmp, value)
        if spec.source is Source.INVOICE:
            return self.invoice(spec.key, cmp, value)
        if spec.type is FieldType.TAGS:
            return self.tags(cmp, value)
        if spec.type is FieldType.KEY_VALUE:
            return self.custom_data(cmp, value)
        if spec.type is FieldType.DATE:
            return self.day(CUSTOMER_COLUMNS[spec.key], cmp, value)
        return scalar(CUSTOMER_COLUMNS[spec.key], cmp, value, normalized=spec.key in NORMALIZED,
                      nullable=spec.key in NULLABLE)  # fmt: skip

    def account(self, key: str, field_type: FieldType, cmp: Cmp, value: Any) -> Any:
        # "Conta: situação não é Suspensa" = no live account is suspended (NOT EXISTS of the positive form).
        negated = {Cmp.NE: Cmp.EQ, Cmp.NOT_IN: Cmp.IN}.get(cmp)
        inner = scalar(ACCOUNT_COLUMNS[key], negated or cmp, value, normalized=key in NORMALIZED, nullable=False)
        found = exists().where(BillingAccount.customer_id == Customer.id, BillingAccount.deleted_at.is_(None), inner)
        return not_(found) if negated else found

    def tags(self, cmp: Cmp, values: list[str] | None) -> Any:
        if cmp in (Cmp.IS_SET, Cmp.IS_NOT_SET):
            length = (func.jsonb_array_length if self.postgres else func.json_array_length)(Customer.tags)
            return length > 0 if cmp is Cmp.IS_SET else length == 0
        values = values or []
        if self.postgres:
            array = bindparam(None, values, type_=ARRAY(Text))
            found = Customer.tags.op("?&" if cmp is Cmp.ALL else "?|", is_comparison=True)(array)
            return not_(found) if cmp is Cmp.NONE else found
        each = func.json_each(Customer.tags).table_valued("value")
        if cmp is Cmp.ALL:
            matched = select(func.count(func.distinct(each.c.value))).where(each.c.value.in_(values))
            return matched.scalar_subquery() == len(values)
        found = exists(select(literal(1)).select_from(each).where(each.c.value.in_(values)))
        return not_(found) if cmp is Cmp.NONE else found

    def custom_data(self, cmp: Cmp, value: dict[str, Any]) -> Any:
        key = value["key"]  # validated: letters, digits, _ . - only, so it is safe inside a JSON path
        if self.postgres:
            if cmp is Cmp.HAS_KEY:
                return Customer.custom_data.op("?", is_comparison=True)(bindparam(None, key, type_=Text))
            contained = bindparam(None, {key: value["value"]}, type_=JSONB)
            return Customer.custom_data.op("@>", is_comparison=True)(contained)
        path = f'$."{key}"'
        if cmp is Cmp.HAS_KEY:
            return func.json_type(Customer.custom_data, path).is_not(None)
        # json_extract gives SQL values (true -> 1): typed like the stored JSON, as PostgreSQL's containment is.
        return and_(func.json_type(Customer.custom_data, path).in_(_json_types(value["value"])),
                    func.json_extract(Customer.custom_data, path) == value["value"])  # fmt: skip

    def day(self, column: Any, cmp: Cmp, value: Any) -> Any:
        start = self.start_of
        if cmp is Cmp.LAST_DAYS:
            return column >= start(self.today - timedelta(days=int(value) - 1))
        if cmp is Cmp.BETWEEN:
            low, high = (date.fromisoformat(v) for v in value)
            return and_(column >= start(low), column < start(high + timedelta(days=1)))
        day = date.fromisoformat(value)
        if cmp is Cmp.LT:
            return column < start(day)
        if cmp is Cmp.GT:
            return column >= start(day + timedelta(days=1))
        return and_(column >= start(day), column < start(day + timedelta(days=1)))

    def start_of(self, day: date) -> datetime:
        return datetime.combine(day, time(0), self.tz).astimezone(UTC)

    def invoice(self, key: str, cmp: Cmp, value: Any) -> Any:
        invoice = Base.metadata.tables["invoice"]
        base = (invoice.c.customer_id == Customer.id, invoice.c.organization_id == Customer.organization_id,
                invoice.c.status == OPEN)  # fmt: skip
        if key == "due_within_days":  # an open invoice falls due between today and today + N
            return exists().where(*base, invoice.c.due_on >= self.today,
                                  invoice.c.due_on <= self.today + timedelta(days=int(value)))  # fmt: skip
        if key == "days_overdue":
            return self.days_overdue(base, invoice.c.due_on, cmp, value)
        overdue = (*base, invoice.c.due_on < self.today)
        if (cmp is Cmp.GTE and value == 1) or (cmp is Cmp.GT and value == 0):
            return exists().where(*overdue)
        if (cmp is Cmp.EQ and value == 0) or (cmp is Cmp.LT and value == 1) or (cmp is Cmp.LTE and value == 0):
            return not_(exists().where(*overdue))
        counted = select(func.count()).select_from(invoice).where(*overdue).scalar_subquery()
        return scalar(counted, cmp, value, normalized=True, nullable=False)

    def days_overdue(self, base: tuple, due_on: Any, cmp: Cmp, value: Any) -> Any:
        """Days the oldest open invoice is overdue (0 when none is): each bound is one (NOT) EXISTS."""

        def at_least(days: int) -> Any:
            return exists().where(*base, due_on <= self.today - timedelta(days=days)) if days > 0 else true()

        def at_most(days: int) -> Any:
            return not_(exists().where(*base, due_on < self.today - timedelta(days=days))) if days >= 0 else false()

        if cmp is Cmp.BETWEEN:
            return and_(at_least(value[0]), at_most(value[1]))
        return {Cmp.GTE: lambda: at_least(value), Cmp.GT: lambda: at_least(value + 1),
                Cmp.LTE: lambda: at_most(value), Cmp.LT: lambda: at_most(value - 1)}[cmp]()  # fmt: skip


def scalar(column: Any, cmp: Cmp, value: Any, *, normalized: bool, nullable: bool) -> Any:
    """A comparison on one column. Free text compares case-insensitively (lower() on both sides, both databases)."""
    text = column if normalized else func.lower(column)
    needle = value if normalized or not isinstance(value, str) else value.lower()
    missing = or_(column.is_(None), column == "") if nullable else false()
    match cmp:
        case Cmp.EQ:
            return column == value
        case Cmp.NE:
            return or_(column.is_(None), column != value) if nullable else column != value
        case Cmp.IN:
            return column.in_(value)
        case Cmp.NOT_IN:
            return or_(column.is_(None), column.not_in(value)) if nullable else column.not_in(value)
        case Cmp.CONTAINS:
            return text.contains(needle, autoescape=True)
        case Cmp.STARTS_WITH:
            return text.startswith(needle, autoescape=True)
        case Cmp.GT:
            return column > value
        case Cmp.GTE:
            return column >= value
        case Cmp.LT:
            return column < value
        case Cmp.LTE:
            return column <= value
        case Cmp.BETWEEN:
            return column.between(value[0], value[1])
        case Cmp.IS_SET:
            return not_(missing)
        case Cmp.IS_NOT_SET:
            return missing
    raise ValueError(f"comparator {cmp} on a scalar column")


def _after(column: Any, parse: Callable[[Any], Any], nullable: bool, descending: bool, after: list[Any]) -> Any:
    """Rows after the cursor in (column, id) order; NULLs of a nullable column come last in both directions."""
    last_id = uuid.UUID(after[1])

    def beyond(a: Any, b: Any) -> Any:
        return a < b if descending else a > b

    if not nullable:
        key = tuple_(column, Customer.id)
        bound = tuple_(literal(parse(after[0]), column.type), literal(last_id, Customer.id.type))
        return beyond(key, bound)
    if after[0] is None:
        return and_(column.is_(None), beyond(Customer.id, last_id))
    value = parse(after[0])
    return or_(beyond(column, value), and_(column == value, beyond(Customer.id, last_id)), column.is_(None))


def _json_types(value: Any) -> tuple[str, ...]:
    """SQLite's json_type names for a value: a string never equals a number, nor true equals 1."""
    if isinstance(value, bool):
        return ("true",) if value else ("false",)
    return ("integer", "real") if isinstance(value, int | float) else ("text",)
