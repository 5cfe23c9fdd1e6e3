"""The communication schedule: reminders on −7, −3, −1, 0, +3, +7 and +15 days through each step's channels, once,
never to a paused customer nor for a paid invoice; events of the invoice use cases reach the outbox."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from domain.access.permissions import Actor
from domain.communications import services as communications
from domain.communications.announcements import ANNOUNCE
from domain.communications.model import AppNotification, CommunicationSent, OutboxEmail
from domain.customers.model import Customer
from domain.dunning.services import run_daily_pass
from domain.payments.services import record_payment
from domain.webhooks.model import WebhookDelivery
from domain.webhooks.services import create_endpoint
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.billing_factories import make_account
from tests.support.communication_factories import invoice_due, local_today


def rows(actor: Actor, model: type) -> list:
    """The model's rows; of the communication log, the schedule's steps only (not the invoices' announcements)."""
    statement = select(model)
    if model is CommunicationSent:
        statement = statement.where(CommunicationSent.channel != ANNOUNCE)
    with SqlUnitOfWork(actor) as uow:
        found = list(uow.session.scalars(statement))
        uow.commit()  # keeps the rows loaded (a rollback would expire them)
        return found


def run_days(actor: Actor, first, last) -> None:  # type: ignore[no-untyped-def]
    day = first
    while day <= last:
        run_daily_pass(lambda: SqlUnitOfWork(actor), today=day)
        day += timedelta(days=1)


def test_reminders_go_out_on_each_step_day_through_the_step_channels_and_only_once(org, admin) -> None:  # type: ignore[no-untyped-def]
    system = Actor.system("teste", org.id)
    create_endpoint(SqlUnitOfWork(admin), url="https://erp.example.com/hooks", events=["invoice_overdue"])
    due = local_today() - timedelta(days=30)
    invoice = invoice_due(admin, make_account(org), due)
    run_days(system, due - timedelta(days=10), due + timedelta(days=20))
    run_days(system, due - timedelta(days=10), due + timedelta(days=20))  # the whole month again: nothing new

    sent = rows(system, CommunicationSent)
    by_day: dict[int, set[str]] = {}
    for row in sent:
        assert row.invoice_id == invoice.id and row.sent_on == due + timedelta(days=row.step_offset)
        by_day.setdefault(row.step_offset, set()).add(row.channel)
    assert by_day == {
        -7: {"email"}, -3: {"email"}, -1: {"email"}, 0: {"email", "in_app"},
        3: {"email", "in_app", "webhook"}, 7: {"email", "in_app", "webhook"},
        15: {"email", "in_app", "webhook", "suspension"},
    }  # fmt: skip
    subjects = sorted(e.subject for e in rows(system, OutboxEmail) if e.event != "invoice_created")
    assert subjects.count("Lembrete: a fatura INV-000001 vence em 7 dia(s)") == 1
    assert "A fatura INV-000001 vence hoje" in subjects
    assert "Fatura INV-000001 vencida há 15 dia(s)" in subjects
    assert (
        len([e for e in rows(system, OutboxEmail) if e.event.startswith("invoice_") and e.event != "invoice_created"])
        == 7
    )
    overdue_hooks = [d for d in rows(system, WebhookDelivery) if d.event == "invoice_overdue"]
    assert len(overdue_hooks) == 3  # +3, +7, +15: the endpoint subscribed to invoice_overdue only
    notes = [n.title for n in rows(system, AppNotification) if n.event.startswith("invoice_")]
    assert sorted(notes)[0].startswith("Fatura vence hoje · INV-000001 · ")


def test_a_customer_who_paused_communications_gets_nothing(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    due = local_today() - timedelta(days=30)
    with SqlUnitOfWork(admin) as uow:
        uow.get(Customer, account.customer_id, label="Cliente").communications_paused = True
        uow.commit()
    invoice_due(admin, account, due)
    run_days(Actor.system("teste", org.id), due - timedelta(days=7), due + timedelta(days=15))
    assert rows(admin, CommunicationSent) == []
    assert [e.event for e in rows(admin, OutboxEmail)] == []  # not even the invoice_created e-mail


def test_a_paid_invoice_stops_its_reminders(org, admin) -> None:  # type: ignore[no-untyped-def]
    system = Actor.system("teste", org.id)
    due = local_today() - timedelta(days=30)
    invoice = invoice_due(admin, make_account(org), due)
    run_days(system, due - timedelta(days=7), due)
    record_payment(SqlUnitOfWork(admin), invoice_id=invoice.id, amount_cents=invoice.net_value_cents,
                   paid_on=local_today())  # fmt: skip
    run_days(system, due + timedelta(days=1), due + timedelta(days=20))
    assert sorted({r.step_offset for r in rows(system, CommunicationSent)}) == [-7, -3, -1, 0]
    assert [e.subject for e in rows(system, OutboxEmail) if e.event == "payment_received"] == [
        "Pagamento recebido: fatura INV-000001"
    ]


def test_an_organization_schedule_replaces_the_defaults(org, admin) -> None:  # type: ignore[no-untyped-def]
    system = Actor.system("teste", org.id)
    steps = communications.save_schedule(SqlUnitOfWork(admin), steps=[
        {"offset": 2, "channels": ["in_app"]}, {"offset": -2, "channels": ["email", "email"]},
    ])  # fmt: skip
    assert steps == [
        {"offset": -2, "channels": ["email"], "event": "invoice_due_soon"},
        {"offset": 2, "channels": ["in_app"], "event": "invoice_overdue"},
    ]
    due = local_today() - timedelta(days=30)
    invoice_due(admin, make_account(org), due)
    run_days(system, due - timedelta(days=10), due + timedelta(days=10))
    assert sorted((r.step_offset, r.channel) for r in rows(system, CommunicationSent)) == [
        (-2, "email"), (2, "in_app"), (2, "suspension"),
    ]  # fmt: skip
    assert communications.save_schedule(SqlUnitOfWork(admin), steps=None)[0]["offset"] == -7  # restore defaults


def test_finalizing_an_invoice_writes_its_email_to_the_billing_address(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org, name="Padaria Pão Quente Ltda")
    invoice = invoice_due(admin, account, local_today() + timedelta(days=5))
    (email,) = rows(admin, OutboxEmail)
    assert email.event == "invoice_created" and email.to_address == account.billing_email
    assert email.subject == "Acme Serviços Ltda: fatura INV-000001 emitida"
    assert "Olá, Padaria Pão Quente Ltda." in email.body_text
    assert "R$ 10.000,00" in email.body_text and invoice.due_on.strftime("%d/%m/%Y") in email.body_text
    assert email.status == "pending" and email.invoice_id == invoice.id


def test_each_invoice_of_a_batch_reaches_its_own_account_and_every_subscribed_endpoint(org, admin) -> None:  # type: ignore[no-untyped-def]
    first = create_endpoint(SqlUnitOfWork(admin), url="https://erp.example.com/hooks", events=["invoice_overdue"])
    second = create_endpoint(SqlUnitOfWork(admin), url="https://bi.example.com/hooks", events=["*"])
    due = local_today() - timedelta(days=3)
    names = ("Padaria Pão Quente Ltda", "Oficina do Beto Ltda")
    accounts = [make_account(org, name=name) for name in names]
    invoices = [invoice_due(admin, account, due) for account in accounts]
    summary = run_daily_pass(lambda: SqlUnitOfWork(Actor.system("teste", org.id)), today=due + timedelta(days=3))
    assert summary.sent[3] == 2
    emails = {e.invoice_id: e for e in rows(admin, OutboxEmail) if e.event == "invoice_overdue"}
    for name, account, invoice in zip(names, accounts, invoices, strict=True):
        assert emails[invoice.id].to_address == account.billing_email
        assert f"Olá, {name}." in emails[invoice.id].body_text
    hooks = [d for d in rows(admin, WebhookDelivery) if d.event == "invoice_overdue"]
    assert sorted((d.endpoint_id, json.loads(d.body)["data"]["invoice"]["id"]) for d in hooks) == sorted(
        (endpoint.endpoint.id, str(invoice.id)) for endpoint in (first, second) for invoice in invoices
    )
