"""Communication tasks: the daily reminder/dunning pass, sending the e-mail outbox and delivering webhooks.

Timing: an hourly periodic task (minute 5, UTC clock) runs the pass for every organization whose LOCAL hour has
reached its `dunning_hour` (preferences, default 9 → 09:05 America/Sao_Paulo). Later hours of the same day repeat
the pass as a catch-up (a consumer that was down at 9 still sends that day); the communication_sent log makes those
repeats send nothing twice. A per-minute task sends due e-mails and webhook deliveries; failures are retried with
exponential backoff recorded on the rows themselves (attempts, next_attempt_at), so retries survive restarts and
operators see them. The Huey-level retries only cover infrastructure errors (the database going away).
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from huey import crontab

from config import load_settings
from domain.access.permissions import Actor
from domain.base import utcnow
from domain.billing_runs import events as billing_run_events
from domain.communications import services as communications
from domain.dunning import services as dunning
from domain.webhooks import services as webhooks
from jobs import transports
from jobs.huey_app import huey
from persistence.queries import communications as queries
from persistence.unit_of_work import SqlUnitOfWork

log = logging.getLogger(__name__)


def _actor(name: str, organization_id: str | uuid.UUID) -> Actor:
    return Actor.system(name, uuid.UUID(str(organization_id)))


@huey.task(retries=2, retry_delay=60)
def run_dunning_pass(organization_id: str, today: str | None = None) -> dict:
    """The schedule of one organization for one day (its local date unless given). Idempotent."""
    actor = _actor("regua", organization_id)
    summary = dunning.run_daily_pass(lambda: SqlUnitOfWork(actor), today=date.fromisoformat(today) if today else None)
    return {"today": str(summary.today), "reminders": summary.reminders, "suspended": len(summary.suspended)}


@huey.periodic_task(crontab(minute="5"))
@huey.lock_task("communications-daily-pass")
def daily_communications() -> int:
    """Hourly: the pass of every organization whose local time has reached its hour (see the module docstring)."""
    started = 0
    for organization_id, timezone, _hour in organizations_due(utcnow()):
        try:
            run_dunning_pass.call_local(str(organization_id))
            started += 1
        except Exception:  # one organization's failure must not stop the others; logged with its id
            log.exception("dunning pass failed", extra={"organization_id": str(organization_id), "tz": timezone})
    return started


def organizations_due(now: datetime) -> list[tuple[uuid.UUID, str, int]]:
    due = []
    for organization_id, timezone, hour in queries.organizations_for_pass():
        if now.astimezone(ZoneInfo(timezone or "America/Sao_Paulo")).hour >= hour:
            due.append((organization_id, timezone, hour))
    return due


@huey.task(retries=3, retry_delay=60)
def send_email(organization_id: str, email_id: str, as_of: str | None = None) -> str:
    """Send one outbox e-mail (SMTP, or an .eml file when embedded) and record the outcome. Safe to repeat.
    `as_of` (ISO datetime) is the dispatcher's clock: the moment the e-mail was found due."""
    actor = _actor("email", organization_id)
    now = _moment(as_of)
    claimed = communications.claim_email(SqlUnitOfWork(actor), email_id=uuid.UUID(email_id), now=now)  # type: ignore[arg-type]
    if claimed is None:
        return "skipped"
    try:
        message_id = transports.send_email(claimed, load_settings())
    except Exception as error:  # every SMTP/OS failure is recorded on the row and retried with backoff
        log.warning("email %s failed: %s", email_id, error)
        email = communications.record_email_result(SqlUnitOfWork(actor), email_id=claimed.id,  # type: ignore[arg-type]
                                                   error=f"{type(error).__name__}: {error}", now=now)  # fmt: skip
        return email.status.value
    communications.record_email_result(SqlUnitOfWork(actor), email_id=claimed.id, message_id=message_id, now=now)  # type: ignore[arg-type]
    return "sent"


@huey.task(retries=3, retry_delay=60)
def deliver_webhook(organization_id: str, delivery_id: str, as_of: str | None = None) -> str:
    """POST one delivery, signed, with a 10 s timeout; record status code and the first 1 KB of the answer."""
    actor = _actor("webhook", organization_id)
    now = _moment(as_of)
    claimed = webhooks.claim_delivery(SqlUnitOfWork(actor), delivery_id=uuid.UUID(delivery_id), now=now)
    if claimed is None:
        return "skipped"
    result = transports.post_webhook(claimed)
    delivery = webhooks.record_delivery_attempt(
        SqlUnitOfWork(actor), delivery_id=claimed.id, status_code=result.status_code, response=result.response,
        error=result.error, millis=result.millis, at=max(now, utcnow()),
    )  # fmt: skip
    return delivery.status.value


@huey.periodic_task(crontab(minute="*"))
@huey.lock_task("communications-dispatch")
def dispatch_due() -> int:
    """Every minute: send the e-mails and deliveries whose (next) attempt is due, in every organization."""
    return dispatch_now(utcnow())


def dispatch_now(now: datetime) -> int:
    done = 0
    for organization_id, email_id in queries.due_emails(now):
        send_email.call_local(str(organization_id), str(email_id), now.isoformat())
        done += 1
    for organization_id, delivery_id in queries.due_deliveries(now):
        deliver_webhook.call_local(str(organization_id), str(delivery_id), now.isoformat())
        done += 1
    return done


ANNOUNCE_BATCH = 200
SWEEP_WINDOW = timedelta(days=3)


@huey.task(retries=3, retry_delay=60)
def announce_invoices(organization_id: str, invoice_ids: list[str]) -> int:
    """invoice_created for invoices the billing run committed; idempotent (see domain/communications/announcements)."""
    from domain.communications.announcements import announce_invoices as announce

    done = 0
    for start in range(0, len(invoice_ids), ANNOUNCE_BATCH):
        chunk = [uuid.UUID(i) for i in invoice_ids[start : start + ANNOUNCE_BATCH]]
        done += announce(SqlUnitOfWork(_actor("faturamento", organization_id)), invoice_ids=chunk)
    return done


@huey.periodic_task(crontab(minute="*/10"))
@huey.lock_task("communications-announce-sweep")
def sweep_unannounced_invoices() -> int:
    """What an announcing job lost (a worker died after the run committed) goes out at the latest 10 minutes later."""
    pending: dict[uuid.UUID, list[str]] = {}
    for organization_id, invoice_id in queries.unannounced_cycle_invoices(utcnow() - SWEEP_WINDOW):
        pending.setdefault(organization_id, []).append(str(invoice_id))
    return sum(announce_invoices.call_local(str(org), ids) for org, ids in pending.items())


def publish_billing_run_events(organization_id: uuid.UUID, events: list[tuple[str, str]]) -> None:
    """Subscriber of the billing run (domain/billing_runs/events.py): announce a committed batch's invoices."""
    created = [entity_id for name, entity_id in events if name == "invoice_created"]
    if created:
        announce_invoices(str(organization_id), created)


billing_run_events.subscribe(publish_billing_run_events)


def _moment(as_of: str | None) -> datetime:
    """The dispatcher's clock when given (never earlier than the real one), else now."""
    now = utcnow()
    return max(now, datetime.fromisoformat(as_of)) if as_of else now
