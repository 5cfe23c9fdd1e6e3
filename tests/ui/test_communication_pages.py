"""Configurações › Régua de cobrança, Webhooks and E-mails as an admin uses them, and the bell in the header."""

from __future__ import annotations

from datetime import timedelta

from nicegui import ui
from nicegui.testing import User

from domain.access.permissions import Actor
from domain.billing_accounts.services import suspend_billing_account
from domain.dunning.services import run_daily_pass
from domain.invoices.model import InvoiceStatus
from domain.webhooks import signing
from domain.webhooks.services import create_endpoint
from persistence.queries import communications as queries
from persistence.queries import invoices as invoice_queries
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.billing_factories import make_account
from tests.support.communication_factories import invoice_due, local_today, webhook_server
from tests.ui.conftest import sign_in, table_rows


def text_of(user: User, marker: str) -> str:
    return next(iter(user.find(marker=marker).elements)).text


async def test_the_schedule_page_edits_steps_and_templates_with_a_live_preview(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    admin, email = operator_of("admin")
    await sign_in(user, email)
    await user.open("/configuracoes/regua")
    await user.should_see("Passos (dias em relação ao vencimento)")
    assert text_of(user, "preview-subject") == "Lembrete: a fatura INV-000123 vence em 3 dia(s)"
    user.find(marker="template-subject").clear().type("{{nome}}, sua fatura {{fatura}} vence em {{vencimento}}")
    await user.should_see("Padaria Pão Quente Ltda, sua fatura INV-000123 vence em 10/12/2026")
    user.find("Salvar modelo").click()
    await user.should_see("Modelo salvo.")
    saved = queries.settings(admin)
    assert saved.templates[saved.steps[0].event].subject == "{{nome}}, sua fatura {{fatura}} vence em {{vencimento}}"

    user.find(marker="step-0-remove").click()  # the −7 step
    user.find("Salvar régua").click()
    await user.should_see("Régua salva.")
    assert [s.offset for s in queries.settings(admin).steps] == [-3, -1, 0, 3, 7, 15]


async def test_an_unknown_variable_is_refused_when_saving_a_template(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    _admin, email = operator_of("admin")
    await sign_in(user, email)
    await user.open("/configuracoes/regua")
    await user.should_see("Modelos de mensagem")
    user.find(marker="template-body").clear().type("Olá {{cliente}}")
    user.find("Salvar modelo").click()
    await user.should_see("Variáveis desconhecidas: {{cliente}}.")


async def test_creating_a_webhook_shows_its_secret_once(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    admin, email = operator_of("admin")
    await sign_in(user, email)
    await user.open("/configuracoes/webhooks")
    user.find("Novo endpoint").click()
    user.find("URL (https://...)").type("https://erp.example.com/hooks/fatura")
    user.find("Criar").click()
    await user.should_see(marker="webhook-secret")
    secret = text_of(user, "webhook-secret")
    assert secret.startswith("whsec_")
    await user.should_see("Copie agora; ele não será exibido novamente.")
    await user.open("/configuracoes/webhooks")
    await user.should_see("Entregas")
    await user.should_not_see(secret)
    (endpoint,) = queries.endpoints(admin)
    assert endpoint.url == "https://erp.example.com/hooks/fatura" and endpoint.secret_masked != secret
    await table_rows(user)  # the tables are on screen
    rows = [r for table in user.find(ui.table).elements for r in table.rows if "secret" in r]
    assert rows[0]["secret"] == endpoint.secret_masked and rows[0]["status"] == "Ativo"


async def test_the_outbox_lists_pending_emails_and_the_bell_counts_notifications(user: User, acme, operator_of) -> None:  # type: ignore[no-untyped-def]
    admin, email = operator_of("admin")
    account = make_account(acme, name="Padaria Pão Quente Ltda")
    invoice_due(admin, account, local_today() + timedelta(days=10))
    suspend_billing_account(SqlUnitOfWork(admin), account_id=account.id, reason="Pedido do cliente")
    await sign_in(user, email)
    await user.open("/configuracoes/emails")
    await user.should_see("Pendente: 2 · Enviado: 0 · Falhou: 0")
    rows = await table_rows(user)
    assert {r["subject"] for r in rows} == {
        "Acme Serviços Ltda: fatura INV-000001 emitida",
        "Conta Padaria Pão Quente Ltda — Matriz suspensa",
    }
    assert {r["status"] for r in rows} == {"Pendente"} and {r["to"] for r in rows} == {account.billing_email}
    await user.should_see(marker="notifications-unread")
    assert text_of(user, "notifications-unread") == "1"


def on_table(user: User, key: str):  # type: ignore[no-untyped-def]
    """The interaction with the page's table whose rows carry `key` (several tables live on some pages)."""
    interaction = user.find(ui.table)
    interaction.elements = {t for t in interaction.elements if t.rows and key in t.rows[0]}
    assert len(interaction.elements) == 1
    return interaction


async def test_a_manager_marks_the_overdue_invoices_of_a_suspended_account_uncollectible(
    user: User, acme, operator_of
) -> None:  # type: ignore[no-untyped-def]
    admin, _ = operator_of("admin")
    _manager, email = operator_of("finance_manager")
    account = make_account(acme, name="Oficina do Beto Ltda")
    due = local_today() - timedelta(days=20)
    invoice = invoice_due(admin, account, due)
    run_daily_pass(lambda: SqlUnitOfWork(Actor.system("regua", acme.id)), today=due + timedelta(days=15))
    await sign_in(user, email)
    await user.open(f"/clientes/{account.customer_id}?tab=contas")
    await user.should_see("Régua de cobrança: fatura INV-000001 vencida há 15 dia(s) sem pagamento", retries=30)
    table = on_table(user, "can_write_off")
    row = next(iter(table.elements)).rows[0]
    assert row["status"] == "Suspensa" and row["can_write_off"] and row["open"] == 1
    table.trigger("writeoff", row)
    await user.should_see("Todas as faturas em aberto já vencidas desta conta serão baixadas como incobráveis.")
    reason = user.find(kind=ui.textarea)
    reason.elements = {e for e in reason.elements if e.props.get("label") == "Motivo"}
    reason.type("Cliente encerrou as atividades")
    user.find("Marcar incobráveis").click()
    await user.should_see("Faturas vencidas marcadas como incobráveis.")
    assert invoice_queries.invoice_detail(admin, invoice.id).invoice.status is InvoiceStatus.UNCOLLECTIBLE


async def test_resending_a_delivery_posts_it_again_signed(user: User, acme, operator_of) -> None:  # type: ignore[no-untyped-def]
    admin, email = operator_of("admin")
    with webhook_server([200]) as receiver:
        created = create_endpoint(SqlUnitOfWork(admin), url=receiver.url, events=["*"])
        suspend_billing_account(SqlUnitOfWork(admin), account_id=make_account(acme).id, reason="Pedido do cliente")
        await sign_in(user, email)
        await user.open("/configuracoes/webhooks")
        table = on_table(user, "attempts")
        (row,) = next(iter(table.elements)).rows
        assert row["status"] == "Pendente" and row["event"] == "billing_account.suspended"
        table.trigger("retry", row)
        await user.should_see("Entrega reenfileirada.")
    (request,) = receiver.requests
    assert signing.verify(created.secret, request.headers["Fatura-Signature"], request.body)
    (delivery,) = queries.deliveries(admin)
    assert delivery.status.value == "delivered" and delivery.last_status_code == 200
