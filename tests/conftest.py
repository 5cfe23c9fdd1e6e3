"""Shared fixtures: real SQLite and PostgreSQL (migrated once per run), organizations, operators, queues."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from jobs import huey_app
from persistence import database
from tests.support import databases
from tests.support.factories import make_operator, make_organization

pytest_plugins = ["nicegui.testing.user_plugin"]


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    url = databases.migrated(databases.create_postgres_database())
    yield url
    databases.drop_postgres_database(url)


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return databases.migrated(databases.sqlite_database(tmp_path_factory.mktemp("sqlite")))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """Domain and persistence tests run twice: on SQLite and on PostgreSQL."""
    url = request.getfixturevalue(f"{request.param}_url")
    database.configure(url)
    yield url
    databases.clean(url)


@pytest.fixture
def sqlite_only(sqlite_url: str) -> Iterator[str]:
    database.configure(sqlite_url)
    yield sqlite_url
    databases.clean(sqlite_url)


@pytest.fixture
def org(database_url: str):  # type: ignore[no-untyped-def]
    return make_organization("acme")


@pytest.fixture
def admin(org) -> object:  # type: ignore[no-untyped-def]
    return make_operator(org, "admin", email="admin@acme.com.br", name="Alice Admin")


@pytest.fixture(params=["redis", "sqlite"])
def queue(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Job tests run on RedisHuey against the local Redis and on SqliteHuey, each with its own queue name."""
    name = f"fatura-test-{uuid.uuid4().hex[:8]}"
    if request.param == "redis":
        huey_app.configure(redis_url=databases.require_redis(), name=name)
    else:
        huey_app.configure(redis_url=None, sqlite_path=tmp_path / "huey.db", name=name)
    yield request.param
    huey_app.huey.storage.flush_all()
    huey_app.configure(redis_url=None)
