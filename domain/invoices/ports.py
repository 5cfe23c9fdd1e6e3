"""What the invoicing use cases need from storage (persistence/repositories/invoicing.py provides it)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Protocol

from domain.background_jobs.model import BackgroundJob
from domain.catalog.model import ServiceItem, TaxRule
from domain.coupons.model import Coupon
from domain.invoices.model import Invoice
from domain.organizations.model import NumberSeries, Organization
from domain.payments.model import Payment
from domain.ports import UnitOfWork
from domain.statements.model import StatementItem


class OrganizationLookup(Protocol):
    def current(self) -> Organization: ...
    def series(self, key: str, *, for_update: bool = False) -> NumberSeries | None: ...


class InvoiceRepository(Protocol):
    def get(self, invoice_id: uuid.UUID, *, for_update: bool = False) -> Invoice: ...
    def find_for_period(self, subscription_id: uuid.UUID, period_start: date) -> Invoice | None: ...
    def next_number(self) -> str: ...
    def adjust_customer_totals(
        self, customer_id: uuid.UUID, *, balance_delta: int = 0, open_delta: int = 0
    ) -> None: ...
    def count_matching(self, filters: dict[str, Any]) -> int: ...


class CatalogRepository(Protocol):
    def service_items_by_id(self) -> dict[uuid.UUID, ServiceItem]: ...
    def tax_rules(self) -> list[TaxRule]: ...
    def has_service_items(self) -> bool: ...
    def service_item_by_code(self, code: str) -> ServiceItem | None: ...


class CouponRepository(Protocol):
    def find_by_code(self, code: str) -> Coupon | None: ...
    def get(self, coupon_id: uuid.UUID, *, for_update: bool = False) -> Coupon: ...


class PaymentRepository(Protocol):
    def account_total_in_month(self, account_id: uuid.UUID, on: date) -> Any: ...
    def for_invoice(self, invoice_id: uuid.UUID) -> list[Payment]: ...


class StatementRepository(Protocol):
    def last_for_account(self, account_id: uuid.UUID) -> StatementItem | None: ...
    def sum_for_invoice(self, invoice_id: uuid.UUID) -> int: ...


class JobRepository(Protocol):
    def get(self, job_id: uuid.UUID, *, for_update: bool = False) -> BackgroundJob: ...


class InvoicingUnitOfWork(UnitOfWork, Protocol):
    organizations: OrganizationLookup
    invoices: InvoiceRepository
    catalog: CatalogRepository
    coupons: CouponRepository
    payments: PaymentRepository
    statements: StatementRepository
    background_jobs: JobRepository
