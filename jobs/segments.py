"""Segment tasks: a confirmed bulk action over a segment's whole selection, in batches, with progress."""

from __future__ import annotations

import importlib
import logging
import uuid
from typing import Any

from domain.access import services as access
from domain.access.permissions import Actor
from domain.background_jobs import services as jobs
from domain.background_jobs.model import BackgroundJob
from domain.errors import BillingError
from domain.segments import bulk
from domain.segments.bulk import BulkAction
from domain.segments.errors import BulkActionUnavailable
from jobs.huey_app import huey
from persistence.unit_of_work import SqlUnitOfWork
from reports.formats import number

log = logging.getLogger(__name__)
LGPD_ENTRY = "request_customer_exports"  # NOTE: what jobs.lgpd must offer for the bulk LGPD export to turn on
INLINE_LIMIT = 2000  # smaller selections run right away, in the request; bigger ones go to the queue


@huey.task(retries=2, retry_delay=30)
def run_segment_bulk_action(organization_id: str, job_id: str) -> None:
    """Apply a confirmed bulk action to every selected customer, batch by batch; a done job never runs again."""
    run_bulk_job(uuid.UUID(organization_id), uuid.UUID(job_id))


def run_bulk_job(organization_id: uuid.UUID, job_id: uuid.UUID) -> None:
    system = Actor.system("segmentos", organization_id)
    job = jobs.start_job(SqlUnitOfWork(system), job_id=job_id)  # type: ignore[arg-type]
    if job is None:
        return
    try:
        actor = _requester(job)
        action = BulkAction(job.params["action"])
        if action in bulk.EXPORTS:
            stored_id, rows = _export(actor, job, system)
            jobs.finish_job(SqlUnitOfWork(system), job_id=job_id, result_file_id=stored_id,  # type: ignore[arg-type]
                            message=f"{number(rows)} clientes exportados.")  # fmt: skip
            return
        changed = _lgpd(actor, job) if action is BulkAction.LGPD_EXPORT else _batches(actor, job, system)
        jobs.finish_job(SqlUnitOfWork(system), job_id=job_id, result_file_id=None,  # type: ignore[arg-type]
                        message=_summary(action, job.params["params"], changed))  # fmt: skip
    except BillingError as refusal:  # the same input would give the same "no": recorded, not retried
        jobs.fail_job(SqlUnitOfWork(system), job_id=job_id, message=refusal.message)  # type: ignore[arg-type]
    except Exception as error:  # recorded for the screen, then re-raised so Huey retries
        log.exception("segment bulk action failed")
        jobs.fail_job(SqlUnitOfWork(system), job_id=job_id,  # type: ignore[arg-type]
                      message=f"Erro inesperado: {type(error).__name__}")  # fmt: skip
        raise


def dispatch(organization_id: uuid.UUID, job: BackgroundJob) -> bool:
    """Small selections run now, in the caller's thread; big ones go to the queue. True when it ran here."""
    if job.total <= INLINE_LIMIT:
        run_bulk_job(organization_id, job.id)
        return True
    run_segment_bulk_action(str(organization_id), str(job.id))
    return False


def lgpd_bulk_available() -> bool:
    try:
        module = importlib.import_module("jobs.lgpd")
    except ImportError:
        return False
    return callable(getattr(module, LGPD_ENTRY, None))


def _requester(job: BackgroundJob) -> Actor:
    """The operator who confirmed the preview, with their permissions as of now (a revoked role stops the job)."""
    actor = None
    if job.requested_by_id is not None:
        actor = access.load_actor(SqlUnitOfWork(Actor.system("segmentos")), operator_id=job.requested_by_id)
    if actor is None:
        raise BulkActionUnavailable("ação em lote de um operador desativado")
    return actor


def _batches(actor: Actor, job: BackgroundJob, system: Actor) -> int:
    changed, after = 0, None
    while True:
        done, after = bulk.run_bulk_batch(SqlUnitOfWork(actor), job_id=job.id, after_id=after)  # type: ignore[arg-type]
        changed += done
        if after is None:
            return changed
        jobs.report_job_progress(SqlUnitOfWork(system), job_id=job.id, progress=min(changed, job.total))  # type: ignore[arg-type]


def _export(actor: Actor, job: BackgroundJob, system: Actor) -> tuple[uuid.UUID, int]:
    from reports import segment_export

    params = job.params["params"]
    fmt = "xlsx" if job.params["action"] == BulkAction.EXPORT_XLSX.value else "csv"

    def progress(done: int) -> None:
        jobs.report_job_progress(SqlUnitOfWork(system), job_id=job.id, progress=min(done, job.total))  # type: ignore[arg-type]

    return segment_export.export_selection(actor, tree=job.params["tree"], columns=params["columns"],
                                           sort=params["sort"], fmt=fmt, progress=progress)  # fmt: skip


def _lgpd(actor: Actor, job: BackgroundJob) -> int:
    if not lgpd_bulk_available():
        raise BulkActionUnavailable(bulk.BULK_SPECS[BulkAction.LGPD_EXPORT].label)
    from persistence.queries.segments import selected_ids

    requested = 0
    for ids in selected_ids(actor, job.params["tree"]):
        getattr(importlib.import_module("jobs.lgpd"), LGPD_ENTRY)(actor, ids)
        requested += len(ids)
    return requested


def _summary(action: BulkAction, params: dict[str, Any], changed: int) -> str:
    n = number(changed)
    return {
        BulkAction.ADD_TAG: f"Etiqueta “{params.get('tag')}” adicionada a {n} clientes.",
        BulkAction.REMOVE_TAG: f"Etiqueta “{params.get('tag')}” removida de {n} clientes.",
        BulkAction.SUSPEND_ACCOUNTS: f"{n} contas de faturamento suspensas.",
        BulkAction.LGPD_EXPORT: f"Exportação LGPD pedida para {n} clientes.",
    }[action]
