"""Alembic is the only way the schema changes: it builds an empty database and matches the models exactly."""

from __future__ import annotations

from sqlalchemy import inspect

from persistence import database, migrate
from tests.support import databases


def test_upgrading_an_empty_database_builds_every_table_and_leaves_no_drift(database_url: str) -> None:
    # database_url was migrated from empty at the start of the run, on SQLite and on PostgreSQL
    tables = set(inspect(database.get_engine(database_url)).get_table_names())
    assert {"organization", "operator", "role", "audit_event", "customer", "billing_account"} <= tables
    migrate.check(database_url)  # raises when models and migrations disagree (alembic check)


def test_a_second_upgrade_of_an_up_to_date_database_changes_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = databases.sqlite_database(tmp_path)
    migrate.upgrade(url)
    migrate.upgrade(url)
    migrate.check(url)
    database.get_engine(url).dispose()
