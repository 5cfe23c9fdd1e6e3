"""Imports every task module so a consumer knows them all. Add new areas here."""

from jobs import maintenance  # noqa: F401
