"""Configurações › Chaves de API: an admin creates a key (shown once), sees it listed by prefix, and revokes it."""

from __future__ import annotations

from nicegui.testing import User

from tests.ui.conftest import sign_in, table_rows


async def test_an_admin_creates_a_key_sees_it_once_and_lists_it_by_prefix(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    _actor, email = operator_of("admin")
    await sign_in(user, email)
    await user.open("/configuracoes")
    await user.should_see("Chaves de API")
    await user.open("/configuracoes/api")
    user.find("Nova chave").click()
    await user.should_see("Nova chave de API")
    user.find("Nome (ex.: ERP, site)").type("ERP")
    user.find("Criar").click()
    await user.should_see("Copie agora; ela não será exibida novamente.")
    await user.open("/configuracoes/api")
    rows = await table_rows(user)
    assert len(rows) == 1 and rows[0]["name"] == "ERP" and rows[0]["status"] == "Ativa"
    assert rows[0]["last_used"] == "nunca" and rows[0]["prefix"].startswith("fat_live_")


async def test_an_operator_without_the_permission_is_refused(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    _actor, email = operator_of("finance_operator")
    await sign_in(user, email)
    await user.open("/configuracoes/api")
    await user.should_see("Permissão necessária: API_KEYS_ADMIN.")
