"""Read views of invoices: the Faturas grid (filters, totals of the filtered set), one invoice in full, the editor's
context and the account picker."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from domain.access.permissions import Actor, Permission
from domain.billing_accounts.model import AccountStatus, BillingAccount
from domain.calendar import today_in
from domain.catalog.model import ServiceItem, TaxRule
from domain.coupons.model import Coupon
from domain.customers.model import Customer
from domain.errors import NotFound
from domain.invoices.model import Invoice, InvoiceAction, InvoiceLine, InvoiceStatus
from domain.organizations.model import Organization
from domain.payments.model import Payment
from domain.statements.model import StatementItem
from domain.text import fold, only_alnum
from persistence.queries.common import Page, read_session

SORTS = {
    "due_on": Invoice.due_on,
    "number": Invoice.number,
    "total": Invoice.total_cents,
    "issued_on": Invoice.issued_on,
    "created": Invoice.created_at,
}


@dataclass(frozen=True)
class InvoiceFilter:
    statuses: tuple[str, ...] = ()
    due_from: date | None = None
    due_to: date | None = None
    billing_account_id: uuid.UUID | None = None
    customer_id: uuid.UUID | None = None
    customer_query: str | None = None  # name prefix or document digits
    account_query: str | None = None  # account name prefix
    number: str | None = None
    overdue: bool = False  # open and past due (on `today`)
    amount_min_cents: int | None = None
    amount_max_cents: int | None = None
    finalized_only: bool = False
    today: date | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: a background job keeps the filter it was asked for."""
        data = asdict(self)
        data["statuses"] = list(self.statuses)
        for key in ("due_from", "due_to", "today"):
            data[key] = data[key].isoformat() if data[key] else None
        for key in ("billing_account_id", "customer_id"):
            data[key] = str(data[key]) if data[key] else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InvoiceFilter:
        values = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        values["statuses"] = tuple(values.get("statuses") or ())
        for key in ("due_from", "due_to", "today"):
            if isinstance(values.get(key), str):
                values[key] = date.fromisoformat(values[key])
        for key in ("billing_account_id", "customer_id"):
            if isinstance(values.get(key), str):
                values[key] = uuid.UUID(values[key])
        return cls(**values)


def filter_conditions(f: InvoiceFilter) -> list[Any]:
    conditions: list[Any] = []
    if f.statuses:
        conditions.append(Invoice.status.in_([InvoiceStatus(s) for s in f.statuses]))
    if f.finalized_only:
        conditions.append(Invoice.status != InvoiceStatus.DRAFT)
    if f.due_from:
        conditions.append(Invoice.due_on >= f.due_from)
    if f.due_to:
        conditions.append(Invoice.due_on <= f.due_to)
    if f.billing_account_id:
        conditions.append(Invoice.billing_account_id == f.billing_account_id)
    if f.customer_id:
        conditions.append(Invoice.customer_id == f.customer_id)
    if f.customer_query and f.customer_query.strip():
        conditions.append(Invoice.customer_id.in_(_customer_search(f.customer_query)))
    if f.account_query and f.account_query.strip():
        accounts = select(BillingAccount.id).where(
            func.lower(BillingAccount.name).startswith(f.account_query.strip().lower())
        )
        conditions.append(Invoice.billing_account_id.in_(accounts))
    if f.number and f.number.strip():
        conditions.append(Invoice.number.contains(f.number.strip().upper()))
    if f.overdue:
        conditions.append(and_(Invoice.status == InvoiceStatus.OPEN, Invoice.due_on < (f.today or date.today())))
    if f.amount_min_cents is not None:
        conditions.append(Invoice.total_cents >= f.amount_min_cents)
    if f.amount_max_cents is not None:
        conditions.append(Invoice.total_cents <= f.amount_max_cents)
    return conditions


def _customer_search(text: str) -> Any:
    folded, digits = fold(text), only_alnum(text)
    options = [Customer.search_name.startswith(folded)]
    if len(digits) >= 3 and any(c.isdigit() for c in digits):
        options.append(Customer.document_number.startswith(digits))
    return select(Customer.id).where(or_(*options))


@dataclass(frozen=True)
class InvoiceRow:
    id: uuid.UUID
    number: str | None
    status: InvoiceStatus
    customer_id: uuid.UUID
    customer_name: str
    billing_account_id: uuid.UUID
    account_name: str
    issued_on: date | None
    due_on: date
    currency: str
    total_cents: int
    net_value_cents: int
    outstanding_cents: int
    overdue: bool


@dataclass(frozen=True)
class InvoiceTotals:
    count: int
    total_cents: int
    net_value_cents: int
    outstanding_cents: int


