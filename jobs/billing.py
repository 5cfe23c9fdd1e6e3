"""The daily billing run: at 01:00 UTC one task per organization is enqueued; each runs (or resumes, or joins) that
organization's run up to its own calendar day. The manager's button and `run.py billing-run` call the same code."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, date, datetime

from huey import crontab
from sqlalchemy import select

from domain.access.permissions import Actor
from domain.billing_runs.services import run_billing, run_date_for
from domain.organizations.model import Organization
from jobs import communications  # noqa: F401  (announces the run's invoices: it subscribes to the run's events)
from jobs.huey_app import huey
from persistence.unit_of_work import SqlUnitOfWork

log = logging.getLogger(__name__)


@huey.periodic_task(crontab(hour="1", minute="0"))
def schedule_billing_runs() -> int:
    """Enqueue one billing run per organization; returns how many were enqueued."""
    with SqlUnitOfWork(Actor.system("faturamento")) as uow:
        org_ids = list(uow.session.scalars(select(Organization.id).order_by(Organization.id)))
    for org_id in org_ids:
        run_organization_billing(str(org_id), None, "schedule")
    return len(org_ids)


@huey.task(retries=3, retry_delay=300)
def run_organization_billing(organization_id: str, run_date: str | None = None, trigger: str = "schedule") -> dict:
    """Idempotent: a repeated or concurrent task creates no invoice twice (see domain/billing_runs/services.py); a
    retry after a crash resumes the run where its last batch committed."""
    return bill_organization(uuid.UUID(organization_id), date.fromisoformat(run_date) if run_date else None, trigger)


def bill_organization(organization_id: uuid.UUID, run_date: date | None, trigger: str) -> dict:
    actor = Actor.system("faturamento", organization_id)
    if run_date is None:
        with SqlUnitOfWork(actor) as uow:
            run_date = run_date_for(uow.organizations.current().timezone, datetime.now(UTC))
    summary = run_billing(lambda: SqlUnitOfWork(actor), run_date=run_date, trigger=trigger)
    log.info("billing run done", extra=summary.as_dict())
    return summary.as_dict()
