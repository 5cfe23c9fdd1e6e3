"""AuditEvent: one row per changed entity per use case, written in the same transaction as the change."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Base, TenantScoped, new_id, utcnow


class AuditEvent(TenantScoped, Base):
    __tablename__ = "audit_event"
    __tenant_index__ = False  # every index below leads with organization_id
    __table_args__ = (
        Index("ix_audit_event_org_time", "organization_id", "occurred_at"),
        Index("ix_audit_event_root", "organization_id", "root_id", "occurred_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[uuid.UUID | None]
    actor_name: Mapped[str]
    action: Mapped[str] = mapped_column(String(64))  # use case, e.g. billing_account.suspended
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    # The aggregate the change belongs to (a customer for its accounts and portal users): one lookup per timeline.
    root_id: Mapped[str | None] = mapped_column(String(64))
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"field": [before, after]}
    reason: Mapped[str | None] = mapped_column(Text)
