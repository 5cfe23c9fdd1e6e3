"""Customer: who we bill. Documents are stored normalized and shown masked; lists of contacts are typed entries."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Audited, Base, TenantScoped, Timestamped, new_id
from domain.customers.contacts import primary
from domain.documents.tax_ids import DocumentType, mask_document
from domain.text import fold


class CustomerKind(StrEnum):
    NATURAL = "natural"  # pessoa física, CPF
    JURIDICAL = "juridical"  # pessoa jurídica, CNPJ
    FOREIGN = "foreign"  # free tax id + country


KIND_DOCUMENT_TYPE = {
    CustomerKind.NATURAL: DocumentType.CPF,
    CustomerKind.JURIDICAL: DocumentType.CNPJ,
    CustomerKind.FOREIGN: DocumentType.FOREIGN,
}
KIND_LABELS = {CustomerKind.NATURAL: "Pessoa física", CustomerKind.JURIDICAL: "Pessoa jurídica",
               CustomerKind.FOREIGN: "Estrangeiro"}  # fmt: skip


class CustomerType(StrEnum):
    BUSINESS = "business"
    CONSUMER = "consumer"


class CustomerStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"  # cannot receive new invoices (Kontorion)
    CHURNED = "churned"


STATUS_LABELS = {CustomerStatus.ACTIVE: "Ativo", CustomerStatus.SUSPENDED: "Suspenso",
                 CustomerStatus.CHURNED: "Encerrado (churn)"}  # fmt: skip


class BillingModel(StrEnum):
    POSTPAID = "postpaid"
    PREPAID = "prepaid"
    HYBRID = "hybrid"


class VatValidationStatus(StrEnum):
    UNVALIDATED = "UNVALIDATED"
    PENDING = "PENDING"
    VALID = "VALID"
    INVALID = "INVALID"
    ERROR = "ERROR"
    MANUAL = "MANUAL"
    MAINTENANCE = "MAINTENANCE"


LIVE = text("deleted_at IS NULL")


class Customer(Audited, TenantScoped, Timestamped, Base):
    __tablename__ = "customer"
    __tenant_index__ = False  # every index below leads with organization_id
    __table_args__ = (
        # A document is unique among live customers; a soft-deleted or merged one frees it.
        Index("uq_customer_document_live", "organization_id", "document_type", "document_number", unique=True,
              sqlite_where=LIVE, postgresql_where=LIVE),
        Index("uq_customer_external_id_live", "organization_id", "external_id", unique=True,
              sqlite_where=text("external_id IS NOT NULL AND deleted_at IS NULL"),
              postgresql_where=text("external_id IS NOT NULL AND deleted_at IS NULL")),
        # Keyset paging and prefix search over millions of rows.
        Index("ix_customer_org_name", "organization_id", "search_name", "id"),
        Index("ix_customer_org_document", "organization_id", "document_number", "id"),  # prefix search and sort
        Index("ix_customer_org_uf_name", "organization_id", "uf", "search_name", "id"),  # region filters, by name
        Index("ix_customer_org_open_invoices", "organization_id", "search_name", "id",
              sqlite_where=text("open_invoices_count > 0"), postgresql_where=text("open_invoices_count > 0")),
        Index("ix_customer_org_email", "organization_id", "primary_email"),
        Index("ix_customer_org_created", "organization_id", "created_at", "id"),
        Index("ix_customer_org_uf_city", "organization_id", "uf", "city"),
        Index("ix_customer_org_balance", "organization_id", "balance_cents", "id"),
        Index("ix_customer_org_mrr", "organization_id", "mrr_cents", "id"),
    )  # fmt: skip

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    kind: Mapped[CustomerKind]
    document_type: Mapped[str] = mapped_column(String(16))  # cpf | cnpj | foreign
    document_number: Mapped[str] = mapped_column(String(40))  # normalized: digits (and letters for alnum CNPJ)
    country: Mapped[str] = mapped_column(String(2), default="BR")
    name: Mapped[str]
    legal_name: Mapped[str | None]
    search_name: Mapped[str] = mapped_column(String(255))  # lower-case, accents removed: prefix search and sort
    external_id: Mapped[str | None] = mapped_column(String(64))
    customer_type: Mapped[CustomerType] = mapped_column(default=CustomerType.BUSINESS)
    status: Mapped[CustomerStatus] = mapped_column(default=CustomerStatus.ACTIVE)
    preferred_currency: Mapped[str] = mapped_column(String(3), default="BRL")
    payment_terms_days: Mapped[int] = mapped_column(default=10)

    # Typed lists: [{"kind": "billing", "address": "..."}], [{"kind": "work", "number": "..."}], [{"kind", "cep", ...}]
    emails: Mapped[list[Any]] = mapped_column(default=list)
    phones: Mapped[list[Any]] = mapped_column(default=list)
    addresses: Mapped[list[Any]] = mapped_column(default=list)
    # Denormalized from the lists above for search, filters and list columns.
    primary_email: Mapped[str | None] = mapped_column(String(254))
    city: Mapped[str | None] = mapped_column(String(120))
    uf: Mapped[str | None] = mapped_column(String(2))
    ibge_code: Mapped[str | None] = mapped_column(String(7))

    tags: Mapped[list[str]] = mapped_column(default=list)
    custom_data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    extra_metadata: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    custom_fields: Mapped[dict[str, Any]] = mapped_column(default=dict)  # values of admin-defined typed fields

    # International (Kontorion) fields.
    tax_identifiers: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"eu_vat": "...", "us_ein": "..."}
    billing_model: Mapped[BillingModel] = mapped_column(default=BillingModel.POSTPAID)
    wallet_mode: Mapped[str | None] = mapped_column(String(32))
    vat_validation_status: Mapped[VatValidationStatus] = mapped_column(default=VatValidationStatus.UNVALIDATED)
    vat_validation_override: Mapped[VatValidationStatus | None]
    verification: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"kyc": "approved", "business_docs": ...}
    peppol_id: Mapped[str | None] = mapped_column(String(64))
    prefer_einvoice: Mapped[bool] = mapped_column(default=False)
    einvoice_email: Mapped[str | None] = mapped_column(String(254))
    communications_paused: Mapped[bool] = mapped_column(default=False)

    # Consolidation across billing accounts, kept in the same transaction as the accounts change.
    accounts_count: Mapped[int] = mapped_column(default=0)
    balance_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    mrr_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    open_invoices_count: Mapped[int] = mapped_column(default=0)

    deleted_at: Mapped[datetime | None]
    anonymized_at: Mapped[datetime | None]
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("customer.id"))

    @property
    def audit_root_id(self) -> uuid.UUID:
        return self.id

    @property
    def is_live(self) -> bool:
        return self.deleted_at is None

    @property
    def effective_vat_status(self) -> VatValidationStatus:
        return self.vat_validation_override or self.vat_validation_status

    @property
    def document_masked(self) -> str:
        return mask_document(self.document_type, self.document_number)

    @property
    def can_receive_invoices(self) -> bool:
        """Suspended and churned customers get no new invoices (their accounts may still be paid)."""
        return self.is_live and self.status is CustomerStatus.ACTIVE

    def refresh_derived(self) -> None:
        """Recompute the denormalized search and list columns from the name and the typed lists.

        NOTE: the set-based seed (persistence/seed_rows.py) writes the same columns the same way."""
        self.search_name = fold(self.name)[:255]
        email = primary(self.emails or [], "address")
        self.primary_email = email["address"] if email else None
        address = primary(self.addresses or [], "city")
        self.city = (address.get("city") or None) if address else None
        brazilian = address is not None and address.get("country", "BR") == "BR"
        self.uf = (address.get("uf") or None) if brazilian else None  # type: ignore[union-attr]
        self.ibge_code = (address.get("ibge_code") or None) if address else None
