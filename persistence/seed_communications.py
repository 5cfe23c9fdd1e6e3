"""Demo rows of communications: the day's reminder pass over the demo invoices (e-mails in the outbox, notifications
for the bell). Re-run safe: the pass's own log makes a second run send nothing."""

from __future__ import annotations

import uuid

from domain.access.permissions import Actor
from domain.dunning.services import run_daily_pass
from persistence.unit_of_work import SqlUnitOfWork


def seed_communications(database_url: str, organization_id: uuid.UUID) -> int:
    actor = Actor.system("seed", organization_id)
    summary = run_daily_pass(lambda: SqlUnitOfWork(actor, database_url=database_url))
    return summary.reminders
