"""Imports every task module so a consumer knows them all. Add new areas here."""

from jobs import (
    imports,  # noqa: F401
    invoices,  # noqa: F401
    lgpd,  # noqa: F401
    maintenance,  # noqa: F401
    segments,  # noqa: F401
)
