"""Tasks travel through the real queue (Redis in production, a SQLite file when embedded) and come back."""

from __future__ import annotations

from jobs import huey_app
from jobs.maintenance import ping_queue


def run_pending() -> int:
    """What a consumer does, synchronously: take each queued task and execute it."""
    done = 0
    while (task := huey_app.huey.dequeue()) is not None:
        huey_app.huey.execute(task)
        done += 1
    return done


def test_an_enqueued_task_is_stored_in_the_queue_and_executed_by_a_worker(queue: str) -> None:
    result = ping_queue()
    assert huey_app.huey.pending_count() == 1
    assert run_pending() == 1
    assert result.get(blocking=True, timeout=5).startswith("20")


def test_health_sees_the_queue_backend(queue: str) -> None:
    assert huey_app.ping()
    assert huey_app.backend_name() == queue
