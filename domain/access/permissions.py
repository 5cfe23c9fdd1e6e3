"""Named permissions, the built-in roles, and the Actor every use case runs as."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from domain.errors import PermissionDenied


class Permission(StrEnum):
    DASHBOARD_READ = "DASHBOARD_READ"
    CUSTOMERS_READ = "CUSTOMERS_READ"
    CUSTOMERS_WRITE = "CUSTOMERS_WRITE"
    CUSTOMERS_DELETE = "CUSTOMERS_DELETE"
    BILLING_ACCOUNTS_READ = "BILLING_ACCOUNTS_READ"
    BILLING_ACCOUNTS_CREATE = "BILLING_ACCOUNTS_CREATE"
    BILLING_ACCOUNTS_UPDATE = "BILLING_ACCOUNTS_UPDATE"
    BILLING_ACCOUNTS_DELETE = "BILLING_ACCOUNTS_DELETE"
    BILLING_ACCOUNTS_SUSPEND = "BILLING_ACCOUNTS_SUSPEND"
    PORTAL_USERS_MANAGE = "PORTAL_USERS_MANAGE"
    INVOICES_READ = "INVOICES_READ"
    INVOICES_WRITE = "INVOICES_WRITE"
    INVOICES_FINALIZE = "INVOICES_FINALIZE"
    INVOICES_VOID = "INVOICES_VOID"
    INVOICES_WRITE_OFF = "INVOICES_WRITE_OFF"
    PAYMENTS_RECORD = "PAYMENTS_RECORD"
    SUBSCRIPTIONS_READ = "SUBSCRIPTIONS_READ"
    SUBSCRIPTIONS_WRITE = "SUBSCRIPTIONS_WRITE"
    BILLING_RUN = "BILLING_RUN"
    SEGMENTS_READ = "SEGMENTS_READ"
    SEGMENTS_WRITE = "SEGMENTS_WRITE"
    SEGMENTS_SHARE = "SEGMENTS_SHARE"
    BULK_ACTIONS_RUN = "BULK_ACTIONS_RUN"
    MERGES_RUN = "MERGES_RUN"
    IMPORTS_RUN = "IMPORTS_RUN"
    EXPORTS_RUN = "EXPORTS_RUN"
    LGPD_EXPORT = "LGPD_EXPORT"
    LGPD_ERASE = "LGPD_ERASE"
    AUDIT_READ = "AUDIT_READ"
    SETTINGS_ADMIN = "SETTINGS_ADMIN"
    OPERATORS_ADMIN = "OPERATORS_ADMIN"
    API_KEYS_ADMIN = "API_KEYS_ADMIN"


P = Permission
_READ = {
    P.DASHBOARD_READ, P.CUSTOMERS_READ, P.BILLING_ACCOUNTS_READ, P.INVOICES_READ, P.SUBSCRIPTIONS_READ,
    P.SEGMENTS_READ, P.AUDIT_READ,
}  # fmt: skip
_OPERATE = _READ | {
    P.CUSTOMERS_WRITE, P.BILLING_ACCOUNTS_CREATE, P.BILLING_ACCOUNTS_UPDATE, P.BILLING_ACCOUNTS_SUSPEND,
    P.PORTAL_USERS_MANAGE, P.INVOICES_WRITE, P.INVOICES_FINALIZE, P.PAYMENTS_RECORD, P.SUBSCRIPTIONS_WRITE,
    P.SEGMENTS_WRITE, P.IMPORTS_RUN, P.EXPORTS_RUN, P.LGPD_EXPORT,
}  # fmt: skip
_MANAGE = _OPERATE | {
    P.CUSTOMERS_DELETE, P.BILLING_ACCOUNTS_DELETE, P.INVOICES_VOID, P.INVOICES_WRITE_OFF, P.BILLING_RUN,
    P.SEGMENTS_SHARE, P.BULK_ACTIONS_RUN, P.MERGES_RUN, P.LGPD_ERASE,
}  # fmt: skip

BUILTIN_ROLES: dict[str, tuple[str, frozenset[Permission]]] = {
    "admin": ("Administrador", frozenset(Permission)),
    "finance_manager": ("Gestor financeiro", frozenset(_MANAGE)),
    "finance_operator": ("Operador financeiro", frozenset(_OPERATE)),
    "auditor": ("Auditor (somente leitura)", frozenset(_READ)),
}


@dataclass(frozen=True)
class Actor:
    """Who is acting, in which organization, allowed to do what. Every use case runs as one."""

    kind: str  # operator | api_key | system
    id: uuid.UUID | None
    name: str
    organization_id: uuid.UUID | None
    permissions: frozenset[Permission] = field(default_factory=frozenset)

    @classmethod
    def system(cls, name: str = "sistema", organization_id: uuid.UUID | None = None) -> Actor:
        """Jobs, the command line and sign-in itself: every permission, scoped when an organization is given."""
        return cls("system", None, name, organization_id, frozenset(Permission))

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        if permission not in self.permissions:
            raise PermissionDenied(permission.value)
