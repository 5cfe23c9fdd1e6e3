"""The daily reminder and dunning pass, and what follows it: suspension, write-off of overdue invoices, reactivation.

Each organization runs on its own calendar day (its timezone). For every schedule step, one set-based select finds the
open invoices in the step's window today (from the step's day until the next step's day: a day the worker missed is
caught up with the step the invoice is in now) that have no `communication_sent` row for that step yet; each is sent
on the step's channels and logged with one row per (invoice, step, channel) under a unique constraint, so re-running
the day (or two workers racing) sends nothing twice. Paused customers and settled invoices are never selected.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from domain.access.permissions import Permission
from domain.base import new_id, utcnow
from domain.billing_accounts.model import AccountStatus, BillingAccount
from domain.calendar import today_in
from domain.communications.events import EventType
from domain.communications.model import CommunicationSent
from domain.communications.ports import CommunicationUnitOfWork
from domain.communications.schedule import ScheduleStep, last_post_due_offset, steps_of
from domain.communications.services import emit_account_event, emit_invoice_event
from domain.errors import ValidationFailed
from domain.invoices.closing import write_off
from domain.invoices.model import Invoice

SUSPENSION = "suspension"  # pseudo-channel of communication_sent: the account was suspended for this step
DUNNING_REASON_PREFIX = "Régua de cobrança"
BATCH = 200
TRIAL_NOTICE_DAYS = 3


@dataclass
class PassSummary:
    today: date | None = None
    sent: dict[int, int] = field(default_factory=dict)  # step offset → invoices reminded
    suspended: list[uuid.UUID] = field(default_factory=list)
    trials_notified: int = 0

    @property
    def reminders(self) -> int:
        return sum(self.sent.values())


@dataclass(frozen=True)
class DueSuspension:
    account_id: uuid.UUID
    invoice_id: uuid.UUID
    step_offset: int


def run_daily_pass(
    new_uow: Callable[[], CommunicationUnitOfWork], *, today: date | None = None, batch: int = BATCH
) -> PassSummary:
    """Every step of the organization's schedule for `today` (its local date by default), in batches of `batch`
    invoices per transaction, then one transaction per account to suspend."""
    summary = PassSummary()
    with new_uow() as uow:
        org = uow.organizations.current()
        steps, today = steps_of(org.preferences), today or today_in(org.timezone)
        suspend = bool((org.preferences or {}).get("dunning_suspend", True))
    summary.today = today
    last = last_post_due_offset(steps)
    suspensions: list[DueSuspension] = []
    for step, next_step in zip(steps, [*steps[1:], None], strict=True):
        while True:
            done, due = send_step_batch(new_uow(), step=step, today=today, limit=batch, next_step=next_step,
                                        suspend_after=suspend and step.offset == last)  # fmt: skip
            summary.sent[step.offset] = summary.sent.get(step.offset, 0) + done
            suspensions += due
            if done < batch:
                break
    for due in suspensions:
        if suspend_for_dunning(new_uow(), account_id=due.account_id, invoice_id=due.invoice_id,
                               step_offset=due.step_offset, today=today):  # fmt: skip
            summary.suspended.append(due.account_id)
    while (done := notify_trials_ending(new_uow(), today=today, limit=batch)) > 0:
        summary.trials_notified += done
        if done < batch:
            break
    return summary


def notify_trials_ending(uow: CommunicationUnitOfWork, *, today: date, limit: int = BATCH) -> int:
    """trial_ending to the accounts whose trial ends within the organization's notice days (3 by default), once
    per trial (subscription.trial_notice_on), a day the worker missed included."""
    with uow:
        uow.actor.require(Permission.SUBSCRIPTIONS_READ)
        uow.describe("communications.trials_notified")
        org = uow.organizations.current()
        days = int((org.preferences or {}).get("trial_notice_days", TRIAL_NOTICE_DAYS))
        found = uow.subscriptions.trials_ending(today, today + timedelta(days=days), limit=limit)
        for subscription, account, plan in found:
            subscription.trial_notice_on = today
            emit_account_event(uow, EventType.TRIAL_ENDING, account, extra_variables={
                "dias": str((subscription.trial_end - today).days),
                "vencimento": subscription.trial_end.strftime("%d/%m/%Y"), "plano": plan.name,
            }, extra_data={"subscription_id": str(subscription.id), "trial_end": subscription.trial_end.isoformat(),
                           "plan": plan.name})  # fmt: skip
        uow.commit()
        return len(found)


def send_step_batch(
    uow: CommunicationUnitOfWork, *, step: ScheduleStep, today: date, limit: int, suspend_after: bool,
    next_step: ScheduleStep | None = None,
) -> tuple[int, list[DueSuspension]]:  # fmt: skip
    """One transaction: up to `limit` invoices in this step's window today get their messages and their log rows."""
    with uow:
        uow.actor.require(Permission.INVOICES_READ)
        uow.describe("communications.reminders_sent")
        due_after, due_on = step.window(today, next_step)
        rows = uow.communications.step_candidates(due_on, step.offset, limit=limit, due_after=due_after)
        suspensions = []
        for invoice, account, customer in rows:
            for channel in step.channels:
                uow.add(CommunicationSent(id=new_id(), organization_id=invoice.organization_id, invoice_id=invoice.id,
                                          step_offset=step.offset, channel=channel.value, sent_on=today,
                                          details={"event": step.event.value}))  # fmt: skip
            emit_invoice_event(uow, step.event, invoice, channels=step.channels, today=today, account=account,
                               customer=customer)  # fmt: skip
            if suspend_after and account.status is AccountStatus.ACTIVE:
                suspensions.append(DueSuspension(account.id, invoice.id, step.offset))
        uow.commit()
        return len(rows), suspensions


