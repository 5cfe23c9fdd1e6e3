"""Real databases for the tests: a fresh PostgreSQL database per run (dropped at the end) and a SQLite file.

A service the suite needs that does not answer fails the run with a clear message; nothing is skipped.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from persistence import database, migrate
from persistence.models import Base

PG_SERVER = os.environ.get("FATURA_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("FATURA_TEST_REDIS", "redis://127.0.0.1:6379/0")
PG_START = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"


def create_postgres_database(prefix: str = "fatura_test") -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(PG_SERVER, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL não respondeu em {PG_SERVER} ({error}). Os testes precisam dele: {PG_START}",
                    pytrace=False)  # fmt: skip
    server = PG_SERVER.split("://", 1)[1].rsplit("/", 1)[0]
    return f"postgresql+psycopg://{server}/{name}"


def drop_postgres_database(url: str) -> None:
    database.dispose_all()
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_SERVER, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sqlite_database(directory: Path) -> str:
    return f"sqlite:///{directory / 'fatura.db'}"


def migrated(url: str) -> str:
    migrate.upgrade(url)
    return url


def clean(url: str) -> None:
    """Empty every table between tests: real commits happen in the tests, so there is no rollback trick."""
    engine = database.get_engine(url)
    with engine.begin() as connection:
        if url.startswith("postgresql"):
            names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {names} CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())


def require_redis(url: str = REDIS_URL) -> str:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.exceptions.ConnectionError as error:
        pytest.fail(f"Redis não respondeu em {url} ({error}). Os testes de filas precisam dele.", pytrace=False)
    return url
