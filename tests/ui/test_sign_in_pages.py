"""The operator's first minutes: the login page in pt-BR, the refusals, the shell, and what each role sees."""

from __future__ import annotations

from nicegui.testing import User

from tests.ui.conftest import sign_in, table_rows


async def test_an_anonymous_visitor_is_sent_to_the_login_page(user: User, acme) -> None:  # type: ignore[no-untyped-def]
    await user.open("/clientes")
    await user.should_see("Acesso da equipe financeira")
    await user.should_see("Entrar")


async def test_a_wrong_password_shows_a_clear_message_in_portuguese(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    _, email = operator_of("admin")
    await sign_in(user, email, "senha-errada-999", succeeds=False)
    await user.should_see("E-mail ou senha incorretos.")


async def test_signing_in_opens_the_dashboard_with_the_operator_and_organization(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    _, email = operator_of("admin")
    await sign_in(user, email)
    await user.should_see("Painel")
    await user.should_see("Admin Acme")
    await user.should_see("Acme Serviços Ltda")
    for item in ("Clientes", "Contas", "Faturas", "Assinaturas", "Segmentos", "Importações", "Relatórios",
                 "Configurações", "Auditoria"):  # fmt: skip
        await user.should_see(item)


async def test_an_auditor_sees_no_import_screen_and_is_refused_it_by_url(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    _, email = operator_of("auditor")
    await sign_in(user, email)
    await user.should_see("Auditoria")
    await user.should_not_see("Importações")
    await user.open("/importacoes")
    await user.should_see("Permissão necessária: IMPORTS_RUN.")


async def test_an_admin_sees_failed_attempts_of_operators(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    _, admin_email = operator_of("admin")
    operator_of("finance_operator")
    await sign_in(user, "finance_operator@acme.com.br", "senha-errada-999", succeeds=False)
    await sign_in(user, admin_email)
    await user.open("/configuracoes?tab=operadores")
    rows = {row["email"]: row for row in await table_rows(user)}
    assert rows["finance_operator@acme.com.br"]["failed"] == 1


async def test_signing_out_ends_the_session(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    _, email = operator_of("finance_manager")
    await sign_in(user, email)
    await user.should_see("Painel")
    await user.open("/logout")
    await user.open("/")
    await user.should_see("Acesso da equipe financeira")


async def test_the_audit_screen_lists_sign_ins(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    _, email = operator_of("admin")
    await sign_in(user, email)
    await user.open("/auditoria")
    assert "operator.signed_in" in [row["action"] for row in await table_rows(user)]


async def test_health_reports_database_and_queue(user: User, ui_db) -> None:  # type: ignore[no-untyped-def]
    response = await user.http_client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
