"""BillingRun: the record of one daily billing run of an organization, and the subscriptions that failed in it.

One run at a time per organization (a partial unique index on `status = 'running'`): a second worker that starts the
same run joins the running record instead of opening another, and a run whose worker died is resumed from its
`cursor` by the next start. Counts are incremented set-based by whoever did the work, so two workers on one record
still count each invoice once.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Base, TenantScoped, new_id, utcnow


class RunStatus(StrEnum):
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"


RUN_STATUS_LABELS = {RunStatus.RUNNING: "Em execução", RunStatus.FINISHED: "Concluída", RunStatus.FAILED: "Falhou"}


class BillingRun(TenantScoped, Base):
    __tablename__ = "billing_run"
    __tenant_index__ = False
    __table_args__ = (
        Index("ix_billing_run_org_started", "organization_id", "started_at"),
        Index("uq_billing_run_running", "organization_id", unique=True,
              sqlite_where=text("status = 'running'"), postgresql_where=text("status = 'running'")),
    )  # fmt: skip

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    run_date: Mapped[date]  # the organization's calendar day the run bills up to (periods ending on or before it)
    status: Mapped[RunStatus] = mapped_column(default=RunStatus.RUNNING)
    trigger: Mapped[str] = mapped_column(String(32), default="schedule")  # schedule | manual | cli
    started_by: Mapped[str] = mapped_column(String(255), default="sistema")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    duration_ms: Mapped[int | None]
    created: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    batches: Mapped[int] = mapped_column(default=0)
    cursor: Mapped[str | None] = mapped_column(String(80))  # "account id:subscription id" of the last committed batch
    message: Mapped[str | None] = mapped_column(Text)

    @property
    def status_label(self) -> str:
        return RUN_STATUS_LABELS[self.status]


class BillingRunFailure(TenantScoped, Base):
    """A subscription the run could not invoice, with the reason in pt-BR. Retried by the next run (or the retry
    button); `resolved_at` is set when a later run invoices it."""

    __tablename__ = "billing_run_failure"
    __tenant_index__ = False
    __table_args__ = (
        Index("ix_billing_run_failure_run", "organization_id", "billing_run_id"),
        Index("ix_billing_run_failure_open", "organization_id", "subscription_id", "resolved_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    billing_run_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("billing_run.id", ondelete="CASCADE"))
    subscription_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subscription.id", ondelete="CASCADE"))
    period_start: Mapped[date]
    code: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
