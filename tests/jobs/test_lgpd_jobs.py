"""LGPD tasks through the real queue (Redis and SQLite) on both databases: the export job, the purge of confirmed
erasures whose window has passed, and exports deleted once their link has expired."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

import jobs.lgpd
from domain.access.permissions import Actor
from domain.background_jobs.model import BackgroundJob, JobStatus
from domain.customers.model import Customer
from domain.files.model import StoredFile
from domain.lgpd import services as lgpd
from domain.lgpd.model import ErasureRequest, ErasureStatus
from domain.organizations.model import Organization
from jobs.lgpd import build_lgpd_export, purge_lgpd
from jobs.segments import lgpd_bulk_available
from persistence import files
from persistence.unit_of_work import SqlUnitOfWork
from tests.jobs.test_queue import run_pending
from tests.support.billing_factories import make_account


@pytest.fixture(autouse=True)
def var_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("FATURA_VAR_DIR", str(tmp_path))
    files.configure(None)
    yield tmp_path


def one(actor: Actor, model: type, **where: object):  # type: ignore[no-untyped-def]
    with SqlUnitOfWork(actor) as uow:
        found = uow.session.scalars(select(model).filter_by(**where)).one()
        uow.session.expunge(found)
        return found


def test_the_purge_executes_confirmed_erasures_whose_window_has_passed(
    queue: str, database_url: str, org: Organization, admin: Actor
) -> None:
    lgpd.set_erasure_window(SqlUnitOfWork(admin), days=0)
    confirmed, waiting = make_account(org), make_account(org)
    request = lgpd.request_erasure(SqlUnitOfWork(admin), customer_id=confirmed.customer_id, reason="pedido")
    lgpd.confirm_erasure(SqlUnitOfWork(admin), request_id=request.id)
    lgpd.request_erasure(SqlUnitOfWork(admin), customer_id=waiting.customer_id, reason="pedido, sem confirmação")
    purge_lgpd()  # enqueued as the consumer's clock would
    assert run_pending() == 1
    assert one(admin, ErasureRequest, id=request.id).status is ErasureStatus.EXECUTED
    assert one(admin, Customer, id=confirmed.customer_id).anonymized_at is not None
    assert one(admin, Customer, id=waiting.customer_id).anonymized_at is None
    assert purge_lgpd.call_local() == 0  # nothing left to do


def test_an_export_is_built_by_a_worker_and_deleted_after_its_link_expires(
    queue: str, database_url: str, org: Organization, admin: Actor
) -> None:
    account = make_account(org)
    job = lgpd.request_export(SqlUnitOfWork(admin), customer_ids=[account.customer_id])
    build_lgpd_export(str(org.id), str(job.id))
    assert run_pending() == 1
    done = one(admin, BackgroundJob, id=job.id)
    assert done.status is JobStatus.DONE and done.result_file_id is not None
    stored = one(admin, StoredFile, id=done.result_file_id)
    assert files.path_of(stored).is_file()
    with SqlUnitOfWork(admin) as uow:
        old = datetime.now(UTC) - timedelta(days=2)
        uow.session.execute(update(StoredFile).where(StoredFile.id == stored.id).values(created_at=old))
        uow.commit()
    purge_lgpd.call_local()
    assert not files.path_of(stored).exists()
    assert one(admin, BackgroundJob, id=job.id).result_file_id is None


def test_the_purge_runs_every_fifteen_minutes() -> None:
    task = purge_lgpd.task_class()
    assert task.validate_datetime(datetime(2026, 1, 1, 3, 45))
    assert not task.validate_datetime(datetime(2026, 1, 1, 3, 50))


def test_the_bulk_export_of_the_customer_list_builds_one_zip_per_five_hundred_customers(
    queue: str, database_url: str, org: Organization, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs.lgpd.lgpd, "MAX_EXPORT_CUSTOMERS", 2)
    ids = [make_account(org).customer_id for _ in range(3)]
    assert lgpd_bulk_available()  # the segments area turns its bulk "Exportação LGPD" on with this
    job_ids = jobs.lgpd.request_customer_exports(admin, ids)
    assert len(job_ids) == 2 and run_pending() == 2
    assert [one(admin, BackgroundJob, id=j).total for j in job_ids] == [2, 1]
