"""Import tasks: run an import (resuming after its last committed batch), and pick up runs a dead worker left."""

from __future__ import annotations

import gc
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from huey import crontab

from domain.access import services as access
from domain.access.permissions import Actor
from domain.errors import BillingError
from domain.imports import services as imports
from domain.imports.model import BATCH_SIZE
from domain.imports.rows import ValidationSpec
from domain.imports.runner import ImportSummary, analyze
from domain.imports.services import BatchHook, ImportPlan
from domain.imports.table import SourceTable
from jobs.huey_app import huey
from jobs.import_workers import checked_chunks
from persistence import var_files
from persistence.database import is_sqlite
from persistence.import_rows import RowTarget
from persistence.queries import imports as queries
from persistence.unit_of_work import SqlUnitOfWork
from reports.spreadsheets import open_table, report_csv, report_xlsx

log = logging.getLogger(__name__)
STALLED_AFTER = timedelta(minutes=15)


@huey.task(retries=3, retry_delay=30)
def run_import(organization_id: str, run_id: str, operator_id: str | None = None) -> None:
    """Import a queued file batch by batch; a retry (or a second copy of this task) continues where it stopped."""
    actor = acting_as(uuid.UUID(organization_id), operator_id)
    try:
        run_import_now(actor, uuid.UUID(run_id))
    except BillingError as refusal:
        log.warning("import %s refused: %s", run_id, refusal.code)


@huey.periodic_task(crontab(minute="*/10"))
@huey.lock_task("resume-stalled-imports")
def resume_stalled_imports() -> int:
    """Runs queued or running without progress for 15 minutes lost their worker: queue them again."""
    stalled = queries.stalled_runs(quiet_for=STALLED_AFTER)
    for organization_id, run_id, operator_id in stalled:
        run_import(str(organization_id), str(run_id), str(operator_id) if operator_id else None)
    return len(stalled)


def run_import_now(
    actor: Actor, run_id: uuid.UUID, *, parallel: bool | None = None, after_batch: BatchHook | None = None
) -> None:
    """The whole run in this process (the task, the command line, the benchmark): read, check, write, report."""
    plan = imports.begin_import(SqlUnitOfWork(actor), run_id=run_id)
    if plan is None:
        return  # done already: a duplicate task
    try:
        with _collector_spared():
            csv_path = _write_rows(actor, run_id, plan, parallel, after_batch)
    except BillingError as refusal:
        imports.fail_import(SqlUnitOfWork(actor), run_id=run_id, message=refusal.message)
        raise
    except Exception as error:
        message = f"Falha inesperada ({type(error).__name__}); os lotes gravados ficam, e a importação continua "
        imports.fail_import(SqlUnitOfWork(actor), run_id=run_id, message=message + "do ponto em que parou.")
        raise
    imports.finish_import(SqlUnitOfWork(actor), run_id=run_id, report_csv_path=csv_path)


def _write_rows(
    actor: Actor, run_id: uuid.UUID, plan: ImportPlan, parallel: bool | None, after_batch: BatchHook | None
) -> str:
    """Read, check and write every batch, then the error report; returns the report's path."""
    table = open_table(var_files.read_bytes(actor.organization_id, plan.file_path), plan.file_name)  # type: ignore[arg-type]
    target = RowTarget(postgres=not is_sqlite(), organization_id=actor.organization_id)  # type: ignore[arg-type]
    chunks = checked_chunks(plan.spec, table, batch_size=plan.batch_size, target=target, parallel=parallel)
    try:
        imports.write_batches(SqlUnitOfWork(actor), plan=plan, chunks=chunks, after_batch=after_batch)
    finally:
        chunks.close()  # frees the helper processes now, not whenever the traceback is collected
    return write_report(actor, run_id)


@contextmanager
def _collector_spared() -> Iterator[None]:
    """An import allocates a few objects per row, and every few batches the garbage collector scanned everything this
    process had loaded before it (the app's modules, ~200,000 objects): a fifth of the importing process's CPU.
    Frozen, those objects are left out of the scans until the import ends; what the import creates is collected as
    usual, and whatever became garbage meanwhile is collected after `unfreeze`."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def analyze_file(
    actor: Actor, spec: ValidationSpec, table: SourceTable, *, parallel: bool | None = None
) -> ImportSummary:
    """The preview and the dry run: every row checked, duplicates and registered customers found, nothing written."""
    chunks = checked_chunks(spec, table, batch_size=BATCH_SIZE, target=None, parallel=parallel)
    try:
        return analyze(spec, chunks, lambda rows: queries.existing_keys(actor, rows))
    finally:
        chunks.close()


def write_report(actor: Actor, run_id: uuid.UUID) -> str:
    """The run's error report as CSV, stored beside the uploaded file (the Excel one is made when first asked for)."""
    headers, problems = queries.report_problems(actor, run_id)
    name = f"{run_id}-erros.csv"
    return var_files.save_bytes(actor.organization_id, "imports", name, report_csv(headers, problems))  # type: ignore[arg-type]


def report_file(actor: Actor, run_id: uuid.UUID, fmt: str) -> tuple[str, bytes] | None:
    """(download name, bytes) of a finished run's report; the Excel version is rendered once, then kept."""
    name, path = queries.report_path(actor, run_id, fmt)
    if path is None and fmt == "xlsx" and queries.report_path(actor, run_id, "csv")[1] is not None:
        headers, problems = queries.report_problems(actor, run_id)
        data = report_xlsx(headers, problems)
        path = var_files.save_bytes(actor.organization_id, "imports", f"{run_id}-erros.xlsx", data)  # type: ignore[arg-type]
        imports.attach_excel_report(SqlUnitOfWork(actor), run_id=run_id, path=path)
    if path is None:
        return None
    return f"{name.rsplit('.', 1)[0]}-erros.{fmt}", var_files.read_bytes(actor.organization_id, path)  # type: ignore[arg-type]


def acting_as(organization_id: uuid.UUID, operator_id: str | None) -> Actor:
    """The operator who started the run (their current permissions), or the system for the command line."""
    if operator_id:
        actor = access.load_actor(SqlUnitOfWork(Actor.system("importação")), operator_id=uuid.UUID(operator_id))
        if actor is not None and actor.organization_id == organization_id:
            return actor
    return Actor.system("importação", organization_id)
