"""LGPD tasks: build a titular's export, execute a confirmed erasure, and the periodic purge that executes every
confirmed request whose window has passed (and deletes export files past their link's life)."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from huey import crontab
from sqlalchemy import delete

from domain.access.permissions import Actor
from domain.background_jobs.services import fail_job
from domain.base import utcnow
from domain.errors import BillingError
from domain.files.model import StoredFile
from domain.lgpd import services as lgpd
from jobs.huey_app import huey
from persistence import files
from persistence.queries import lgpd as queries
from persistence.unit_of_work import SqlUnitOfWork
from reports.lgpd_export import build_export

log = logging.getLogger(__name__)
EXPORTS_KEPT = timedelta(hours=lgpd.DEFAULT_LINK_HOURS)


@huey.task(retries=2, retry_delay=30)
def build_lgpd_export(organization_id: str, job_id: str) -> None:
    """Generate the ZIP of an export job; a retry after success does nothing."""
    actor = Actor.system("lgpd", uuid.UUID(organization_id))
    try:
        build_export(actor, uuid.UUID(job_id))
    except BillingError as refusal:
        fail_job(SqlUnitOfWork(actor), job_id=uuid.UUID(job_id), message=refusal.message)  # type: ignore[arg-type]


def request_customer_exports(actor: Actor, customer_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    """The bulk action (segments): exports of many customers, one ZIP per 500, each built by a worker.

    NOTE: jobs/segments.py calls this by name (LGPD_ENTRY) for the customer list's bulk "Exportação LGPD"."""
    job_ids = []
    for start in range(0, len(customer_ids), lgpd.MAX_EXPORT_CUSTOMERS):
        ids = list(customer_ids[start : start + lgpd.MAX_EXPORT_CUSTOMERS])
        job = lgpd.request_export(SqlUnitOfWork(actor), customer_ids=ids)
        build_lgpd_export(str(actor.organization_id), str(job.id))
        job_ids.append(job.id)
    return job_ids


@huey.task(retries=2, retry_delay=60)
def execute_lgpd_erasure(organization_id: str, request_id: str) -> str | None:
    """Execute one confirmed erasure (enqueued when it is confirmed after its window); harmless when done already."""
    actor = Actor.system("lgpd", uuid.UUID(organization_id))
    try:
        return lgpd.execute_erasure(SqlUnitOfWork(actor), request_id=uuid.UUID(request_id)).status.value
    except BillingError as refusal:
        log.info("erasure %s not executed: %s", request_id, refusal.code)
        return None


@huey.periodic_task(crontab(minute="*/15"))
@huey.lock_task("lgpd-purge")
def purge_lgpd() -> int:
    """Every 15 minutes: execute confirmed erasures whose window has passed; delete exports past their link's life."""
    executed = 0
    for organization_id, request_id in queries.due_erasures(utcnow()):
        if execute_lgpd_erasure.call_local(str(organization_id), str(request_id)) == "executed":
            executed += 1
    for organization_id, file_id in queries.expired_exports(utcnow() - EXPORTS_KEPT):
        _delete_export(organization_id, file_id)
    return executed


def _delete_export(organization_id: uuid.UUID, file_id: uuid.UUID) -> None:
    with SqlUnitOfWork(Actor.system("lgpd", organization_id)) as uow:
        stored = uow.find(StoredFile, file_id)
        if stored is None:
            return
        path = files.path_of(stored)
        from sqlalchemy import update

        from domain.background_jobs.model import BackgroundJob

        uow.session.execute(update(BackgroundJob).where(BackgroundJob.result_file_id == file_id)
                            .values(result_file_id=None, message="Arquivo expirado e apagado.")
                            .execution_options(synchronize_session=False))  # fmt: skip
        uow.session.execute(delete(StoredFile).where(StoredFile.id == file_id).execution_options(
            synchronize_session=False))  # fmt: skip
        uow.record_event(action="lgpd.export_deleted", entity_type="stored_file", entity_id=file_id, changes={})
        uow.commit()
    path.unlink(missing_ok=True)
