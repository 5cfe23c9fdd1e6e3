"""Imports every entity module so the mapper registry and Alembic see all tables. Add new areas here."""

from domain.access.model import Operator, Role
from domain.audit.model import AuditEvent
from domain.base import Base
from domain.billing_accounts.model import BillingAccount
from domain.customers.model import Customer
from domain.organizations.model import NumberSeries, Organization

__all__ = ["AuditEvent", "Base", "BillingAccount", "Customer", "NumberSeries", "Operator", "Organization", "Role"]
