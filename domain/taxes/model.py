"""What the withholding engine reads and returns: the issuer, the payer's tax profile, the service, and the result.

Plain frozen dataclasses and StrEnums, no database: the caller maps its entities (organization, billing account,
service item) onto them. Values read from storage as plain strings are coerced to the enums here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from domain.organizations.model import TaxRegime  # NOTE: the organization's tax regime is the issuer's regime here
from domain.taxes.errors import (
    InvalidExemptContribution,
    InvalidIbgeCode,
    InvalidServiceCode,
    IssRateRequired,
)
from domain.taxes.rules import CSRF_TAXES, IrrfCategory, Tax


class CustomerTaxType(StrEnum):
    SIMPLES_OPTANTE = "simples_optante"
    LUCRO_PRESUMIDO = "lucro_presumido"
    LUCRO_REAL = "lucro_real"
    PESSOA_FISICA = "pessoa_fisica"
    PUBLIC_BODY = "public_body"
    EXEMPT = "exempt"


class InssDispensation(StrEnum):
    """A dispensation of IN RFB 2.110/2022 art. 115 that the provider declares for the month."""

    NONE = "none"
    NO_EMPLOYEES_SMALL_REVENUE = "no_employees_small_revenue"  # II
    REGULATED_PROFESSION_BY_PARTNERS = "regulated_profession_by_partners"  # III


class Outcome(StrEnum):
    WITHHELD = "withheld"
    DISPENSED = "dispensed"  # due in principle, but under a threshold or a declared dispensation
    NOT_DUE = "not_due"  # the law does not call for it: payer, issuer, service, exemption
    PROFILE_OFF = "profile_off"  # the billing account says this customer does not withhold it


@dataclass(frozen=True, slots=True)
class IssuerProfile:
    """The provider: the organization issuing the invoice."""

    regime: TaxRegime
    is_cooperative: bool = False  # Lei 10.833/2003 art. 32, I: the CSLL is not withheld
    exempt_contributions: frozenset[Tax] = frozenset()  # art. 31 §2: withhold only the contributions it owes

    def __post_init__(self) -> None:
        object.__setattr__(self, "regime", TaxRegime(self.regime))
        if any(tax not in CSRF_TAXES for tax in self.exempt_contributions):
            raise InvalidExemptContribution(", ".join(sorted(map(str, self.exempt_contributions))))
        object.__setattr__(self, "exempt_contributions", frozenset(Tax(t) for t in self.exempt_contributions))


@dataclass(frozen=True, slots=True)
class PayerProfile:
    """The billing account's tax profile: who the customer is and which taxes it withholds."""

    customer_tax_type: CustomerTaxType
    withhold_ir: bool = False
    withhold_csrf: bool = False
    withhold_inss: bool = False
    withhold_iss: bool = False
    iss_rate: Decimal | None = None  # a fraction: Decimal("0.05") is 5%
    iss_municipality_ibge: str | None = None  # 7 digits; the check digit is not verified (real codes fail it)

    def __post_init__(self) -> None:
        object.__setattr__(self, "customer_tax_type", CustomerTaxType(self.customer_tax_type))
        if self.iss_rate is not None and not (isinstance(self.iss_rate, Decimal) and self.iss_rate.is_finite()):
            raise TypeError(f"iss_rate must be a finite Decimal, got {self.iss_rate!r}")
        if self.iss_municipality_ibge is not None and not _IBGE_CODE.fullmatch(self.iss_municipality_ibge):
            raise InvalidIbgeCode(self.iss_municipality_ibge)
        if self.withhold_iss and self.iss_rate is None:
            raise IssRateRequired()
        if self.withhold_iss and self.iss_municipality_ibge is None:
            raise InvalidIbgeCode(None)


@dataclass(frozen=True, slots=True)
class ServiceProfile:
    """The service billed, as the rules see it."""

    service_code: str  # LC 116/2003 subitem, "17.01"; stored without the item's leading zero ("01.07" → "1.07")
    irrf_category: IrrfCategory
    csrf_applies: bool  # listed in Lei 10.833/2003 art. 30, professional services included
    inss_cession: bool  # provided by cessão de mão de obra or empreitada (Lei 8.212/1991 art. 31)
    simples_annex_iv: bool = False  # for a Simples Nacional provider: the activity is taxed under Anexo IV

    def __post_init__(self) -> None:
        object.__setattr__(self, "service_code", normalise_service_code(self.service_code))
        object.__setattr__(self, "irrf_category", IrrfCategory(self.irrf_category))


@dataclass(frozen=True, slots=True)
class TaxLine:
    """One tax: what the customer withholds and why, in pt-BR for the operator."""

    tax: Tax
    outcome: Outcome
    cents: int
    reason: str
    rule_id: str | None

    @property
    def is_withheld(self) -> bool:
        return self.outcome is Outcome.WITHHELD


@dataclass(frozen=True, slots=True)
class WithholdingResult:
    """Every tax of one payment, in a fixed order; store each `cents`, `net_value_cents` and `rule_version`."""

    currency: str
    gross_cents: int
    irrf: TaxLine
    pis: TaxLine
    cofins: TaxLine
    csll: TaxLine
    inss: TaxLine
    iss: TaxLine
    warnings: tuple[str, ...] = ()

    @property
    def lines(self) -> tuple[TaxLine, ...]:
        return (self.irrf, self.pis, self.cofins, self.csll, self.inss, self.iss)

    @property
    def total_withheld_cents(self) -> int:
        return sum(line.cents for line in self.lines)

    @property
    def net_value_cents(self) -> int:
        return self.gross_cents - self.total_withheld_cents

    @property
    def rule_version(self) -> str:
        """The rule rows used, e.g. "irrf-rir-2018 + csrf-lei-13137-2015 + ...": store it beside the amounts."""
        return " + ".join(dict.fromkeys(line.rule_id for line in self.lines if line.rule_id))

    def cents_by_tax(self) -> dict[Tax, int]:
        return {line.tax: line.cents for line in self.lines}


_IBGE_CODE = re.compile(r"[0-9]{7}")
_SERVICE_CODE = re.compile(r"([0-9]{1,2})\.([0-9]{2})")
_LC116_LAST_ITEM = 40  # the list's items run from 1 to 40 (item 40 added by LC 157/2016)


def normalise_service_code(code: str) -> str:
    """An LC 116/2003 subitem as "item.subitem" ("7.02", "17.01"); anything else is refused."""
    match = _SERVICE_CODE.fullmatch(code.strip()) if isinstance(code, str) else None
    if match is None or not 1 <= int(match[1]) <= _LC116_LAST_ITEM or int(match[2]) == 0:
        raise InvalidServiceCode(str(code))
    return f"{int(match[1])}.{match[2]}"