def list_invoices(
    actor: Actor,
    filters: InvoiceFilter,
    *,
    page: int = 1,
    per_page: int = 50,
    sort: str = "due_on",
    descending: bool = False,
) -> Page[InvoiceRow]:
    """One page of the filtered invoices (page numbers: the grid jumps anywhere) and the totals of the whole set."""
    with read_session(actor, Permission.INVOICES_READ) as session:
        today = filters.today or today_in(_timezone(session))
        conditions = filter_conditions(InvoiceFilter(**{**asdict(filters), "today": today}))
        totals = invoice_totals(session, conditions)
        column = SORTS.get(sort, Invoice.due_on)
        order = (
            [column.desc().nulls_last(), Invoice.id.desc()] if descending else [column.asc().nulls_last(), Invoice.id]
        )
        statement = (
            select(Invoice, Customer.name, BillingAccount.name)
            .join(Customer, Customer.id == Invoice.customer_id)
            .join(BillingAccount, BillingAccount.id == Invoice.billing_account_id)
            .where(*conditions)
            .order_by(*order)
            .offset(max(0, page - 1) * per_page)
            .limit(per_page)
        )
        rows = [_row(invoice, customer, account, today) for invoice, customer, account in session.execute(statement)]
        return Page(rows=rows, total=totals.count, extra={"totals": totals})


def invoice_totals(session: Session, conditions: list[Any]) -> InvoiceTotals:
    outstanding = case(
        (Invoice.status == InvoiceStatus.OPEN, Invoice.net_value_cents - Invoice.amount_paid_cents), else_=0
    )
    count, total, net, due = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(Invoice.total_cents), 0),
            func.coalesce(func.sum(Invoice.net_value_cents), 0),
            func.coalesce(func.sum(outstanding), 0),
        ).where(*conditions)
    ).one()
    return InvoiceTotals(int(count), int(total), int(net), int(due))


def _row(invoice: Invoice, customer_name: str, account_name: str, today: date) -> InvoiceRow:
    return InvoiceRow(
        id=invoice.id,
        number=invoice.number,
        status=invoice.status,
        customer_id=invoice.customer_id,
        customer_name=customer_name,
        billing_account_id=invoice.billing_account_id,
        account_name=account_name,
        issued_on=invoice.issued_on,
        due_on=invoice.due_on,
        currency=invoice.currency,
        total_cents=invoice.total_cents,
        net_value_cents=invoice.net_value_cents,
        outstanding_cents=invoice.outstanding_cents,
        overdue=invoice.status is InvoiceStatus.OPEN and invoice.due_on < today,
    )


@dataclass
class InvoiceDetail:
    """One invoice in full, as the editor and the PDF show it."""

    invoice: Invoice  # detached, with its lines loaded
    customer: Customer
    account: BillingAccount
    organization: Organization
    payments: list[Payment]
    statement: list[StatementItem]
    actions: list[InvoiceAction] = field(default_factory=list)
    services: dict[uuid.UUID, ServiceItem] = field(default_factory=dict)
    coupon: Coupon | None = None
    today: date | None = None


def invoice_detail(actor: Actor, invoice_id: uuid.UUID) -> InvoiceDetail:
    found = invoice_details(actor, [_uuid(invoice_id)], with_editing=True)
    if not found:
        raise NotFound("Fatura", invoice_id)
    return found[0]


def invoice_details(actor: Actor, invoice_ids: list[uuid.UUID], *, with_editing: bool = False) -> list[InvoiceDetail]:
    """Several invoices in full with a fixed number of queries (the ZIP job renders them by the hundred)."""
    with read_session(actor, Permission.INVOICES_READ) as session:
        invoices = list(
            session.scalars(select(Invoice).where(Invoice.id.in_(invoice_ids)).options(selectinload(Invoice.lines)))
        )
        if not invoices:
            return []
        ids = [i.id for i in invoices]
        customers = _by_id(session, Customer, {i.customer_id for i in invoices})
        accounts = _by_id(session, BillingAccount, {i.billing_account_id for i in invoices})
        org = session.get_one(Organization, invoices[0].organization_id)
        payments: dict[uuid.UUID, list[Payment]] = {i: [] for i in ids}
        for payment in session.scalars(
            select(Payment).where(Payment.invoice_id.in_(ids)).order_by(Payment.paid_on, Payment.created_at)
        ):
            payments[payment.invoice_id].append(payment)
        statement: dict[uuid.UUID, list[StatementItem]] = {i: [] for i in ids}
        if with_editing:
            items = select(StatementItem).where(StatementItem.invoice_id.in_(ids)).order_by(StatementItem.sequence)
            for item in session.scalars(items):
                statement[item.invoice_id].append(item)  # type: ignore[index]
        services = (
            {s.id: s for s in session.scalars(select(ServiceItem).order_by(ServiceItem.lc116_code))}
            if with_editing
            else {}
        )
        coupons = _by_id(session, Coupon, {i.coupon_id for i in invoices if i.coupon_id}) if with_editing else {}
        today = today_in(org.timezone)
        order = {invoice_id: n for n, invoice_id in enumerate(invoice_ids)}
        return [
            InvoiceDetail(
                invoice,
                customers[invoice.customer_id],
                accounts[invoice.billing_account_id],
                org,
                payments[invoice.id],
                statement[invoice.id],
                actions=invoice.available_actions(actor),
                services=services,
                coupon=coupons.get(invoice.coupon_id) if invoice.coupon_id else None,
                today=today,
            )
            for invoice in sorted(invoices, key=lambda i: order.get(i.id, 0))
        ]


