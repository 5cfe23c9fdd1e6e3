"""BillingAccount: invoices, statement and tax profile belong here; a customer has one or many."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Audited, Base, TenantScoped, Timestamped, new_id
from domain.billing_accounts.errors import AccountClosed, AccountSuspended, InvalidAccountTransition
from domain.taxes.model import CustomerTaxType, PayerProfile  # NOTE: the withholding engine owns the payer's types


class AccountStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"  # blocks new invoices and actions until reactivated
    CLOSED = "closed"  # final


class PaymentMethod(StrEnum):
    BOLETO = "boleto"
    PIX = "pix"
    CARD = "card"
    TRANSFER = "transfer"


STATUS_LABELS = {AccountStatus.ACTIVE: "Ativa", AccountStatus.SUSPENDED: "Suspensa", AccountStatus.CLOSED: "Encerrada"}
PAYMENT_METHOD_LABELS = {PaymentMethod.BOLETO: "Boleto", PaymentMethod.PIX: "Pix", PaymentMethod.CARD: "Cartão",
                         PaymentMethod.TRANSFER: "Transferência"}  # fmt: skip
TAX_TYPE_LABELS = {
    CustomerTaxType.SIMPLES_OPTANTE: "Optante do Simples", CustomerTaxType.LUCRO_PRESUMIDO: "Lucro Presumido",
    CustomerTaxType.LUCRO_REAL: "Lucro Real", CustomerTaxType.PESSOA_FISICA: "Pessoa física",
    CustomerTaxType.PUBLIC_BODY: "Órgão público", CustomerTaxType.EXEMPT: "Isento/imune",
}  # fmt: skip


class BillingAccount(Audited, TenantScoped, Timestamped, Base):
    __tablename__ = "billing_account"
    __tenant_index__ = False  # every index below leads with organization_id
    __table_args__ = (
        # An e-mail belongs to at most one live account of the organization.
        Index("uq_billing_account_email_live", "organization_id", "email", unique=True,
              sqlite_where=text("email IS NOT NULL AND deleted_at IS NULL"),
              postgresql_where=text("email IS NOT NULL AND deleted_at IS NULL")),
        Index("ix_billing_account_customer", "customer_id"),
        Index("ix_billing_account_org_status", "organization_id", "status", "id"),
        Index("ix_billing_account_org_name", "organization_id", "name", "id"),
        Index("ix_billing_account_org_tax_id", "organization_id", "tax_id"),  # global search by document
    )  # fmt: skip

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"))
    name: Mapped[str]
    email: Mapped[str | None] = mapped_column(String(254))  # stored lower-case
    billing_email: Mapped[str | None] = mapped_column(String(254))
    currency: Mapped[str] = mapped_column(String(3), default="BRL")
    billing_address: Mapped[dict[str, Any]] = mapped_column(default=dict)
    tax_id: Mapped[str | None] = mapped_column(String(40))  # may differ from the customer's (a branch CNPJ)
    tax_id_type: Mapped[str | None] = mapped_column(String(16))

    status: Mapped[AccountStatus] = mapped_column(default=AccountStatus.ACTIVE)
    suspended_at: Mapped[datetime | None]
    suspension_reason: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None]

    payment_terms_days: Mapped[int] = mapped_column(default=10)
    auto_collection: Mapped[bool] = mapped_column(default=True)
    payment_method: Mapped[PaymentMethod] = mapped_column(default=PaymentMethod.BOLETO)

    # Tax profile: who withholds what when this account pays us.
    customer_tax_type: Mapped[CustomerTaxType] = mapped_column(default=CustomerTaxType.LUCRO_PRESUMIDO)
    withhold_iss: Mapped[bool] = mapped_column(default=False)
    withhold_ir: Mapped[bool] = mapped_column(default=False)
    withhold_csrf: Mapped[bool] = mapped_column(default=False)
    withhold_inss: Mapped[bool] = mapped_column(default=False)
    iss_rate: Mapped[Decimal | None]
    iss_municipality_code: Mapped[str | None] = mapped_column(String(7))
    nfse_policy: Mapped[str | None] = mapped_column(String(32))  # overrides the organization's when set

    # Ledger: balance is the sum of the statement items; MRR is the sum of active subscriptions.
    balance_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    allowed_negative_balance_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    mrr_amount_cents: Mapped[int] = mapped_column(BigInteger, default=0)

    deleted_at: Mapped[datetime | None]

    @property
    def audit_root_id(self) -> uuid.UUID:
        return self.customer_id

    @property
    def is_live(self) -> bool:
        return self.deleted_at is None

    def ensure_can_invoice(self) -> None:
        """A suspended or closed account receives no new invoice (NOTE: the invoices area calls this)."""
        if self.status is AccountStatus.SUSPENDED:
            raise AccountSuspended(self.name, self.suspended_at, self.suspension_reason)
        if self.status is AccountStatus.CLOSED:
            raise AccountClosed(self.name)

    def ensure_changeable(self) -> None:
        """Closed is final: nothing on a closed account changes any more."""
        if self.status is AccountStatus.CLOSED:
            raise AccountClosed(self.name)

    def suspend(self, *, reason: str, now: datetime) -> None:
        if self.status is not AccountStatus.ACTIVE:
            raise InvalidAccountTransition(self.name, STATUS_LABELS[self.status], "suspensa")
        self.status, self.suspended_at, self.suspension_reason = AccountStatus.SUSPENDED, now, reason

    def reactivate(self) -> None:
        """Reactivation is explicit; the reason goes to the audit trail with the operator."""
        if self.status is not AccountStatus.SUSPENDED:
            raise InvalidAccountTransition(self.name, STATUS_LABELS[self.status], "reativada")
        self.status, self.suspended_at, self.suspension_reason = AccountStatus.ACTIVE, None, None

    def close(self, *, now: datetime) -> None:
        self.ensure_changeable()
        self.status, self.closed_at = AccountStatus.CLOSED, now

    def payer_profile(self) -> PayerProfile:
        """The tax profile as the withholding engine reads it."""
        return PayerProfile(
            customer_tax_type=self.customer_tax_type, withhold_ir=self.withhold_ir, withhold_csrf=self.withhold_csrf,
            withhold_inss=self.withhold_inss, withhold_iss=self.withhold_iss, iss_rate=self.iss_rate,
            iss_municipality_ibge=self.iss_municipality_code,
        )  # fmt: skip
