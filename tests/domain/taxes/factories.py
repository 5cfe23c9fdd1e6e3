"""Builders for withholding tests: a Lucro Presumido consultancy billing a Lucro Real company, unless told otherwise."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.money import Money
from domain.organizations.model import TaxRegime
from domain.taxes.withholding import (
    CustomerTaxType,
    InssDispensation,
    IrrfCategory,
    IssuerProfile,
    PayerProfile,
    ServiceProfile,
    WithholdingResult,
    compute_withholding,
)

PAID_ON = date(2026, 3, 10)  # under the current rows: CSRF of Lei 13.137/2015
SAO_PAULO = "3550308"


def brl(reais: str) -> Money:
    return Money(int(Decimal(reais) * 100), "BRL")


def issuer(regime: TaxRegime = TaxRegime.LUCRO_PRESUMIDO, **overrides: object) -> IssuerProfile:
    return IssuerProfile(regime=regime, **overrides)  # type: ignore[arg-type]


def payer(
    customer_tax_type: CustomerTaxType = CustomerTaxType.LUCRO_REAL,
    *,
    ir: bool = True,
    csrf: bool = True,
    inss: bool = True,
    iss: bool = False,
    iss_rate: str | None = None,
    ibge: str | None = SAO_PAULO,
) -> PayerProfile:
    return PayerProfile(
        customer_tax_type=customer_tax_type,
        withhold_ir=ir,
        withhold_csrf=csrf,
        withhold_inss=inss,
        withhold_iss=iss,
        iss_rate=Decimal(iss_rate) if iss_rate is not None else None,
        iss_municipality_ibge=ibge,
    )


def consulting(**overrides: object) -> ServiceProfile:
    """17.01 assessoria ou consultoria: professional (IRRF 1.5%, CSRF), no cession of labour."""
    fields: dict[str, object] = {
        "service_code": "17.01",
        "irrf_category": IrrfCategory.PROFESSIONAL,
        "csrf_applies": True,
        "inss_cession": False,
    }
    return ServiceProfile(**{**fields, **overrides})  # type: ignore[arg-type]


def cleaning(**overrides: object) -> ServiceProfile:
    """7.10 limpeza by cessão de mão de obra: IRRF 1%, CSRF, INSS 11%."""
    fields: dict[str, object] = {
        "service_code": "7.10",
        "irrf_category": IrrfCategory.CLEANING_SECURITY_LABOUR,
        "csrf_applies": True,
        "inss_cession": True,
    }
    return ServiceProfile(**{**fields, **overrides})  # type: ignore[arg-type]


def compute(
    gross: str | Money = "10000.00",
    *,
    issuer_profile: IssuerProfile | None = None,
    payer_profile: PayerProfile | None = None,
    service: ServiceProfile | None = None,
    paid_on: date = PAID_ON,
    inss_dispensation: InssDispensation = InssDispensation.NONE,
    earlier_payments_in_month: Money | None = None,
) -> WithholdingResult:
    return compute_withholding(
        issuer=issuer_profile or issuer(),
        payer=payer_profile or payer(),
        service=service or consulting(),
        gross=gross if isinstance(gross, Money) else brl(gross),
        paid_on=paid_on,
        inss_dispensation=inss_dispensation,
        earlier_payments_in_month=earlier_payments_in_month,
    )
