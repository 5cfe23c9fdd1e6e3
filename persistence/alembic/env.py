"""Alembic environment: batch mode on SQLite so ALTERs work there too; types compared for drift."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from persistence.models import Base

config = context.config
url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _run(connectable)
        return
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=_include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def _include_object(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    """Indexes marked `info={"postgresql_only": True}` (GIN, pg_trgm) exist only on PostgreSQL: SQLite skips them."""
    if type_ == "index" and obj.info.get("postgresql_only"):
        return context.get_context().dialect.name == "postgresql"
    return True


run_migrations_online()
