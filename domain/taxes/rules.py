"""Versioned withholding rules: one row per legal wording, each valid for a range of payment dates.

A change in the law is a new row whose `valid_from` is the day the new wording takes effect, and the old row gets a
`valid_until`; a row that was ever used is never edited, so a recomputation of an old payment gives the same answer.
`date.min` as `valid_from` means the rules file does not date the rule and it is taken as always having applied.
The rows transcribe /work/shared/reference/withholding-rules.md; the `source` of each row cites it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Protocol, TypeVar


class Tax(StrEnum):
    IRRF = "irrf"
    PIS = "pis"
    COFINS = "cofins"
    CSLL = "csll"
    INSS = "inss"
    ISS = "iss"


CSRF_TAXES = (Tax.PIS, Tax.COFINS, Tax.CSLL)  # Lei 10.833/2003 art. 30: withheld and dispensed as one block


class IrrfCategory(StrEnum):
    """Which IRRF rate a service falls under (rules file §1)."""

    NONE = "none"  # not a service the RIR subjects to IRRF between companies
    PROFESSIONAL = "professional"  # the closed list of 40 professional services, RIR/2018 art. 714
    CLEANING_SECURITY_LABOUR = "cleaning_security_labour"  # limpeza, conservação, segurança, vigilância, mão de obra
    COMMISSION_ADVERTISING = "commission_advertising"  # comissões, corretagens, propaganda: low confidence, art. 718


class CsrfDispensation(StrEnum):
    TAX_AT_MOST = "tax_at_most"  # since 22/06/2015: the combined amount to withhold ≤ the limit
    MONTHLY_PAYMENTS_AT_MOST = "monthly_payments_at_most"  # before: the payments of the month, summed, ≤ the limit


@dataclass(frozen=True, slots=True)
class IrrfRule:
    rule_id: str
    valid_from: date
    valid_until: date | None
    professional_rate: Decimal
    cleaning_security_labour_rate: Decimal
    commission_advertising_rate: Decimal
    dispensed_up_to_cents: int  # "igual ou inferior": the tax is not withheld when ≤ this
    dispensation_text: str
    source: str

    def rate_for(self, category: IrrfCategory) -> Decimal | None:
        return {
            IrrfCategory.PROFESSIONAL: self.professional_rate,
            IrrfCategory.CLEANING_SECURITY_LABOUR: self.cleaning_security_labour_rate,
            IrrfCategory.COMMISSION_ADVERTISING: self.commission_advertising_rate,
        }.get(category)


@dataclass(frozen=True, slots=True)
class CsrfRule:
    rule_id: str
    valid_from: date
    valid_until: date | None
    pis_rate: Decimal | None  # None: the contribution does not exist on that date
    cofins_rate: Decimal | None
    csll_rate: Decimal | None
    dispensation: CsrfDispensation
    dispensation_limit_cents: int  # compared with "≤"
    dispensation_text: str
    source: str
    provisional: bool = False  # an inference the rules file asks to verify: results carry a warning

    def rate_for(self, tax: Tax) -> Decimal | None:
        return {Tax.PIS: self.pis_rate, Tax.COFINS: self.cofins_rate, Tax.CSLL: self.csll_rate}[tax]


@dataclass(frozen=True, slots=True)
class InssRule:
    rule_id: str
    valid_from: date
    valid_until: date | None
    rate: Decimal
    dispensed_below_cents: int  # "inferior": the retention is not made when < this (unlike IRRF and CSRF)
    dispensation_text: str
    source: str


@dataclass(frozen=True, slots=True)
class IssRule:
    rule_id: str
    valid_from: date
    valid_until: date | None
    min_rate: Decimal
    max_rate: Decimal
    below_min_allowed_subitems: frozenset[str]  # LC 116 art. 8-A §1: benefits may take these below the minimum
    tomador_responsible_subitems: frozenset[str]  # LC 116 art. 6 §2 II: a PJ tomador is responsible by law
    source: str


IRRF_RULES: tuple[IrrfRule, ...] = (
    IrrfRule(
        rule_id="irrf-rir-2018",
        valid_from=date.min,
        valid_until=None,
        professional_rate=Decimal("0.015"),
        cleaning_security_labour_rate=Decimal("0.01"),
        commission_advertising_rate=Decimal("0.015"),
        dispensed_up_to_cents=1000,
        dispensation_text="valor ≤ R$ 10,00 (Lei 9.430/1996 art. 67)",
        source="RIR/2018 (Decreto 9.580/2018) arts. 714, 716 e 718; Lei 9.430/1996 art. 67",
    ),
)

CSRF_RULES: tuple[CsrfRule, ...] = (
    CsrfRule(
        rule_id="csrf-lei-10925-2004",
        valid_from=date.min,
        valid_until=date(2015, 6, 21),
        pis_rate=Decimal("0.0065"),
        cofins_rate=Decimal("0.03"),
        csll_rate=Decimal("0.01"),
        dispensation=CsrfDispensation.MONTHLY_PAYMENTS_AT_MOST,
        dispensation_limit_cents=500_000,
        dispensation_text=(
            "pagamentos do mês ao prestador ≤ R$ 5.000,00 (Lei 10.833/2003 art. 31 §§3 e 4, redação antiga)"
        ),
        source="Lei 10.833/2003 arts. 30–32, §3 na redação da Lei 10.925/2004",
    ),
    CsrfRule(
        rule_id="csrf-lei-13137-2015",
        valid_from=date(2015, 6, 22),
        valid_until=date(2026, 12, 31),
        pis_rate=Decimal("0.0065"),
        cofins_rate=Decimal("0.03"),
        csll_rate=Decimal("0.01"),
        dispensation=CsrfDispensation.TAX_AT_MOST,
        dispensation_limit_cents=1000,
        dispensation_text="PIS + COFINS + CSLL ≤ R$ 10,00 (Lei 10.833/2003 art. 31 §3)",
        source="Lei 10.833/2003 arts. 30–32, §3 na redação da Lei 13.137/2015 art. 24",
    ),
    # The rules file: the CBS replaces PIS/COFINS from 2027, which ends that part of the withholding; CSLL remains.
    CsrfRule(
        rule_id="csrf-ec-132-2027",
        valid_from=date(2027, 1, 1),
        valid_until=None,
        pis_rate=None,
        cofins_rate=None,
        csll_rate=Decimal("0.01"),
        dispensation=CsrfDispensation.TAX_AT_MOST,
        dispensation_limit_cents=1000,
        dispensation_text="CSLL ≤ R$ 10,00 (Lei 10.833/2003 art. 31 §3)",
        source="Lei 10.833/2003 arts. 30–32; EC 132/2023 e LC 214/2025 (PIS/COFINS substituídos pela CBS)",
        provisional=True,
    ),
)

INSS_RULES: tuple[InssRule, ...] = (
    InssRule(
        rule_id="inss-in-rfb-2110-2022",
        valid_from=date.min,
        valid_until=None,
        rate=Decimal("0.11"),
        dispensed_below_cents=1000,
        dispensation_text="valor < R$ 10,00 (IN RFB 2.110/2022 art. 115, I)",
        source="Lei 8.212/1991 art. 31; IN RFB 2.110/2022 arts. 110, 114 e 115",
    ),
)

# Until 2028: from 2029 the ISS is reduced step by step (LC 214/2025 art. 508), which the rules file does not detail,
# so payments from 2029 on have no ISS row and are refused until one is added.
ISS_RULES: tuple[IssRule, ...] = (
    IssRule(
        rule_id="iss-lc-116-2003",
        valid_from=date.min,
        valid_until=date(2028, 12, 31),
        min_rate=Decimal("0.02"),
        max_rate=Decimal("0.05"),
        below_min_allowed_subitems=frozenset({"7.02", "7.05", "16.01"}),
        tomador_responsible_subitems=frozenset(
            {"3.05", "7.02", "7.04", "7.05", "7.09", "7.10", "7.12", "7.16", "7.17", "7.19", "11.02", "17.05", "17.10"}
        ),
        source="LC 116/2003 arts. 6, 8 e 8-A (LC 157/2016)",
    ),
)


class Versioned(Protocol):
    @property
    def valid_from(self) -> date: ...

    @property
    def valid_until(self) -> date | None: ...


RuleT = TypeVar("RuleT", bound=Versioned)


def find_rule(rows: Sequence[RuleT], on: date) -> RuleT | None:
    """The row in force on a payment date, or None when no row covers it."""
    for row in rows:
        if row.valid_from <= on and (row.valid_until is None or on <= row.valid_until):
            return row
    return None


def rate_text(rate: Decimal) -> str:
    """A rate as pt-BR people write it in an explanation: Decimal("0.015") → "1,5%"."""
    return f"{(rate * 100).normalize():f}".replace(".", ",") + "%"