def _by_id(session: Session, model: Any, ids: set[Any]) -> dict[Any, Any]:
    if not ids:
        return {}
    return {row.id: row for row in session.scalars(select(model).where(model.id.in_(ids)))}


@dataclass(frozen=True)
class DraftContext:
    """What the editor needs to recompose a draft locally on every keystroke (no SQL per change)."""

    organization: Organization
    account: BillingAccount
    tax_rules: list[TaxRule]
    services: dict[uuid.UUID, ServiceItem]
    earlier_payments_cents: int


def draft_context(actor: Actor, invoice_id: uuid.UUID) -> DraftContext:
    with read_session(actor, Permission.INVOICES_READ) as session:
        invoice = session.get_one(Invoice, _uuid(invoice_id))
        account = session.get_one(BillingAccount, invoice.billing_account_id)
        org = session.get_one(Organization, invoice.organization_id)
        rules = list(session.scalars(select(TaxRule).where(TaxRule.is_active)))
        services = {s.id: s for s in session.scalars(select(ServiceItem))}
        first = invoice.due_on.replace(day=1)
        earlier = session.scalar(
            select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(
                Payment.billing_account_id == account.id, Payment.paid_on >= first, Payment.paid_on <= invoice.due_on
            )
        )
        return DraftContext(org, account, rules, services, max(0, int(earlier or 0)))


@dataclass(frozen=True)
class AccountOption:
    id: uuid.UUID
    label: str
    customer_name: str
    account_name: str
    currency: str


def account_options(actor: Actor, text: str = "", limit: int = 20) -> list[AccountOption]:
    """Active accounts to invoice, by customer name (prefix), document or account name."""
    with read_session(actor, Permission.INVOICES_WRITE) as session:
        statement = (
            select(BillingAccount.id, BillingAccount.name, BillingAccount.currency, Customer.name)
            .join(Customer, Customer.id == BillingAccount.customer_id)
            .where(
                BillingAccount.status == AccountStatus.ACTIVE,
                BillingAccount.deleted_at.is_(None),
                Customer.deleted_at.is_(None),
            )
        )
        if text.strip():
            statement = statement.where(
                or_(
                    Customer.id.in_(_customer_search(text)),
                    func.lower(BillingAccount.name).startswith(text.strip().lower()),
                )
            )
        statement = statement.order_by(Customer.search_name, BillingAccount.name).limit(limit)
        return [
            AccountOption(id_, f"{customer} — {name}", customer, name, currency)
            for id_, name, currency, customer in session.execute(statement)
        ]


def invoice_lines_for(session: Session, invoice_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[InvoiceLine]]:
    found: dict[uuid.UUID, list[InvoiceLine]] = {i: [] for i in invoice_ids}
    for line in session.scalars(
        select(InvoiceLine)
        .where(InvoiceLine.invoice_id.in_(invoice_ids))
        .order_by(InvoiceLine.invoice_id, InvoiceLine.position)
    ):
        found[line.invoice_id].append(line)
    return found


def matching_invoice_ids(actor: Actor, filters: InvoiceFilter, limit: int) -> list[uuid.UUID]:
    with read_session(actor, Permission.INVOICES_READ) as session:
        statement = (
            select(Invoice.id).where(*filter_conditions(filters)).order_by(Invoice.number, Invoice.id).limit(limit)
        )
        return list(session.scalars(statement))


def _timezone(session: Session) -> str:
    org = session.get(Organization, session.info.get("organization_id"))
    return org.timezone if org else "America/Sao_Paulo"


def _uuid(value: object) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return uuid.UUID(int=0)
