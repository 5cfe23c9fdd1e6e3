"""MrrMovement: each change of a billing account's MRR, classified the way finance reads a month's MRR bridge.

Written where account MRR is recomputed (persistence/repositories/subscriptions.py refresh_mrr), so every path that
moves MRR — a new subscription, a plan or quantity change, a cancellation, a trial converting in the billing run —
leaves one row per account and change. The Painel sums them per month: opening MRR + new + expansion − contraction −
churn = closing MRR."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

from sqlalchemy import BigInteger, Index
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Base, TenantScoped, Timestamped, new_id


class MovementKind(StrEnum):
    NEW = "new"  # from zero
    EXPANSION = "expansion"
    CONTRACTION = "contraction"
    CHURN = "churn"  # to zero


MOVEMENT_LABELS = {
    MovementKind.NEW: "Novo",
    MovementKind.EXPANSION: "Expansão",
    MovementKind.CONTRACTION: "Redução",
    MovementKind.CHURN: "Cancelamento",
}


def classify(before_cents: int, after_cents: int) -> MovementKind | None:
    if after_cents == before_cents:
        return None
    if before_cents == 0:
        return MovementKind.NEW
    if after_cents == 0:
        return MovementKind.CHURN
    return MovementKind.EXPANSION if after_cents > before_cents else MovementKind.CONTRACTION


class MrrMovement(TenantScoped, Timestamped, Base):
    __tablename__ = "mrr_movement"
    __tenant_index__ = False
    __table_args__ = (Index("ix_mrr_movement_org_day", "organization_id", "occurred_on"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    billing_account_id: Mapped[uuid.UUID]  # NOTE: no FK: the history outlives a merged or deleted account
    customer_id: Mapped[uuid.UUID]
    occurred_on: Mapped[date]  # UTC calendar day of the change
    kind: Mapped[MovementKind]
    delta_cents: Mapped[int] = mapped_column(BigInteger)
    mrr_after_cents: Mapped[int] = mapped_column(BigInteger)
