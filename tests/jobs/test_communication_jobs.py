"""Communication jobs through the real queue: outbox e-mails reach a real SMTP server (aiosmtpd) or become .eml files
when no SMTP host is configured; webhook deliveries reach a real HTTP server that verifies the signature; the daily
pass runs for organizations whose local hour has come."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from domain.billing_accounts.services import suspend_billing_account
from domain.communications.model import OutboxStatus
from domain.webhooks import signing
from domain.webhooks.model import DeliveryStatus
from domain.webhooks.services import create_endpoint
from jobs import communications as jobs
from persistence.queries import communications as queries
from persistence.unit_of_work import SqlUnitOfWork
from tests.jobs.test_queue import run_pending
from tests.support.billing_factories import make_account
from tests.support.communication_factories import free_port, invoice_due, local_today, smtp_server, webhook_server
from tests.support.factories import make_operator, make_organization


@pytest.fixture
def acme(sqlite_only: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple]:
    monkeypatch.setenv("FATURA_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("FATURA_STORAGE_SECRET", "teste")
    for name in ("FATURA_SMTP_HOST", "FATURA_SMTP_PORT", "FATURA_SMTP_USER", "FATURA_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    org = make_organization("acme")
    yield org, make_operator(org, "admin")


def enqueue_due() -> None:
    for org_id, email_id in queries.due_emails(datetime.now(UTC) + timedelta(seconds=1)):
        jobs.send_email(str(org_id), str(email_id))
    for org_id, delivery_id in queries.due_deliveries(datetime.now(UTC) + timedelta(seconds=1)):
        jobs.deliver_webhook(str(org_id), str(delivery_id))


def test_an_outbox_email_is_sent_through_a_real_smtp_server(queue: str, acme, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    org, admin = acme
    account = make_account(org, name="Padaria Pão Quente Ltda")
    with smtp_server() as inbox:
        monkeypatch.setenv("FATURA_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("FATURA_SMTP_PORT", str(inbox.port))
        monkeypatch.setenv("FATURA_SMTP_TLS", "none")
        monkeypatch.setenv("FATURA_MAIL_FROM", "Acme Cobrança <cobranca@acme.com.br>")
        invoice_due(admin, account, local_today() + timedelta(days=10))
        enqueue_due()
        assert run_pending() == 1
        enqueue_due()  # nothing is due any more: sent once
        assert run_pending() == 0
    ((mail_from, recipients, message),) = inbox.messages
    assert mail_from == "cobranca@acme.com.br" and recipients == [account.billing_email]
    assert message["Subject"] == "Acme Serviços Ltda: fatura INV-000001 emitida"
    text = message.get_body(("plain",)).get_content()
    assert "Olá, Padaria Pão Quente Ltda." in text and "R$ 10.000,00" in text
    assert "<br>" in message.get_body(("html",)).get_content()
    (row,) = queries.outbox(admin)
    assert row.status is OutboxStatus.SENT and row.attempts == 1 and row.sent_at is not None


def test_without_smtp_the_email_is_written_as_an_eml_file_under_var_outbox(queue: str, acme, tmp_path) -> None:  # type: ignore[no-untyped-def]
    org, admin = acme
    account = make_account(org)
    invoice_due(admin, account, local_today() + timedelta(days=10))
    enqueue_due()
    assert run_pending() == 1
    (row,) = queries.outbox(admin)
    assert row.status is OutboxStatus.SENT
    path = tmp_path / "var" / "outbox" / str(org.id) / f"{row.id}.eml"
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["To"] == account.billing_email and message["Subject"] == row.subject
    assert message["Message-ID"] and message["Date"]


def test_an_unreachable_smtp_server_is_retried_later_with_the_error_recorded(queue: str, acme, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    org, admin = acme
    monkeypatch.setenv("FATURA_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("FATURA_SMTP_PORT", str(free_port()))  # nobody listens there
    monkeypatch.setenv("FATURA_SMTP_TLS", "none")
    invoice_due(admin, make_account(org), local_today() + timedelta(days=10))
    enqueue_due()
    assert run_pending() == 1
    (row,) = queries.outbox(admin)
    assert row.status is OutboxStatus.PENDING and row.attempts == 1 and "ConnectionRefused" in row.last_error
    assert row.next_attempt_at > datetime.now(UTC) + timedelta(seconds=50)
    assert queries.pending_emails_count(admin) == 1


def test_a_webhook_reaches_a_real_server_signed_with_the_endpoint_secret(queue: str, acme) -> None:  # type: ignore[no-untyped-def]
    org, admin = acme
    with webhook_server([500, 200]) as receiver:
        created = create_endpoint(SqlUnitOfWork(admin), url=receiver.url, events=["billing_account.suspended"])
        suspend_billing_account(SqlUnitOfWork(admin), account_id=make_account(org).id, reason="Pedido do cliente")
        enqueue_due()
        assert run_pending() == 2  # the customer's e-mail (an .eml here) and the webhook
        (first,) = queries.deliveries(admin)
        assert first.status is DeliveryStatus.PENDING and first.last_status_code == 500
        assert len(first.last_response) == 1024 and first.last_response.startswith("recebido 500")
        jobs.dispatch_now(first.next_attempt_at)  # the backoff's moment has come
    assert len(receiver.requests) == 2
    for request in receiver.requests:
        assert request.path == "/hooks/fatura" and request.headers["Fatura-Event"] == "billing_account.suspended"
        assert signing.verify(created.secret, request.headers["Fatura-Signature"], request.body)
        assert not signing.verify(created.secret, request.headers["Fatura-Signature"], request.body + b" ")
    assert b'"suspension_reason": "Pedido do cliente"' in receiver.requests[0].body
    (done,) = queries.deliveries(admin)
    assert done.status is DeliveryStatus.DELIVERED and done.attempts == 2 and done.last_status_code == 200


def test_the_daily_pass_runs_for_organizations_whose_local_hour_has_come(acme) -> None:  # type: ignore[no-untyped-def]
    org, _admin = acme
    before = datetime(2026, 11, 21, 11, 59, tzinfo=UTC)  # 08:59 in São Paulo
    after = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)  # 09:00 in São Paulo
    assert [o for o, _tz, _h in jobs.organizations_due(before)] == []
    assert [o for o, _tz, _h in jobs.organizations_due(after)] == [org.id]
    assert jobs.daily_communications.task_class().validate_datetime(datetime(2026, 11, 21, 12, 5))
    assert not jobs.daily_communications.task_class().validate_datetime(datetime(2026, 11, 21, 12, 6))


def test_the_pass_task_sends_the_reminders_of_the_day_once(queue: str, acme) -> None:  # type: ignore[no-untyped-def]
    org, admin = acme
    due = local_today() + timedelta(days=3)
    invoice_due(admin, make_account(org), due)
    jobs.run_dunning_pass(str(org.id))
    jobs.run_dunning_pass(str(org.id))
    assert run_pending() == 2
    subjects = [r.subject for r in queries.outbox(admin)]
    assert subjects.count("Lembrete: a fatura INV-000001 vence em 3 dia(s)") == 1
