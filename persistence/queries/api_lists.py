"""Read views of the REST API: one entity by id and filtered, numbered pages of entities, within the actor's
organization and permission.

Pages are `ORDER BY <unique key> LIMIT n OFFSET m` on an index that leads with the organization (the key is the
UUIDv7 id, i.e. creation order, or a statement item's sequence), so a moderate page is an index range; the API caps
number × size and offers the keyset cursor `page[after]` (`WHERE key > after`) for walking further at constant cost.
Totals come from counting.py: exact when cheap, PostgreSQL's estimate when the selection is huge.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy import and_, exists, literal, select
from sqlalchemy.orm import selectinload

from domain.access.permissions import Actor, Permission
from domain.billing_accounts.model import BillingAccount
from domain.customers.model import Customer
from domain.errors import BillingError, NotFound
from domain.invoices.model import Invoice, InvoiceStatus
from domain.portal_users.model import PortalUser
from domain.statements.model import StatementItem
from domain.subscriptions.model import Plan, PlanInterval, Subscription, SubscriptionStatus
from persistence.queries.common import read_session
from persistence.queries.counting import count_within_budget
from persistence.queries.customers import ROW_COLUMNS, Count, CustomerRow, as_row  # NOTE: the Clientes row shape
from persistence.queries.segments import selection

T = TypeVar("T")


@dataclass(frozen=True)
class PageRequest:
    number: int = 1
    size: int = 25
    after: str | None = None  # keyset cursor: the last key of the previous page


@dataclass
class ListPage(Generic[T]):
    rows: list[T]
    total: Count
    next_after: str | None  # the cursor of the next page, None on the last one


def get_entity(
    actor: Actor,
    permission: Permission,
    model: Any,
    entity_id: uuid.UUID,
    label: str,
    *,
    options: tuple = (),
) -> Any:
    """One row of the actor's organization; another organization's row (or a soft-deleted one) is not found."""
    live = [model.deleted_at.is_(None)] if hasattr(model, "deleted_at") else []
    with read_session(actor, permission) as session:
        statement = select(model).where(model.id == entity_id, *live)
        found = session.scalars(statement.options(*options)).unique().one_or_none()
        if found is None:
            raise NotFound(label, entity_id)
        return found


def list_entities(
    actor: Actor,
    permission: Permission,
    model: Any,
    conditions: list[Any],
    page: PageRequest,
    *,
    key: Any = None,
    options: tuple = (),
) -> ListPage[Any]:
    """A numbered page (or the page after a cursor) of `model` rows matching `conditions`, by `key` (default: id)."""
    key = key if key is not None else model.id
    where = [model.organization_id == actor.organization_id, *conditions]
    with read_session(actor, permission) as session:
        total = count_within_budget(session, select(model.id).where(*where))
        statement = _window(select(model).where(*where).options(*options), key, page)
        rows = list(session.scalars(statement).unique())
        return ListPage(rows[: page.size], total, _next_after(rows, key, page))


def _window(statement: Any, key: Any, page: PageRequest) -> Any:
    """The page's rows by `key` (after the cursor, or at the page's offset), plus one to tell if another follows."""
    if page.after is not None:
        statement = statement.where(key > _cursor_value(key, page.after))
    else:
        statement = statement.offset((page.number - 1) * page.size)
    return statement.order_by(key).limit(page.size + 1)


def _next_after(rows: list[Any], key: Any, page: PageRequest) -> str | None:
    return str(getattr(rows[page.size - 1], key.key)) if len(rows) > page.size else None


class InvalidCursor(BillingError):
    code = "invalid_cursor"
    http_status = 400

    def __init__(self) -> None:
        super().__init__("Cursor page[after] inválido: use o valor de links.next.", field="page[after]")


def _cursor_value(key: Any, raw: str) -> Any:
    """A cursor is the key's text (a UUID or a sequence number)."""
    python_type = key.type.python_type
    try:
        return uuid.UUID(raw) if python_type is uuid.UUID else python_type(raw)
    except (ValueError, TypeError) as error:
        raise InvalidCursor() from error


# --- Filters of each resource -----------------------------------------------------------------------------------------


def customer_conditions(
    *,
    status: str | None = None,
    kind: str | None = None,
    external_id: str | None = None,
    document_number: str | None = None,
    email: str | None = None,
) -> list[Any]:
    where: list[Any] = [Customer.deleted_at.is_(None)]
    if status:
        where.append(Customer.status == status)
    if kind:
        where.append(Customer.kind == kind)
    if external_id:
        where.append(Customer.external_id == external_id)
    if document_number:
        where.append(Customer.document_number == "".join(ch for ch in document_number.upper() if ch.isalnum()))
    if email:
        where.append(Customer.primary_email == email.strip().lower())
    return where


