"""Import tasks through the real queue (Redis and SQLite) on both databases: a queued file is imported by a
worker, a duplicate task changes nothing, and a run a dead worker left behind is picked up again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

import jobs.imports
from domain.access.permissions import Actor
from domain.customers.model import Customer
from domain.imports.model import ImportRun, ImportStatus
from jobs.imports import resume_stalled_imports, run_import, run_import_now
from persistence.queries import imports as queries
from persistence.unit_of_work import SqlUnitOfWork
from tests.jobs.test_queue import run_pending
from tests.support.import_files import SAMPLE_COUNTS, sample_csv, start, upload


@pytest.fixture(autouse=True)
def var_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FATURA_VAR_DIR", str(tmp_path))
    return tmp_path


def customers(actor: Actor) -> int:
    with SqlUnitOfWork(actor) as uow:
        return uow.session.scalar(select(func.count()).select_from(Customer)) or 0


def test_a_queued_import_is_run_by_a_worker_and_a_duplicate_task_changes_nothing(
    queue: str, database_url: str, admin: Actor
) -> None:
    run = start(admin, upload(admin, sample_csv()))
    run_import(str(admin.organization_id), str(run.id), str(admin.id))
    run_import(str(admin.organization_id), str(run.id), str(admin.id))  # enqueued twice (a double click, a retry)
    assert run_pending() == 2
    done = queries.get_run(admin, run.id)
    assert done.status is ImportStatus.DONE and done.counts == SAMPLE_COUNTS
    assert customers(admin) == 3


def test_a_run_a_dead_worker_left_behind_is_queued_again_and_finishes(
    queue: str, database_url: str, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = start(admin, upload(admin, sample_csv()), batch_size=2)

    def killed(batch: int) -> None:
        if batch == 1:
            raise SystemExit("kill -9")  # not an Exception: nothing records the failure, as with a real kill

    with pytest.raises(SystemExit):
        run_import_now(admin, run.id, after_batch=killed)
    with SqlUnitOfWork(admin) as uow:
        assert uow.imports.get(run.id).status is ImportStatus.RUNNING  # still "running", but nobody runs it
        uow.session.execute(update(ImportRun).values(updated_at=datetime.now(UTC) - timedelta(hours=1)))
        uow.commit()
    monkeypatch.setattr(jobs.imports, "STALLED_AFTER", timedelta(minutes=15))
    assert resume_stalled_imports.call_local() == 1
    assert run_pending() == 1
    done = queries.get_run(admin, run.id)
    assert done.status is ImportStatus.DONE and done.counts == SAMPLE_COUNTS and customers(admin) == 3
    assert resume_stalled_imports.call_local() == 0


def test_stalled_imports_are_looked_for_every_ten_minutes() -> None:
    task = resume_stalled_imports.task_class()
    assert task.validate_datetime(datetime(2026, 1, 1, 3, 20))
    assert not task.validate_datetime(datetime(2026, 1, 1, 3, 21))
