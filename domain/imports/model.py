"""ImportRun: one uploaded file and what importing it did; ImportProblem: one line of its error report;
ImportColumnChoice: a header an organization mapped once, remembered for its next files.

A run is resumable: each batch of rows commits together with the run's counters and `batches_committed`, so a
worker that dies in the middle leaves the run exactly at the end of the last committed batch.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Base, TenantScoped, Timestamped, new_id, utcnow


class ImportStatus(StrEnum):
    DRAFT = "draft"  # uploaded: mapping and preview
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"  # a retry or "Retomar" continues after the last committed batch


STATUS_LABELS = {ImportStatus.DRAFT: "Aguardando mapeamento", ImportStatus.QUEUED: "Na fila",
                 ImportStatus.RUNNING: "Importando", ImportStatus.DONE: "Concluída",
                 ImportStatus.FAILED: "Interrompida"}  # fmt: skip
COUNTERS = ("rows", "accepted", "rejected", "skipped", "created", "already_present", "accounts_created")
BATCH_SIZE = 5000


class ImportRun(TenantScoped, Timestamped, Base):
    __tablename__ = "import_run"
    __tenant_index__ = False  # the indexes below lead with organization_id
    __table_args__ = (
        Index("ix_import_run_org_created", "organization_id", "created_at"),
        Index("ix_import_run_org_sha", "organization_id", "file_sha256"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    file_name: Mapped[str]
    file_sha256: Mapped[str] = mapped_column(String(64))
    file_size: Mapped[int] = mapped_column(BigInteger)
    file_path: Mapped[str] = mapped_column(String(500))  # under var/files/<organization>/imports/
    file_format: Mapped[str] = mapped_column(String(8))  # csv | xlsx
    encoding: Mapped[str | None] = mapped_column(String(16))
    separator: Mapped[str | None] = mapped_column(String(4))
    headers: Mapped[list[str]] = mapped_column(default=list)
    mapping: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"column index": field key}
    estimated_rows: Mapped[int] = mapped_column(default=0)

    status: Mapped[ImportStatus] = mapped_column(default=ImportStatus.DRAFT)
    batch_size: Mapped[int] = mapped_column(default=BATCH_SIZE)
    batches_committed: Mapped[int] = mapped_column(default=0)
    last_line: Mapped[int] = mapped_column(default=0)  # the file line the last committed batch ended on
    rows: Mapped[int] = mapped_column(default=0)
    accepted: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    already_present: Mapped[int] = mapped_column(default=0)
    accounts_created: Mapped[int] = mapped_column(default=0)
    report_csv_path: Mapped[str | None] = mapped_column(String(500))
    report_xlsx_path: Mapped[str | None] = mapped_column(String(500))
    message: Mapped[str | None] = mapped_column(Text)  # why it stopped, when it failed

    created_by_id: Mapped[uuid.UUID | None]
    created_by_name: Mapped[str]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def percent(self) -> int:
        if self.status is ImportStatus.DONE:
            return 100
        if not self.estimated_rows:
            return 0
        return min(99, int(100 * max(self.last_line - 1, 0) / self.estimated_rows))

    @property
    def is_finished(self) -> bool:
        return self.status is ImportStatus.DONE

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNTERS}

    def add_counts(self, **deltas: int) -> None:
        for name, delta in deltas.items():
            setattr(self, name, getattr(self, name) + delta)

    def begin(self, now: datetime | None = None) -> None:
        self.status, self.message = ImportStatus.RUNNING, None
        self.started_at = self.started_at or now or utcnow()


class ImportProblem(TenantScoped, Base):
    __tablename__ = "import_problem"
    __tenant_index__ = False
    __table_args__ = (Index("ix_import_problem_run_line", "organization_id", "import_run_id", "line"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    import_run_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("import_run.id", ondelete="CASCADE"))
    line: Mapped[int]
    column: Mapped[str]
    code: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)
    values: Mapped[list[str]] = mapped_column(default=list)  # the row's original cells


class ImportColumnChoice(TenantScoped, Timestamped, Base):
    """A header (folded) and the field the organization chose for it; "" means "ignore this column"."""

    __tablename__ = "import_column_choice"
    __tenant_index__ = False
    __table_args__ = (UniqueConstraint("organization_id", "header_key"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    header_key: Mapped[str]
    field: Mapped[str] = mapped_column(String(100))
