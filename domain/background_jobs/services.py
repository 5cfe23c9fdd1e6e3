"""The life of a background job: requested by an operator, run by a worker, polled by the screen.

Each step is its own short transaction, so the screen sees progress while the worker goes on. A job that is done is
never run again (tasks may be retried or enqueued twice: they call `start_job` and stop when it returns None).
"""

from __future__ import annotations

import uuid
from typing import Any

from domain.background_jobs.model import BackgroundJob, JobStatus
from domain.base import utcnow
from domain.invoices.ports import InvoicingUnitOfWork


def new_job(uow: InvoicingUnitOfWork, *, kind: str, total: int, params: dict[str, Any]) -> BackgroundJob:
    """Inside the requesting use case's transaction: the job row the task and the screen share."""
    job = BackgroundJob(
        kind=kind,
        status=JobStatus.QUEUED,
        progress=0,
        total=total,
        params=params,
        requested_by_id=uow.actor.id,
        requested_by_name=uow.actor.name,
    )
    uow.add(job)
    return job


def start_job(uow: InvoicingUnitOfWork, *, job_id: uuid.UUID) -> BackgroundJob | None:
    """Mark the job running; None when it is already done (a duplicate or a retry after success)."""
    with uow:
        job = uow.background_jobs.get(job_id, for_update=True)
        if job.status is JobStatus.DONE:
            return None
        job.status, job.progress, job.started_at, job.message = JobStatus.RUNNING, 0, utcnow(), None
        uow.commit()
        return job


def report_job_progress(uow: InvoicingUnitOfWork, *, job_id: uuid.UUID, progress: int) -> None:
    with uow:
        job = uow.background_jobs.get(job_id)
        job.progress = progress
        uow.commit()


def finish_job(uow: InvoicingUnitOfWork, *, job_id: uuid.UUID, result_file_id: uuid.UUID | None, message: str) -> None:
    with uow:
        job = uow.background_jobs.get(job_id, for_update=True)
        job.status, job.progress, job.finished_at = JobStatus.DONE, job.total, utcnow()
        job.result_file_id, job.message = result_file_id, message
        uow.commit()


def fail_job(uow: InvoicingUnitOfWork, *, job_id: uuid.UUID, message: str) -> None:
    with uow:
        job = uow.background_jobs.get(job_id, for_update=True)
        job.status, job.finished_at, job.message = JobStatus.FAILED, utcnow(), message[:2000]
        uow.commit()
