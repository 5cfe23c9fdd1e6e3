"""The services an organization bills (LC 116 subitems) and the tax rules that add taxes to them.

A service item tells the withholding engine what kind of service it is (IRRF category, CSRF, cession of labour) and
gives the NFS-e its LC 116 code. A tax rule adds a tax (ISS by municipality, or any other) on the lines of a service:
the most specific rule wins per tax name (service + municipality, then service, then municipality, then any).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Audited, Base, TenantScoped, Timestamped, new_id
from domain.taxes.rules import IrrfCategory
from domain.taxes.withholding import ServiceProfile


class ServiceItem(Audited, TenantScoped, Timestamped, Base):
    __tablename__ = "service_item"
    __table_args__ = (UniqueConstraint("organization_id", "code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(32))  # the organization's own short code: "consultoria"
    description: Mapped[str]
    lc116_code: Mapped[str] = mapped_column(String(8))  # "17.01"
    irrf_category: Mapped[IrrfCategory] = mapped_column(default=IrrfCategory.NONE)
    csrf_applies: Mapped[bool] = mapped_column(default=False)
    inss_cession: Mapped[bool] = mapped_column(default=False)
    simples_annex_iv: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)

    @property
    def label(self) -> str:
        return f"{self.lc116_code} · {self.description}"

    def profile(self) -> ServiceProfile:
        """What the withholding engine needs to know about this service."""
        return ServiceProfile(
            service_code=self.lc116_code,
            irrf_category=self.irrf_category,
            csrf_applies=self.csrf_applies,
            inss_cession=self.inss_cession,
            simples_annex_iv=self.simples_annex_iv,
        )

    def withholding_key(self) -> tuple[str, bool, bool, bool]:
        """Two services with the same key are withheld alike and may share one invoice."""
        return (str(self.irrf_category), self.csrf_applies, self.inss_cession, self.simples_annex_iv)


class TaxRule(Audited, TenantScoped, Timestamped, Base):
    __tablename__ = "tax_rule"
    __table_args__ = (Index("ix_tax_rule_org_name", "organization_id", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(32))  # "ISS", "Taxa de fiscalização"
    rate: Mapped[Decimal]  # a fraction: Decimal("0.02") is 2%
    service_item_id: Mapped[uuid.UUID | None]  # None: any service
    municipality_code: Mapped[str | None] = mapped_column(String(7))  # IBGE; None: any municipality
    valid_from: Mapped[date | None]
    valid_until: Mapped[date | None]
    is_active: Mapped[bool] = mapped_column(default=True)

    def applies(self, *, service_item_id: uuid.UUID | None, municipality_code: str | None, on: date) -> bool:
        if not self.is_active:
            return False
        if self.valid_from is not None and on < self.valid_from:
            return False
        if self.valid_until is not None and on > self.valid_until:
            return False
        if self.service_item_id is not None and self.service_item_id != service_item_id:
            return False
        return self.municipality_code is None or self.municipality_code == municipality_code

    @property
    def specificity(self) -> int:
        return (2 if self.service_item_id is not None else 0) + (1 if self.municipality_code is not None else 0)


@dataclass(frozen=True)
class StandardService:
    code: str
    description: str
    lc116_code: str
    irrf_category: IrrfCategory
    csrf_applies: bool
    inss_cession: bool = False
    simples_annex_iv: bool = False


# Installed for an organization on its first invoice (domain/catalog/services.py); an admin may add others.
STANDARD_SERVICES = (
    StandardService(
        "consultoria",
        "Assessoria ou consultoria de qualquer natureza",
        "17.01",
        IrrfCategory.PROFESSIONAL,
        csrf_applies=True,
    ),
    StandardService(
        "software",
        "Licenciamento ou cessão de direito de uso de programas de computação",
        "1.05",
        IrrfCategory.NONE,
        csrf_applies=False,
    ),
    StandardService(
        "desenvolvimento",
        "Programação (desenvolvimento de sistemas)",
        "1.04",
        IrrfCategory.PROFESSIONAL,
        csrf_applies=True,
    ),
    StandardService("suporte", "Suporte técnico em informática", "1.07", IrrfCategory.NONE, csrf_applies=True),
    StandardService(
        "hospedagem", "Hospedagem de dados e aplicações (data center)", "1.03", IrrfCategory.NONE, csrf_applies=False
    ),
    StandardService(
        "limpeza",
        "Limpeza, manutenção e conservação de imóveis",
        "7.10",
        IrrfCategory.CLEANING_SECURITY_LABOUR,
        csrf_applies=True,
        inss_cession=True,
        simples_annex_iv=True,
    ),
    StandardService("treinamento", "Ensino, treinamento e avaliação", "8.02", IrrfCategory.NONE, csrf_applies=False),
)
