"""Read views of imports: the history, one run's progress, its problems for the report, preview lookups."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select

from domain.access.permissions import Actor, Permission
from domain.base import utcnow
from domain.customers.custom_fields import CustomFieldDefinition
from domain.imports.model import STATUS_LABELS, ImportProblem, ImportRun, ImportStatus
from domain.imports.ports import Existing
from domain.imports.rows import AcceptedRow, Problem
from persistence.database import open_session
from persistence.queries.common import read_session
from persistence.repositories.imports import ImportRepository


@dataclass(frozen=True)
class RunView:
    id: uuid.UUID
    file_name: str
    file_format: str
    encoding: str | None
    separator: str | None
    headers: list[str]
    mapping: dict[str, str]
    status: ImportStatus
    status_label: str
    percent: int
    counts: dict[str, int]
    message: str | None
    created_by_name: str
    created_at: datetime
    finished_at: datetime | None
    has_report: bool
    estimated_rows: int
    file_sha256: str
    extra: dict[str, object] = field(default_factory=dict)


def list_runs(actor: Actor, *, limit: int = 30) -> list[RunView]:
    """The organization's imports, newest first: who, when, which file, counts, report."""
    with read_session(actor, Permission.IMPORTS_RUN) as session:
        statement = select(ImportRun).order_by(ImportRun.created_at.desc(), ImportRun.id.desc()).limit(limit)
        return [_view(run) for run in session.scalars(statement)]


def get_run(actor: Actor, run_id: uuid.UUID) -> RunView:
    with read_session(actor, Permission.IMPORTS_RUN) as session:
        return _view(ImportRepository(session).get(run_id))


def report_problems(actor: Actor, run_id: uuid.UUID) -> tuple[list[str], list[Problem]]:
    """(headers, problems in line order) of a run, for its error report."""
    with read_session(actor, Permission.IMPORTS_RUN) as session:
        run = ImportRepository(session).get(run_id)
        statement = (
            select(ImportProblem)
            .where(ImportProblem.import_run_id == run.id)
            .order_by(ImportProblem.line, ImportProblem.id)
        )
        problems = [Problem(p.line, p.column, p.code, p.message, tuple(p.values)) for p in session.scalars(statement)]
        return list(run.headers), problems


def report_path(actor: Actor, run_id: uuid.UUID, kind: str) -> tuple[str, str | None]:
    """(file name of the run, stored path of its csv or xlsx report)."""
    with read_session(actor, Permission.IMPORTS_RUN) as session:
        run = ImportRepository(session).get(run_id)
        return run.file_name, run.report_xlsx_path if kind == "xlsx" else run.report_csv_path


def source_of(actor: Actor, run_id: uuid.UUID) -> tuple[str, str]:
    """(file name, stored path) of the uploaded file."""
    with read_session(actor, Permission.IMPORTS_RUN) as session:
        run = ImportRepository(session).get(run_id)
        return run.file_name, run.file_path


def custom_fields(actor: Actor) -> list[CustomFieldDefinition]:
    """The organization's active custom fields: columns of a file may fill them."""
    with read_session(actor, Permission.IMPORTS_RUN) as session:
        statement = select(CustomFieldDefinition).where(CustomFieldDefinition.is_active.is_(True))
        return list(session.scalars(statement.order_by(CustomFieldDefinition.position, CustomFieldDefinition.label)))


def existing_keys(actor: Actor, rows: list[AcceptedRow]) -> Existing:
    """The preview's view of storage: which of these rows are registered already (nothing is locked)."""
    with read_session(actor, Permission.IMPORTS_RUN) as session:
        return ImportRepository(session).existing(rows)


def stalled_runs(*, quiet_for: timedelta) -> list[tuple[uuid.UUID, uuid.UUID, uuid.UUID | None]]:
    """(organization, run, operator) of runs queued or running without progress for a while, in every organization:
    a worker died with them. The periodic task queues them again (they resume after their last batch)."""
    session = open_session(Actor.system("importações"), writes=False)
    try:
        statement = select(ImportRun.organization_id, ImportRun.id, ImportRun.created_by_id).where(
            or_(ImportRun.status == ImportStatus.RUNNING, ImportRun.status == ImportStatus.QUEUED),
            ImportRun.updated_at < utcnow() - quiet_for,
        )
        return [(org, run, who) for org, run, who in session.execute(statement)]
    finally:
        session.close()


def _view(run: ImportRun) -> RunView:
    return RunView(
        id=run.id, file_name=run.file_name, file_format=run.file_format, encoding=run.encoding,
        separator=run.separator, headers=list(run.headers), mapping=dict(run.mapping), status=run.status,
        status_label=STATUS_LABELS[run.status], percent=run.percent, counts=run.counts(), message=run.message,
        created_by_name=run.created_by_name, created_at=run.created_at, finished_at=run.finished_at,
        has_report=run.report_csv_path is not None, estimated_rows=run.estimated_rows, file_sha256=run.file_sha256,
    )  # fmt: skip
