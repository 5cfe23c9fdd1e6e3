"""ErasureRequest: a data subject's request to be erased (LGPD art. 18, VI), from request to execution.

requested ──(window passes, a second action)──> confirmed ──(purge job)──> executed
    │                                                │
    └── cancelled                                    └── refused (open invoices or active subscriptions appeared)
A request is also refused at once when the customer still has open invoices or active subscriptions. The window
(`confirm_after`) gives the organization time to check the request and the titular time to change their mind.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Audited, Base, TenantScoped, Timestamped, new_id
from domain.lgpd.errors import ErasureNotConfirmable, ErasureNotExecutable, WindowNotOver


class ErasureStatus(StrEnum):
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    EXECUTED = "executed"
    REFUSED = "refused"
    CANCELLED = "cancelled"


STATUS_LABELS = {
    ErasureStatus.REQUESTED: "Solicitada", ErasureStatus.CONFIRMED: "Confirmada (aguardando execução)",
    ErasureStatus.EXECUTED: "Executada", ErasureStatus.REFUSED: "Recusada", ErasureStatus.CANCELLED: "Cancelada",
}  # fmt: skip
PENDING = (ErasureStatus.REQUESTED, ErasureStatus.CONFIRMED)


class ErasureRequest(Audited, TenantScoped, Timestamped, Base):
    __tablename__ = "erasure_request"
    __tenant_index__ = False  # the indexes below lead with organization_id
    __table_args__ = (
        Index("ix_erasure_request_org_status", "organization_id", "status", "confirm_after"),
        Index("ix_erasure_request_org_customer", "organization_id", "customer_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"))
    status: Mapped[ErasureStatus] = mapped_column(default=ErasureStatus.REQUESTED)
    reason: Mapped[str] = mapped_column(Text)  # how the titular asked (protocol, channel)
    requested_by_id: Mapped[uuid.UUID | None]
    requested_by_name: Mapped[str]
    confirm_after: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[uuid.UUID | None]
    confirmed_by_name: Mapped[str | None]
    executed_at: Mapped[datetime | None]
    refused_at: Mapped[datetime | None]
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    cancelled_at: Mapped[datetime | None]
    cancelled_by_name: Mapped[str | None] = mapped_column(String(255))

    @property
    def audit_root_id(self) -> uuid.UUID:
        return self.customer_id

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING

    def confirm(self, *, by_id: uuid.UUID | None, by_name: str, now: datetime) -> None:
        if self.status is not ErasureStatus.REQUESTED:
            raise ErasureNotConfirmable(STATUS_LABELS[self.status])
        if now < self.confirm_after:
            raise WindowNotOver(self.confirm_after)
        self.status, self.confirmed_at = ErasureStatus.CONFIRMED, now
        self.confirmed_by_id, self.confirmed_by_name = by_id, by_name

    def ensure_executable(self, now: datetime) -> None:
        if self.status is not ErasureStatus.CONFIRMED:
            raise ErasureNotExecutable(STATUS_LABELS[self.status])
        if now < self.confirm_after:
            raise WindowNotOver(self.confirm_after)

    def refuse(self, reason: str, now: datetime) -> None:
        self.status, self.refused_at, self.refusal_reason = ErasureStatus.REFUSED, now, reason

    def cancel(self, *, by_name: str, now: datetime) -> None:
        if not self.is_pending:
            raise ErasureNotConfirmable(STATUS_LABELS[self.status])
        self.status, self.cancelled_at, self.cancelled_by_name = ErasureStatus.CANCELLED, now, by_name
