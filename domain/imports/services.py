"""Use cases of imports: upload a file, confirm its mapping and queue it, run it batch by batch, finish or fail.

A run writes its accepted rows in batches; each batch commits with the run's counters and `batches_committed`, so a
crash loses at most the batch in flight and a resumed run continues after the last committed one. Rows whose
document is already registered are counted as "already present" and never created twice, so importing the same
file again (or a half-done one) is harmless. One audit event per batch and per run, not per row.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from domain.access.permissions import Permission
from domain.base import new_id, utcnow
from domain.imports.columns import auto_mapping, check_mapping, header_key, mapping_from_json, mapping_to_json
from domain.imports.errors import ImportAlreadyRunning, ImportNotRunnable
from domain.imports.model import ImportRun, ImportStatus
from domain.imports.ports import Existing, FileSaver, ImportUnitOfWork
from domain.imports.rows import ChunkResult, ValidationSpec, spec_for
from domain.imports.runner import FileKeys, classify, resolve
from domain.imports.table import SourceTable

# Called inside each batch's transaction, before its commit: tests use it to simulate a worker dying mid-batch.
BatchHook = Callable[[int], None]


def register_upload(
    uow: ImportUnitOfWork, *, file_name: str, data: bytes, table: SourceTable, save: FileSaver
) -> ImportRun:
    """An uploaded file becomes a draft run, its columns mapped from the headers (the organization's choices first)."""
    with uow:
        uow.actor.require(Permission.IMPORTS_RUN)
        run = ImportRun(
            id=new_id(), file_name=file_name[:255] or "arquivo", file_sha256=hashlib.sha256(data).hexdigest(),
            file_size=len(data), file_format=table.file_format, encoding=table.encoding, separator=table.separator,
            headers=list(table.headers), estimated_rows=table.estimated_rows, status=ImportStatus.DRAFT,
            created_by_id=uow.actor.id, created_by_name=uow.actor.name,
        )  # fmt: skip
        run.file_path = save(run.id, run.file_name, data)
        custom = {d.key: d.label for d in uow.customers.custom_field_definitions() if d.is_active}
        guessed = auto_mapping(run.headers, saved=uow.imports.saved_choices(), custom_fields=custom)
        run.mapping = mapping_to_json(guessed)
        uow.add(run)
        uow.commit()
        return run


def start_import(uow: ImportUnitOfWork, *, run_id: uuid.UUID, mapping: dict[int, str]) -> ImportRun:
    """Confirm the mapping (remembered for the organization's next files) and queue the run; one run per file."""
    with uow:
        uow.actor.require(Permission.IMPORTS_RUN)
        run = uow.imports.get(run_id, for_update=True)
        if run.status is not ImportStatus.DRAFT:
            raise ImportNotRunnable("Esta importação já foi iniciada; acompanhe-a no histórico.")
        custom_keys = {d.key for d in uow.customers.custom_field_definitions() if d.is_active}
        clean = check_mapping(mapping, run.headers, custom_keys)
        if uow.imports.find_active_for_file(run.file_sha256, except_id=run.id) is not None:
            raise ImportAlreadyRunning(run.file_name)
        run.mapping, run.status = mapping_to_json(clean), ImportStatus.QUEUED
        uow.imports.save_choices({header_key(h): clean.get(i, "") for i, h in enumerate(run.headers)})
        uow.record_event(action="import.queued", entity_type="import_run", entity_id=run.id,
                         changes={"file_name": run.file_name, "sha256": run.file_sha256,
                                  "mapping": run.mapping})  # fmt: skip
        uow.commit()
        return run


def preview_spec(uow: ImportUnitOfWork, *, headers: list[str], mapping: dict[int, str] | None) -> ValidationSpec:
    """How rows will be checked: the given mapping (or the automatic one), refused when name or document is missing."""
    with uow:
        uow.actor.require(Permission.IMPORTS_RUN)
        definitions = uow.customers.custom_field_definitions()
        custom = {d.key: d.label for d in definitions if d.is_active}
        if mapping is None:
            mapping = auto_mapping(headers, saved=uow.imports.saved_choices(), custom_fields=custom)
        return spec_for(headers, check_mapping(mapping, headers, set(custom)), definitions)


def resume_import(uow: ImportUnitOfWork, *, run_id: uuid.UUID) -> ImportRun:
    """Queue an interrupted run again: it continues after its last committed batch."""
    with uow:
        uow.actor.require(Permission.IMPORTS_RUN)
        run = uow.imports.get(run_id, for_update=True)
        if run.status not in (ImportStatus.FAILED, ImportStatus.RUNNING, ImportStatus.QUEUED):
            raise ImportNotRunnable("Só uma importação interrompida pode ser retomada.")
        run.status, run.message = ImportStatus.QUEUED, None
        uow.record_event(action="import.resumed", entity_type="import_run", entity_id=run.id,
                         changes={"batches_committed": run.batches_committed, "last_line": run.last_line})  # fmt: skip
        uow.commit()
        return run


@dataclass(frozen=True)
class ImportPlan:
    """What a worker needs to (re)run an import: the file, how to read its rows, where to resume."""

    run_id: uuid.UUID
    file_path: str
    file_name: str
    file_format: str
    batch_size: int
    batches_committed: int
    spec: ValidationSpec


def begin_import(uow: ImportUnitOfWork, *, run_id: uuid.UUID) -> ImportPlan | None:
    """Mark the run running and say where it resumes; None when it is already done (a duplicate task)."""
    with uow:
        uow.actor.require(Permission.IMPORTS_RUN)
        run = uow.imports.get(run_id, for_update=True)
        if run.status is ImportStatus.DONE:
            return None
        if run.status is ImportStatus.DRAFT:
            raise ImportNotRunnable("Confirme o mapeamento das colunas antes de importar.")
        run.begin()
        spec = spec_for(run.headers, mapping_from_json(run.mapping), uow.customers.custom_field_definitions())
        plan = ImportPlan(run.id, run.file_path, run.file_name, run.file_format, run.batch_size,
                          run.batches_committed, spec)  # fmt: skip
        uow.commit()
        return plan


def write_batches(
    uow: ImportUnitOfWork, *, plan: ImportPlan, chunks: Iterable[ChunkResult], after_batch: BatchHook | None = None
) -> None:
    """Each chunk of checked rows: duplicates in the file refused, registered documents counted, the rest inserted
    set-based; the batch's counts, problems and audit event commit with it."""
    keys = FileKeys(plan.spec)
    for index, chunk in enumerate(chunks):
        fresh, duplicates = keys.take(chunk.accepted)  # replayed for committed batches too: later ones depend on it
        if index < plan.batches_committed:
            continue
        with uow:
            uow.imports.lock_for_writing()
            run = uow.imports.get(plan.run_id, for_update=True)
            if index < run.batches_committed:
                continue  # written by another worker in the meantime
            resolution = resolve(plan.spec, fresh, uow.imports.existing(fresh) if fresh else Existing())
            outcome = classify(chunk, fresh, duplicates, resolution)
            customers, accounts = uow.imports.insert_accepted(resolution.create)
            if customers and (index + 1) & index == 0:  # after batches 1, 2, 4, 8...: O(log n) refreshes
                uow.imports.refresh_statistics()
            uow.imports.add_problems(run, outcome.problems)
            run.add_counts(**outcome.counts)
            run.batches_committed, run.last_line = index + 1, chunk.last_line
            changes = {"batch": index + 1, "last_line": chunk.last_line, "created": customers,
                       "accounts_created": accounts, "already_present": outcome.counts["already_present"],
                       "rejected": outcome.counts["rejected"]}  # fmt: skip
            uow.record_event(action="import.batch_committed", entity_type="import_run", entity_id=run.id,
                             changes=changes)  # fmt: skip
            if after_batch is not None:
                after_batch(index)
            uow.commit()


def finish_import(uow: ImportUnitOfWork, *, run_id: uuid.UUID, report_csv_path: str) -> ImportRun:
    """The run is done: its counts are final and its error report (CSV) is ready to download."""
    with uow:
        run = uow.imports.get(run_id, for_update=True)
        run.status, run.finished_at, run.message = ImportStatus.DONE, utcnow(), None
        run.report_csv_path = report_csv_path
        uow.record_event(action="import.finished", entity_type="import_run", entity_id=run.id,
                         changes={"file_name": run.file_name, **run.counts()})  # fmt: skip
        uow.commit()
        return run


def attach_excel_report(uow: ImportUnitOfWork, *, run_id: uuid.UUID, path: str) -> None:
    """The Excel version of a finished run's report, made the first time someone asks for it."""
    with uow:
        uow.actor.require(Permission.IMPORTS_RUN)
        run = uow.imports.get(run_id, for_update=True)
        run.report_xlsx_path = path
        uow.commit()


def fail_import(uow: ImportUnitOfWork, *, run_id: uuid.UUID, message: str) -> None:
    """Record why the run stopped; the committed batches stay, and a resume continues after them."""
    with uow:
        run = uow.imports.get(run_id, for_update=True)
        if run.status is ImportStatus.DONE:
            return
        run.status, run.message = ImportStatus.FAILED, message[:2000]
        uow.record_event(action="import.failed", entity_type="import_run", entity_id=run.id,
                         changes={"message": run.message, "batches_committed": run.batches_committed})  # fmt: skip
        uow.commit()
