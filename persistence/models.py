"""Imports every entity module so the mapper registry and Alembic see all tables. Add new areas here."""

from domain.access.model import Operator, Role
from domain.api_keys.model import ApiKey, IdempotencyRecord
from domain.audit.model import AuditEvent
from domain.background_jobs.model import BackgroundJob
from domain.base import Base
from domain.billing_accounts.model import BillingAccount
from domain.billing_runs.model import BillingRun, BillingRunFailure
from domain.catalog.model import ServiceItem, TaxRule
from domain.communications.model import AppNotification, CommunicationSent, OutboxEmail
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
from domain.revenue.model import MrrMovement
from domain.segments.model import SavedView
from domain.statements.model import StatementItem
from domain.subscriptions.model import Plan, Subscription, SubscriptionProration
from domain.webhooks.model import WebhookDelivery, WebhookEndpoint

__all__ = [
    "ApiKey",
    "AppNotification",
    "AuditEvent",
    "BackgroundJob",
    "Base",
    "BillingAccount",
    "BillingRun",
    "BillingRunFailure",
    "CommunicationSent",
    "Coupon",
    "CustomFieldDefinition",
    "Customer",
    "ErasureRequest",
    "IdempotencyRecord",
    "ImportColumnChoice",
    "ImportProblem",
    "ImportRun",
    "Invoice",
    "InvoiceLine",
    "MrrMovement",
    "NumberSeries",
    "Operator",
    "Organization",
    "OutboxEmail",
    "Payment",
    "Plan",
    "PortalToken",
    "PortalUser",
    "Role",
    "SavedView",
    "ServiceItem",
    "StatementItem",
    "StoredFile",
    "Subscription",
    "SubscriptionProration",
    "TaxRule",
    "WebhookDelivery",
    "WebhookEndpoint",
]
