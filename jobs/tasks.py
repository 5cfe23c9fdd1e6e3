"""Imports every task module so a consumer knows them all. Add new areas here."""

from jobs import (
    api,  # noqa: F401
    billing,  # noqa: F401
    communications,  # noqa: F401
    imports,  # noqa: F401
    invoices,  # noqa: F401
    lgpd,  # noqa: F401
    maintenance,  # noqa: F401
    segments,  # noqa: F401
)
