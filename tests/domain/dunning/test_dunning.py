"""Dunning: after the last post-due step the account is suspended (reason, audit, webhook); a manager writes off its
overdue invoices in one go; paying everything reactivates it when the organization chose so, not otherwise."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from domain.access.permissions import Actor
from domain.audit.model import AuditEvent
from domain.billing_accounts.model import AccountStatus, BillingAccount
from domain.billing_accounts.services import reactivate_billing_account
from domain.communications import services as communications
from domain.dunning.services import run_daily_pass, write_off_overdue_invoices
from domain.errors import PermissionDenied
from domain.invoices.model import Invoice, InvoiceStatus
from domain.payments.services import record_payment
from domain.webhooks.model import WebhookDelivery
from domain.webhooks.services import create_endpoint
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.billing_factories import make_account
from tests.support.communication_factories import invoice_due, local_today
from tests.support.factories import make_operator


def load(actor: Actor, model: type, entity_id) -> object:  # type: ignore[no-untyped-def]
    with SqlUnitOfWork(actor) as uow:
        found = uow.get(model, entity_id, label="x")
        uow.commit()
        return found


def pass_on(actor: Actor, day) -> object:  # type: ignore[no-untyped-def]
    return run_daily_pass(lambda: SqlUnitOfWork(Actor.system("regua", actor.organization_id)), today=day)


@pytest.fixture
def overdue(org, admin):  # type: ignore[no-untyped-def]
    """An account with an invoice 30 days overdue and an endpoint listening to suspensions."""
    create_endpoint(SqlUnitOfWork(admin), url="https://erp.example.com/hooks", events=["billing_account.suspended"])
    account = make_account(org, name="Oficina do Beto Ltda")
    due = local_today() - timedelta(days=30)
    return account, invoice_due(admin, account, due), due


def test_the_account_is_suspended_after_the_last_post_due_step_with_reason_audit_and_webhook(admin, overdue) -> None:  # type: ignore[no-untyped-def]
    account, invoice, due = overdue
    assert pass_on(admin, due + timedelta(days=14)).suspended == []
    summary = pass_on(admin, due + timedelta(days=15))
    assert summary.suspended == [account.id] and summary.sent == {-7: 0, -3: 0, -1: 0, 0: 0, 3: 0, 7: 0, 15: 1}
    suspended = load(admin, BillingAccount, account.id)
    reason = "Régua de cobrança: fatura INV-000001 vencida há 15 dia(s) sem pagamento"
    assert suspended.status is AccountStatus.SUSPENDED and suspended.suspension_reason == reason
    with SqlUnitOfWork(admin) as uow:
        audit = uow.session.scalars(
            select(AuditEvent).where(
                AuditEvent.entity_id == str(account.id), AuditEvent.action == "billing_account.suspended"
            )
        ).one()
        (hook,) = uow.session.scalars(select(WebhookDelivery)).all()
        uow.commit()
    assert (
        audit.reason == reason and audit.actor_kind == "system" and audit.changes["status"] == ["active", "suspended"]
    )
    body = json.loads(hook.body)
    assert body["type"] == "billing_account.suspended" and body["data"]["invoice_id"] == str(invoice.id)
    assert body["data"]["billing_account"]["suspension_reason"] == reason


def test_running_the_day_again_does_not_suspend_an_account_an_operator_reactivated(admin, overdue) -> None:  # type: ignore[no-untyped-def]
    account, _invoice, due = overdue
    pass_on(admin, due + timedelta(days=15))
    reactivate_billing_account(SqlUnitOfWork(admin), account_id=account.id, reason="Acordo de pagamento")
    assert pass_on(admin, due + timedelta(days=15)).suspended == []
    assert load(admin, BillingAccount, account.id).status is AccountStatus.ACTIVE


def test_a_manager_writes_off_every_overdue_invoice_of_the_account_at_once(org, admin, overdue) -> None:  # type: ignore[no-untyped-def]
    account, invoice, due = overdue
    second = invoice_due(admin, account, due + timedelta(days=5))
    future = invoice_due(admin, account, local_today() + timedelta(days=10))
    pass_on(admin, due + timedelta(days=15))
    operator = make_operator(org, "finance_operator")
    with pytest.raises(PermissionDenied):
        write_off_overdue_invoices(SqlUnitOfWork(operator), account_id=account.id, reason="Dívida incobrável")
    manager = make_operator(org, "finance_manager")
    written = write_off_overdue_invoices(SqlUnitOfWork(manager), account_id=account.id, reason="Dívida incobrável")
    assert {i.id for i in written} == {invoice.id, second.id}
    assert load(admin, Invoice, invoice.id).status is InvoiceStatus.UNCOLLECTIBLE
    assert load(admin, Invoice, second.id).uncollectible_reason == "Dívida incobrável"
    assert load(admin, Invoice, future.id).status is InvoiceStatus.OPEN
    assert load(admin, BillingAccount, account.id).balance_cents == -future.net_value_cents


@pytest.mark.parametrize("opted_in", [True, False])
def test_paying_everything_reactivates_the_account_only_when_the_organization_chose_so(
    admin, overdue, opted_in
) -> None:  # type: ignore[no-untyped-def]
    account, invoice, due = overdue
    communications.save_options(SqlUnitOfWork(admin), options={"dunning_reactivate_on_payment": opted_in})
    pass_on(admin, due + timedelta(days=15))
    record_payment(SqlUnitOfWork(admin), invoice_id=invoice.id, amount_cents=invoice.net_value_cents,
                   paid_on=local_today())  # fmt: skip
    after = load(admin, BillingAccount, account.id)
    assert after.status is (AccountStatus.ACTIVE if opted_in else AccountStatus.SUSPENDED)
    with SqlUnitOfWork(admin) as uow:
        actions = [a.action for a in uow.session.scalars(select(AuditEvent).where(
            AuditEvent.entity_id == str(account.id)).order_by(AuditEvent.occurred_at))]  # fmt: skip
        uow.commit()
    assert ("billing_account.reactivated" in actions) is opted_in


def test_a_partial_payment_keeps_the_account_suspended(admin, overdue) -> None:  # type: ignore[no-untyped-def]
    account, invoice, due = overdue
    communications.save_options(SqlUnitOfWork(admin), options={"dunning_reactivate_on_payment": True})
    pass_on(admin, due + timedelta(days=15))
    record_payment(SqlUnitOfWork(admin), invoice_id=invoice.id, amount_cents=100_00, paid_on=local_today())
    assert load(admin, BillingAccount, account.id).status is AccountStatus.SUSPENDED


def test_a_day_the_worker_missed_is_caught_up_with_the_step_the_invoice_is_in_now(admin, overdue) -> None:  # type: ignore[no-untyped-def]
    _account, _invoice, due = overdue
    late = pass_on(admin, due + timedelta(days=5))  # the +3 step's day passed without a run
    assert late.sent[3] == 1 and late.sent[0] == 0 and late.suspended == []
    assert pass_on(admin, due + timedelta(days=6)).reminders == 0  # caught up once, not again


def test_the_suspension_still_happens_when_the_last_steps_day_was_missed(admin, overdue) -> None:  # type: ignore[no-untyped-def]
    account, _invoice, due = overdue
    summary = pass_on(admin, due + timedelta(days=18))
    assert summary.suspended == [account.id] and summary.sent[15] == 1 and summary.sent[7] == 0
    assert load(admin, BillingAccount, account.id).status is AccountStatus.SUSPENDED


def test_a_trial_ending_is_told_once_a_few_days_before_through_email_and_webhook(org, admin) -> None:  # type: ignore[no-untyped-def]
    from domain.communications.model import OutboxEmail
    from tests.support.subscription_factories import make_plan, subscribe

    create_endpoint(SqlUnitOfWork(admin), url="https://erp.example.com/hooks", events=["trial_ending"])
    account = make_account(org, name="Estúdio Teste Grátis Ltda")
    start = local_today()
    subscribe(admin, account, make_plan(admin, "Pro", "200.00"), start_on=start, trial_days=14)
    assert pass_on(admin, start + timedelta(days=10)).trials_notified == 0  # 4 days before: not yet
    assert pass_on(admin, start + timedelta(days=11)).trials_notified == 1  # 3 days before
    assert pass_on(admin, start + timedelta(days=12)).trials_notified == 0  # once
    with SqlUnitOfWork(admin) as uow:
        (email,) = uow.session.scalars(select(OutboxEmail).where(OutboxEmail.event == "trial_ending")).all()
        (hook,) = uow.session.scalars(select(WebhookDelivery).where(WebhookDelivery.event == "trial_ending")).all()
        assert email.subject == "Seu período de teste termina em 3 dia(s)"
        assert (start + timedelta(days=14)).strftime("%d/%m/%Y") in email.body_text
        assert json.loads(hook.body)["data"]["plan"] == "Pro"
