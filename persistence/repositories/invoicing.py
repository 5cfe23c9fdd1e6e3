"""Invoices, the catalog, coupons, payments, statements and background jobs: the select() code the use cases need."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

import persistence.append_only  # noqa: F401  (registers the append-only guard for every session)
from domain.background_jobs.model import BackgroundJob
from domain.catalog.model import ServiceItem, TaxRule
from domain.coupons.model import Coupon
from domain.customers.model import Customer
from domain.errors import NotFound
from domain.invoices.errors import NumberSeriesMissing
from domain.invoices.model import Invoice
from domain.money import Money
from domain.organizations.model import NumberSeries
from domain.payments.model import Payment
from domain.statements.model import StatementItem


@dataclass
class InvoiceRepository:
    session: Session

    def get(self, invoice_id: uuid.UUID, *, for_update: bool = False) -> Invoice:
        statement = select(Invoice).where(Invoice.id == _uuid(invoice_id)).options(selectinload(Invoice.lines))
        if for_update:
            statement = statement.with_for_update(of=Invoice)
        invoice = self.session.scalars(statement).one_or_none()
        if invoice is None:
            raise NotFound("Fatura", invoice_id)
        return invoice

    def find_for_period(self, subscription_id: uuid.UUID, period_start: date) -> Invoice | None:
        statement = (
            select(Invoice)
            .where(Invoice.subscription_id == subscription_id, Invoice.period_start == period_start)
            .options(selectinload(Invoice.lines))
        )
        return self.session.scalars(statement).one_or_none()

    def next_number(self) -> str:
        """The next number of the gapless series. The row stays locked until the finalizing transaction ends, so a
        concurrent finalization waits for it, and a rollback gives the number back."""
        series = self.session.scalars(
            select(NumberSeries).where(NumberSeries.key == "invoice").with_for_update()
        ).one_or_none()
        if series is None:
            raise NumberSeriesMissing()
        number = series.format(series.next_value)
        series.next_value += 1
        return number

    def adjust_customer_totals(self, customer_id: uuid.UUID, *, balance_delta: int = 0, open_delta: int = 0) -> None:
        """The customer's consolidation columns move with each movement, set-based (no lost update under concurrency).
        NOTE: derived values, not audited; the movement that causes them is."""
        if not balance_delta and not open_delta:
            return
        self.session.execute(
            update(Customer)
            .where(Customer.id == customer_id)
            .values(
                balance_cents=Customer.balance_cents + balance_delta,
                open_invoices_count=Customer.open_invoices_count + open_delta,
            )
            .execution_options(synchronize_session=False)
        )

    def count_matching(self, filters: dict[str, Any]) -> int:
        from persistence.queries.invoices import InvoiceFilter, filter_conditions

        conditions = filter_conditions(InvoiceFilter.from_dict(filters))
        return self.session.scalar(select(func.count()).select_from(Invoice).where(*conditions)) or 0


@dataclass
class CatalogRepository:
    session: Session

    def service_items_by_id(self) -> dict[uuid.UUID, ServiceItem]:
        return {item.id: item for item in self.session.scalars(select(ServiceItem))}

    def has_service_items(self) -> bool:
        return self.session.scalar(select(ServiceItem.id).limit(1)) is not None

    def service_item_by_code(self, code: str) -> ServiceItem | None:
        return self.session.scalars(select(ServiceItem).where(ServiceItem.code == code)).one_or_none()

    def tax_rules(self) -> list[TaxRule]:
        return list(self.session.scalars(select(TaxRule).where(TaxRule.is_active).order_by(TaxRule.name)))


@dataclass
class CouponRepository:
    session: Session

    def find_by_code(self, code: str) -> Coupon | None:
        return self.session.scalars(select(Coupon).where(Coupon.code == code.strip().upper())).one_or_none()

    def get(self, coupon_id: uuid.UUID, *, for_update: bool = False) -> Coupon:
        statement = select(Coupon).where(Coupon.id == coupon_id)
        if for_update:
            statement = statement.with_for_update()
        coupon = self.session.scalars(statement).one_or_none()
        if coupon is None:
            raise NotFound("Cupom", coupon_id)
        return coupon


@dataclass
class PaymentRepository:
    session: Session

    def for_invoice(self, invoice_id: uuid.UUID) -> list[Payment]:
        statement = select(Payment).where(Payment.invoice_id == invoice_id).order_by(Payment.paid_on, Payment.id)
        return list(self.session.scalars(statement))

    def account_total_in_month(self, account_id: uuid.UUID, on: date) -> Money:
        """What the account paid in the month of `on` before it (the old CSRF dispensation summed the month)."""
        first = on.replace(day=1)
        total = self.session.scalar(
            select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(
                Payment.billing_account_id == account_id,
                Payment.paid_on >= first,
                Payment.paid_on <= on,
                Payment.currency == "BRL",
            )
        )
        return Money(max(0, int(total or 0)), "BRL")


@dataclass
class StatementRepository:
    session: Session

    def last_for_account(self, account_id: uuid.UUID) -> StatementItem | None:
        statement = (
            select(StatementItem)
            .where(StatementItem.billing_account_id == account_id)
            .order_by(StatementItem.sequence.desc())
            .limit(1)
        )
        return self.session.scalars(statement).one_or_none()

    def sum_for_invoice(self, invoice_id: uuid.UUID) -> int:
        total = self.session.scalar(
            select(func.coalesce(func.sum(StatementItem.amount_cents), 0)).where(StatementItem.invoice_id == invoice_id)
        )
        return int(total or 0)


@dataclass
class BackgroundJobRepository:
    session: Session

    def get(self, job_id: uuid.UUID, *, for_update: bool = False) -> BackgroundJob:
        statement = select(BackgroundJob).where(BackgroundJob.id == _uuid(job_id))
        if for_update:
            statement = statement.with_for_update()
        job = self.session.scalars(statement).one_or_none()
        if job is None:
            raise NotFound("Tarefa", job_id)
        return job


def _uuid(value: object) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return uuid.UUID(int=0)