def suspend_for_dunning(
    uow: CommunicationUnitOfWork, *, account_id: uuid.UUID, invoice_id: uuid.UUID, step_offset: int, today: date
) -> bool:
    """After the last post-due step: suspend the account with the reason (audited), tell the integrations
    (billing_account.suspended). Once per invoice and step, even if an operator reactivates the account."""
    with uow:
        uow.actor.require(Permission.BILLING_ACCOUNTS_SUSPEND)
        invoice = uow.invoices.get(invoice_id)
        reason = (f"{DUNNING_REASON_PREFIX}: fatura {invoice.display_number} vencida há {step_offset} dia(s) "
                  "sem pagamento")  # fmt: skip
        uow.describe("billing_account.suspended", reason=reason)
        if uow.communications.was_sent(invoice_id, step_offset, SUSPENSION):
            return False
        uow.add(CommunicationSent(id=new_id(), organization_id=invoice.organization_id, invoice_id=invoice.id,
                                  step_offset=step_offset, channel=SUSPENSION, sent_on=today,
                                  details={"account_id": str(account_id)}))  # fmt: skip
        account = uow.get(BillingAccount, account_id, label="Conta de faturamento", for_update=True)
        if (
            account.status is not AccountStatus.ACTIVE
            or account.deleted_at is not None
            or invoice.outstanding_cents <= 0
        ):
            uow.commit()  # logged, so a later pass does not try again
            return False
        account.suspend(reason=reason, now=utcnow())
        emit_account_event(uow, EventType.ACCOUNT_SUSPENDED, account,
                           extra_data={"invoice_id": str(invoice.id), "step_offset": step_offset})  # fmt: skip
        uow.commit()
        return True


def write_off_overdue_invoices(
    uow: CommunicationUnitOfWork, *, account_id: uuid.UUID, reason: str, today: date | None = None
) -> list[Invoice]:
    """A manager marks every overdue open invoice of the account uncollectible, in one transaction."""
    with uow:
        uow.actor.require(Permission.INVOICES_WRITE_OFF)
        reason = (reason or "").strip()
        uow.describe("billing_account.overdue_written_off", reason=reason or None)
        if len(reason) < 3:
            raise ValidationFailed("Informe o motivo da baixa (ao menos 3 caracteres).", field="reason")
        account = uow.get(BillingAccount, account_id, label="Conta de faturamento", for_update=True)
        today = today or today_in(uow.organizations.current().timezone)
        invoices = uow.communications.overdue_open_invoices(account.id, today, for_update=True)
        if not invoices:
            raise ValidationFailed("Esta conta não tem faturas vencidas em aberto.")
        for invoice in invoices:
            write_off(uow, invoice, account, reason=reason, on=today)
        uow.commit()
        return invoices


def reactivate_if_settled(uow: CommunicationUnitOfWork, account: BillingAccount, *, today: date) -> bool:
    """Inside a payment's transaction: when the organization opted in (preferences["dunning_reactivate_on_payment"])
    and the account was suspended by dunning, paying every overdue invoice reactivates it (audited, webhook)."""
    org = uow.organizations.current()
    if not (org.preferences or {}).get("dunning_reactivate_on_payment"):
        return False
    if account.status is not AccountStatus.SUSPENDED or not (account.suspension_reason or "").startswith(
        DUNNING_REASON_PREFIX
    ):
        return False
    uow.flush()  # the payment's own changes are audited under the payment's action
    if uow.communications.overdue_open_invoices(account.id, today):
        return False
    uow.describe("billing_account.reactivated", reason="Pagamento quitou as faturas vencidas (régua de cobrança)")
    account.reactivate()
    uow.flush()
    emit_account_event(uow, EventType.ACCOUNT_REACTIVATED, account)
    return True
