"""Contas through NiceGUI's simulated user: every account with its customer, the search, and a row opens it."""

from __future__ import annotations

from nicegui.testing import User

from tests.support.registry_factories import make_customer
from tests.ui.conftest import sign_in


def grid_rows(user: User) -> list[dict]:
    return list(user.find(marker="account-grid").elements.pop().rows)


async def test_the_accounts_screen_lists_every_account_with_its_customer_and_searches(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    admin, email = operator_of("finance_operator")
    make_customer(admin, accounts=2, name="Alfa Dados")
    make_customer(admin, accounts=1, name="Beta Logística")
    await sign_in(user, email)
    await user.open("/contas")
    await user.should_see("1–3 de 3 contas", retries=30)
    assert {(r["name"], r["customer"], r["balance"]) for r in grid_rows(user)} == {
        ("Conta 1", "Alfa Dados", "R$ 0,00"),
        ("Conta 2", "Alfa Dados", "R$ 0,00"),
        ("Conta 1", "Beta Logística", "R$ 0,00"),
    }
    user.find(marker="account-search").type("beta")
    await user.should_see("1–1 de 1 contas", retries=30)
    assert [r["customer"] for r in grid_rows(user)] == ["Beta Logística"]


async def test_an_operator_without_access_to_accounts_is_told_so(user: User, acme) -> None:  # type: ignore[no-untyped-def]
    from domain.access import services as access
    from domain.access.permissions import Actor, Permission
    from persistence.unit_of_work import SqlUnitOfWork
    from tests.support.factories import PASSWORD

    system = Actor.system("teste", acme.id)
    access.save_role(SqlUnitOfWork(system), name="painel", label="Somente painel",
                     permissions=[Permission.DASHBOARD_READ])  # fmt: skip
    access.create_operator(SqlUnitOfWork(system), email="painel@acme.com.br", name="Painel", role_name="painel",
                           password=PASSWORD)  # fmt: skip
    await sign_in(user, "painel@acme.com.br")
    await user.open("/contas")
    await user.should_see("Você não tem acesso a esta tela.")
