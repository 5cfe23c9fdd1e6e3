"""End-to-end: Debian's Chromium through Playwright against the real app on PostgreSQL + Redis, as in production."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from persistence import database
from tests.support import databases
from tests.support.factories import make_operator, make_organization
from tests.support.live_server import ROOT, LiveServer

ARTIFACTS = ROOT / "artifacts" / "e2e"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium do Debian não está instalado (make test o instala: apt-get install chromium).")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def e2e_database() -> Iterator[str]:
    url = databases.migrated(databases.create_postgres_database("fatura_e2e"))
    database.configure(url)
    yield url
    databases.drop_postgres_database(url)


@pytest.fixture(scope="session")
def live_app(e2e_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    env = {"DATABASE_URL": e2e_database, "REDIS_URL": databases.require_redis(), "FATURA_SEED_DEMO": "0",
           "NICEGUI_REDIS_KEY_PREFIX": "fatura-e2e:"}  # fmt: skip
    server = LiveServer(env, tmp_path_factory.mktemp("e2e-var"))
    try:
        server.wait_healthy()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def base_url(live_app: LiveServer) -> str:
    return live_app.url


@pytest.fixture(scope="session")
def acme(e2e_database: str):  # type: ignore[no-untyped-def]
    """Acme and its operators, created through the use cases before the browser arrives."""
    org = make_organization("acme-e2e")
    people = {role: make_operator(org, role, email=f"{role}@acme-e2e.com.br", name=f"{role.title()} E2E")
              for role in ("admin", "finance_manager", "finance_operator", "auditor")}  # fmt: skip
    return org, people


@pytest.fixture(scope="session", autouse=True)
def artifacts_folder() -> Path:
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
