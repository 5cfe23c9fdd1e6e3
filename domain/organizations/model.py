"""Organization: the issuer every row belongs to."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Audited, Base, TenantScoped, Timestamped, new_id


class TaxRegime(StrEnum):
    SIMPLES_NACIONAL = "simples_nacional"
    MEI = "mei"
    LUCRO_PRESUMIDO = "lucro_presumido"
    LUCRO_REAL = "lucro_real"


TAX_REGIME_LABELS = {
    TaxRegime.SIMPLES_NACIONAL: "Simples Nacional",
    TaxRegime.MEI: "MEI",
    TaxRegime.LUCRO_PRESUMIDO: "Lucro Presumido",
    TaxRegime.LUCRO_REAL: "Lucro Real",
}


class Organization(Audited, Timestamped, Base):
    __tablename__ = "organization"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    legal_name: Mapped[str]
    trade_name: Mapped[str | None]
    cnpj: Mapped[str | None] = mapped_column(String(14))
    municipal_registration: Mapped[str | None] = mapped_column(String(32))
    tax_regime: Mapped[TaxRegime]
    timezone: Mapped[str] = mapped_column(String(64), default="America/Sao_Paulo")
    currency: Mapped[str] = mapped_column(String(3), default="BRL")
    locale: Mapped[str] = mapped_column(String(10), default="pt_BR")
    # Branding and free fields printed on documents: {"primary_color": "#0b5", "logo_path": ..., "extra_fields": [...]}
    branding: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Use-case switches other areas read: {"invoice_finalization": "open", "nfse_policy": "disabled", ...}
    preferences: Mapped[dict[str, Any]] = mapped_column(default=dict)

    @property
    def display_name(self) -> str:
        return self.trade_name or self.legal_name

    @property
    def audit_organization_id(self) -> uuid.UUID:
        return self.id


class NumberSeries(Audited, TenantScoped, Base):
    """A gapless per-organization series (e.g. INV-000123). Numbers are taken inside the finalizing transaction."""

    __tablename__ = "number_series"
    __table_args__ = (UniqueConstraint("organization_id", "key"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    key: Mapped[str] = mapped_column(String(32))  # "invoice"
    prefix: Mapped[str] = mapped_column(String(16), default="INV-")
    padding: Mapped[int] = mapped_column(default=6)
    next_value: Mapped[int] = mapped_column(default=1)

    def format(self, value: int) -> str:
        return f"{self.prefix}{value:0{self.padding}d}"
