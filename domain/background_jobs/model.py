"""BackgroundJob: a long task an operator started (a ZIP of PDFs, an export, an import) and the screen polls.

Generic on purpose: any area records its jobs here with its own `kind`, `params` and result file.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Base, TenantScoped, Timestamped, new_id


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


JOB_STATUS_LABELS = {
    JobStatus.QUEUED: "Na fila",
    JobStatus.RUNNING: "Em andamento",
    JobStatus.DONE: "Concluído",
    JobStatus.FAILED: "Falhou",
}


class BackgroundJob(TenantScoped, Timestamped, Base):
    __tablename__ = "background_job"
    __table_args__ = (Index("ix_background_job_org_created", "organization_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(64))  # invoice_pdf_zip, statement_export, import, ...
    status: Mapped[JobStatus] = mapped_column(default=JobStatus.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    message: Mapped[str | None] = mapped_column(Text)  # a summary when done, the refusal or error when failed
    result_file_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("stored_file.id"))
    requested_by_id: Mapped[uuid.UUID | None]
    requested_by_name: Mapped[str | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def percent(self) -> int:
        if self.status is JobStatus.DONE:
            return 100
        return int(100 * self.progress / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
