"""Housekeeping of the REST API: idempotency records are kept 24 hours, then purged every hour."""

from __future__ import annotations

import logging

from huey import crontab

from jobs.huey_app import huey
from persistence.api_access import purge_idempotency_records

log = logging.getLogger(__name__)


@huey.periodic_task(crontab(minute="17"))
@huey.lock_task("purge-idempotency-records")
def purge_api_idempotency_records() -> int:
    """Forget first responses older than 24 hours (a replay after that runs the request again)."""
    purged = purge_idempotency_records()
    if purged:
        log.info("idempotency records purged: %s", purged)
    return purged
