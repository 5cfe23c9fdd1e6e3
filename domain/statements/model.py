"""StatementItem: the append-only ledger of a billing account. The account's balance is always the sum of its items.

Sign convention: a positive balance is credit the customer holds with us; a negative balance is what they owe.
Debits (an invoice finalized) are negative, credits (a payment) positive, reversals carry the sign that undoes what
they reverse (void and write-off give back the debit, a refund takes back a payment). `sequence` orders the items of
one account as they were posted; `balance_after_cents` is the account's balance right after posting. Dates
(`occurred_on`) are business dates (a payment's date), so a statement shown by date recomputes its running balance.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Base, TenantScoped, new_id, utcnow


class StatementKind(StrEnum):
    DEBIT = "debit"
    CREDIT = "credit"
    REVERSAL = "reversal"


STATEMENT_KIND_LABELS = {
    StatementKind.DEBIT: "Débito",
    StatementKind.CREDIT: "Crédito",
    StatementKind.REVERSAL: "Estorno",
}


class StatementItem(TenantScoped, Base):
    __tablename__ = "statement_item"
    __table_args__ = (
        UniqueConstraint("billing_account_id", "sequence"),
        Index("ix_statement_item_account_day", "billing_account_id", "occurred_on", "sequence"),
        Index("ix_statement_item_invoice", "invoice_id"),
    )
    __append_only__ = True  # persistence/append_only.py refuses UPDATE and DELETE (and a trigger on PostgreSQL)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    billing_account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("billing_account.id"))
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"))
    sequence: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[StatementKind]
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    balance_after_cents: Mapped[int] = mapped_column(BigInteger)
    description: Mapped[str] = mapped_column(String(255))
    invoice_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("invoice.id"))
    payment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("payment.id"))
    occurred_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
