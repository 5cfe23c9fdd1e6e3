"""Housekeeping tasks."""

from __future__ import annotations

from datetime import UTC, datetime

from jobs.huey_app import huey


@huey.task()
def ping_queue() -> str:
    """A round trip through the queue: proves a worker consumes what the app enqueues."""
    return datetime.now(UTC).isoformat()