def account_conditions(
    *, status: str | None = None, customer_id: uuid.UUID | None = None, email: str | None = None
) -> list[Any]:
    where: list[Any] = [BillingAccount.deleted_at.is_(None)]
    if status:
        where.append(BillingAccount.status == status)
    if customer_id:
        where.append(BillingAccount.customer_id == customer_id)
    if email:
        where.append(BillingAccount.email == email.strip().lower())
    return where


def portal_user_conditions(
    *,
    status: str | None = None,
    customer_id: uuid.UUID | None = None,
    billing_account_id: uuid.UUID | None = None,
    email: str | None = None,
) -> list[Any]:
    where: list[Any] = []
    if status:
        where.append(PortalUser.status == status)
    if customer_id:
        where.append(PortalUser.customer_id == customer_id)
    if billing_account_id:
        where.append(PortalUser.billing_account_id == billing_account_id)
    if email:
        where.append(PortalUser.email == email.strip().lower())
    return where


def invoice_conditions(
    *,
    status: str | None = None,
    customer_id: uuid.UUID | None = None,
    billing_account_id: uuid.UUID | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
    number: str | None = None,
) -> list[Any]:
    where: list[Any] = []
    if status:
        where.append(Invoice.status == InvoiceStatus(status))
    if customer_id:
        where.append(Invoice.customer_id == customer_id)
    if billing_account_id:
        where.append(Invoice.billing_account_id == billing_account_id)
    if due_from:
        where.append(Invoice.due_on >= due_from)
    if due_to:
        where.append(Invoice.due_on <= due_to)
    if number:
        where.append(Invoice.number == number.strip().upper())
    return where


INVOICE_WITH_LINES = (selectinload(Invoice.lines),)


def statement_conditions(
    *,
    billing_account_id: uuid.UUID | None = None,
    customer_id: uuid.UUID | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[Any]:
    where: list[Any] = []
    if billing_account_id:
        where.append(StatementItem.billing_account_id == billing_account_id)
    if customer_id:  # through the accounts, so the (billing_account_id, occurred_on, sequence) index serves it
        accounts = select(BillingAccount.id).where(BillingAccount.customer_id == customer_id)
        where.append(StatementItem.billing_account_id.in_(accounts))
    if date_from:
        where.append(StatementItem.occurred_on >= date_from)
    if date_to:
        where.append(StatementItem.occurred_on <= date_to)
    return where


def subscription_conditions(
    *,
    status: str | None = None,
    billing_account_id: uuid.UUID | None = None,
    customer_id: uuid.UUID | None = None,
    plan_id: uuid.UUID | None = None,
) -> list[Any]:
    where: list[Any] = []
    if status:
        where.append(Subscription.status == SubscriptionStatus(status))
    if billing_account_id:
        where.append(Subscription.billing_account_id == billing_account_id)
    if customer_id:
        where.append(Subscription.customer_id == customer_id)
    if plan_id:
        where.append(Subscription.plan_id == plan_id)
    return where


def plan_conditions(*, is_active: bool | None = None, interval: str | None = None) -> list[Any]:
    where: list[Any] = []
    if is_active is not None:
        where.append(Plan.is_active.is_(is_active))
    if interval:
        where.append(Plan.interval == PlanInterval(interval))
    return where


def require_account(actor: Actor, account_id: uuid.UUID) -> None:
    """Statement items are listed per account: an unknown (or another organization's) account is a 404."""
    with read_session(actor, Permission.INVOICES_READ) as session:
        found = session.scalar(
            select(literal(1)).where(
                exists().where(
                    and_(BillingAccount.id == account_id, BillingAccount.organization_id == actor.organization_id)
                )
            )
        )
        if not found:
            raise NotFound("Conta de faturamento", account_id)


def segment_customers(actor: Actor, tree: dict[str, Any], page: PageRequest) -> ListPage[CustomerRow]:
    """The customers a saved view selects, numbered pages by id (or after a cursor), with the selection's count."""
    with read_session(actor, Permission.SEGMENTS_READ) as session:
        actor.require(Permission.CUSTOMERS_READ)
        where = selection(session, tree)
        total = count_within_budget(session, select(Customer.id).where(*where))
        rows = session.execute(_window(select(*ROW_COLUMNS).where(*where), Customer.id, page)).all()
        return ListPage([as_row(r) for r in rows[: page.size]], total, _next_after(rows, Customer.id, page))
