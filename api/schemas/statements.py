"""Statement items: the append-only ledger of a billing account (credit > 0, debit < 0, cents)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class StatementItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    billing_account_id: uuid.UUID
    customer_id: uuid.UUID
    sequence: int
    kind: str = Field(examples=["debit"])
    amount_cents: int = Field(examples=[-205000])
    currency: str
    balance_after_cents: int
    description: str
    invoice_id: uuid.UUID | None
    payment_id: uuid.UUID | None
    occurred_on: date
    created_at: datetime
