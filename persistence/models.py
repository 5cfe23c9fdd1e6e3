"""Imports every entity module so the mapper registry and Alembic see all tables. Add new areas here."""

from domain.access.model import Operator, Role
from domain.audit.model import AuditEvent
from domain.background_jobs.model import BackgroundJob
from domain.base import Base
from domain.billing_accounts.model import BillingAccount
from domain.catalog.model import ServiceItem, TaxRule
from domain.coupons.model import Coupon
from domain.customers.custom_fields import CustomFieldDefinition
from domain.customers.model import Customer
from domain.files.model import StoredFile
from domain.imports.model import ImportColumnChoice, ImportProblem, ImportRun
from domain.invoices.model import Invoice, InvoiceLine
from domain.lgpd.model import ErasureRequest
from domain.organizations.model import NumberSeries, Organization
from domain.payments.model import Payment
from domain.portal_users.model import PortalToken, PortalUser
from domain.segments.model import SavedView
from domain.statements.model import StatementItem

__all__ = [
    "AuditEvent",
    "BackgroundJob",
    "Base",
    "BillingAccount",
    "Coupon",
    "CustomFieldDefinition",
    "Customer",
    "ErasureRequest",
    "ImportColumnChoice",
    "ImportProblem",
    "ImportRun",
    "Invoice",
    "InvoiceLine",
    "NumberSeries",
    "Operator",
    "Organization",
    "Payment",
    "PortalToken",
    "PortalUser",
    "Role",
    "SavedView",
    "ServiceItem",
    "StatementItem",
    "StoredFile",
    "TaxRule",
]
