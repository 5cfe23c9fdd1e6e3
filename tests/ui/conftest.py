"""UI tests drive the real pages with NiceGUI's `user` fixture (no browser) on the SQLite test database."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from nicegui.testing import User

from tests.support.factories import PASSWORD, make_operator, make_organization


@pytest.fixture(autouse=True)
def ui_db(sqlite_only: str) -> Iterator[str]:
    """Autouse so it is set up before NiceGUI's `user` fixture executes the main file."""
    os.environ["FATURA_TEST_DATABASE_URL"] = sqlite_only
    yield sqlite_only


@pytest.fixture
def acme(ui_db: str):  # type: ignore[no-untyped-def]
    return make_organization("acme")


async def sign_in(user: User, email: str, password: str = PASSWORD, *, succeeds: bool = True) -> None:
    await user.open("/login")
    user.find("E-mail").type(email)
    user.find("Senha").type(password)
    user.find("Entrar").click()
    # argon2 verification runs off the event loop: wait for the shell (or the refusal) to appear
    if succeeds:
        await user.should_see(marker="operator-name", retries=50)
    else:
        await user.should_see("incorretos", retries=50)


async def table_rows(user: User, retries: int = 30) -> list[dict]:
    """The rows of the page's table, as the operator reads them (tables are data, not text elements)."""
    from nicegui import ui

    await user.should_see(kind=ui.table, retries=retries)
    return list(user.find(ui.table).elements.pop().rows)


@pytest.fixture
def operator_of(acme):  # type: ignore[no-untyped-def]
    """Creates an operator of Acme with a role; returns (actor, email)."""

    def make(role: str):  # type: ignore[no-untyped-def]
        email = f"{role}@acme.com.br"
        return make_operator(acme, role, email=email, name=f"{role.replace('_', ' ').title()} Acme"), email

    return make
