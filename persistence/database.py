"""Engines and sessions for SQLite (embedded) and PostgreSQL (production), configured once per process."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from domain.access.permissions import Actor

_default_url: str | None = None
_engines: dict[str, Engine] = {}
_factories: dict[tuple[str, bool], sessionmaker[Session]] = {}
_lock = threading.Lock()


def configure(database_url: str) -> None:
    """Choose the database this process talks to by default (run.py and the test fixtures call this)."""
    global _default_url
    _default_url = database_url


def default_url() -> str:
    if _default_url is None:
        raise RuntimeError("persistence.database.configure() was not called")
    return _default_url


def is_sqlite(database_url: str | None = None) -> bool:
    return (database_url or default_url()).startswith("sqlite")


def get_engine(database_url: str | None = None) -> Engine:
    url = database_url or default_url()
    with _lock:
        if url not in _engines:
            _engines[url] = _create_engine(url)
        return _engines[url]


def _create_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Autocommit at the driver level so the "begin" event below decides how each transaction starts.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # A use case takes the write lock up front (BEGIN IMMEDIATE): two writers queue instead of one failing
    # half-way when it upgrades a read lock. Read-only views begin deferred and never block writers.
    immediate = connection.get_execution_options().get("sqlite_immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def open_session(actor: Actor, database_url: str | None = None, *, writes: bool = True) -> Session:
    """A session scoped to the actor's organization (persistence/tenancy.py reads `info`)."""
    url = database_url or default_url()
    key = (url, writes)
    with _lock:
        factory = _factories.get(key)
    if factory is None:
        engine = get_engine(url)
        bind = engine.execution_options(sqlite_immediate=True) if writes and is_sqlite(url) else engine
        factory = _factories.setdefault(key, sessionmaker(bind=bind, expire_on_commit=False))
    session = factory()
    session.info["actor"] = actor
    session.info["organization_id"] = actor.organization_id
    return session


def dispose_all() -> None:
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _factories.clear()
