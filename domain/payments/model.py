"""Payment: money received for an invoice (full or partial). A refund is a new negative payment; none is ever edited."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Audited, Base, TenantScoped, Timestamped, new_id


class PaymentMethodKind(StrEnum):
    PIX = "pix"
    BOLETO = "boleto"
    TRANSFER = "transfer"
    CARD = "card"
    CASH = "cash"
    OTHER = "other"


PAYMENT_METHOD_LABELS = {
    PaymentMethodKind.PIX: "PIX",
    PaymentMethodKind.BOLETO: "Boleto",
    PaymentMethodKind.TRANSFER: "Transferência",
    PaymentMethodKind.CARD: "Cartão",
    PaymentMethodKind.CASH: "Dinheiro",
    PaymentMethodKind.OTHER: "Outro",
}


class PaymentKind(StrEnum):
    PAYMENT = "payment"
    REFUND = "refund"


class Payment(Audited, TenantScoped, Timestamped, Base):
    __tablename__ = "payment"
    __table_args__ = (
        Index("ix_payment_invoice", "invoice_id", "paid_on"),
        Index("ix_payment_org_account_paid", "organization_id", "billing_account_id", "paid_on"),
    )
    __append_only__ = True  # persistence/append_only.py refuses UPDATE and DELETE

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoice.id"))
    billing_account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("billing_account.id"))
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"))
    kind: Mapped[PaymentKind] = mapped_column(default=PaymentKind.PAYMENT)
    amount_cents: Mapped[int] = mapped_column(BigInteger)  # negative for a refund
    currency: Mapped[str] = mapped_column(String(3))
    method: Mapped[PaymentMethodKind]
    paid_on: Mapped[date]
    reference: Mapped[str | None] = mapped_column(String(120))  # bank transaction id, PIX end-to-end id, ...
    note: Mapped[str | None] = mapped_column(Text)
    refund_of_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("payment.id"))

    @property
    def audit_root_id(self) -> uuid.UUID:
        return self.customer_id
