"""Properties that hold for any issuer, customer, service, amount and date the rules cover (hypothesis)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.money import Money
from domain.organizations.model import TaxRegime
from domain.taxes.rules import CSRF_TAXES
from domain.taxes.withholding import (
    CustomerTaxType,
    InssDispensation,
    IrrfCategory,
    IssuerProfile,
    Outcome,
    PayerProfile,
    ServiceProfile,
    Tax,
    WithholdingResult,
    compute_withholding,
)

ALLOWED_BELOW_TWO_PERCENT = {"7.02", "7.05", "16.01"}


@st.composite
def payers(draw: st.DrawFn) -> PayerProfile:
    customer = draw(st.sampled_from(CustomerTaxType))
    federal = customer is not CustomerTaxType.PUBLIC_BODY  # federal withholding of public bodies is refused
    return PayerProfile(
        customer_tax_type=customer,
        withhold_ir=federal and draw(st.booleans()),
        withhold_csrf=federal and draw(st.booleans()),
        withhold_inss=draw(st.booleans()),
        withhold_iss=draw(st.booleans()),
        iss_rate=draw(st.decimals(Decimal("0.02"), Decimal("0.05"), places=4)),
        iss_municipality_ibge="3550308",
    )


issuers = st.builds(
    IssuerProfile,
    regime=st.sampled_from(TaxRegime),
    is_cooperative=st.booleans(),
    exempt_contributions=st.frozensets(st.sampled_from(CSRF_TAXES)),
)
services = st.builds(
    ServiceProfile,
    service_code=st.sampled_from(["1.07", "7.02", "7.10", "11.02", "16.01", "17.01", "17.19"]),
    irrf_category=st.sampled_from(IrrfCategory),
    csrf_applies=st.booleans(),
    inss_cession=st.booleans(),
    simples_annex_iv=st.booleans(),
)
amounts = st.integers(min_value=0, max_value=10**11).map(lambda cents: Money(cents, "BRL"))
# From the current CSRF row to the last day with an ISS row: no monthly data needed, every tax decidable.
dates = st.dates(min_value=date(2015, 6, 22), max_value=date(2028, 12, 31))


@st.composite
def results(draw: st.DrawFn) -> WithholdingResult:
    return compute_withholding(
        issuer=draw(issuers),
        payer=draw(payers()),
        service=draw(services),
        gross=draw(amounts),
        paid_on=draw(dates),
        inss_dispensation=draw(st.sampled_from(InssDispensation)),
    )


@settings(max_examples=400)
@given(results())
def test_net_value_plus_withheld_is_always_the_gross(result: WithholdingResult) -> None:
    assert result.net_value_cents + result.total_withheld_cents == result.gross_cents


@settings(max_examples=400)
@given(results())
def test_no_withheld_amount_is_negative_or_above_the_gross(result: WithholdingResult) -> None:
    assert all(0 <= line.cents <= result.gross_cents for line in result.lines)
    assert 0 <= result.net_value_cents <= result.gross_cents


@settings(max_examples=400)
@given(results())
def test_only_a_withheld_tax_carries_an_amount_and_every_tax_says_why(result: WithholdingResult) -> None:
    assert [line.tax for line in result.lines] == list(Tax)
    for line in result.lines:
        assert line.cents == 0 or line.outcome is Outcome.WITHHELD
        assert line.reason.startswith(line.tax.upper() + " ")


@settings(max_examples=400)
@given(results())
def test_whatever_is_withheld_is_above_its_dispensation_threshold(result: WithholdingResult) -> None:
    if result.irrf.is_withheld:
        assert result.irrf.cents > 1000  # ≤ R$ 10,00 is dispensed
    block = [result.pis, result.cofins, result.csll]
    if any(line.is_withheld for line in block):
        assert sum(line.cents for line in block) > 1000  # the block, ≤ R$ 10,00 is dispensed
    if result.inss.is_withheld:
        assert result.inss.cents >= 1000  # < R$ 10,00 is dispensed


@settings(max_examples=200)
@given(issuers, services, amounts, dates)
def test_a_natural_person_customer_never_withholds(
    issuer: IssuerProfile, service: ServiceProfile, gross: Money, paid_on: date
) -> None:
    payer = PayerProfile(CustomerTaxType.PESSOA_FISICA, True, True, True, True, Decimal("0.05"), "3550308")
    result = compute_withholding(issuer=issuer, payer=payer, service=service, gross=gross, paid_on=paid_on)
    assert result.total_withheld_cents == 0


@settings(max_examples=200)
@given(payers(), services, amounts, dates)
def test_a_simples_nacional_issuer_never_has_irrf_or_csrf_withheld(
    payer: PayerProfile, service: ServiceProfile, gross: Money, paid_on: date
) -> None:
    for regime in (TaxRegime.SIMPLES_NACIONAL, TaxRegime.MEI):
        result = compute_withholding(
            issuer=IssuerProfile(regime), payer=payer, service=service, gross=gross, paid_on=paid_on
        )
        assert result.irrf.cents == result.pis.cents == result.cofins.cents == result.csll.cents == 0


@settings(max_examples=200)
@given(
    amounts,
    st.sampled_from(sorted(ALLOWED_BELOW_TWO_PERCENT)),
    st.decimals(Decimal("0.0001"), Decimal("0.05"), places=4),
)
def test_the_iss_is_the_rate_times_the_gross_rounded_half_up_once(gross: Money, code: str, rate: Decimal) -> None:
    payer = PayerProfile(CustomerTaxType.LUCRO_REAL, withhold_iss=True, iss_rate=rate, iss_municipality_ibge="3550308")
    service = ServiceProfile(code, IrrfCategory.NONE, csrf_applies=False, inss_cession=False)
    result = compute_withholding(
        issuer=IssuerProfile(TaxRegime.LUCRO_REAL), payer=payer, service=service, gross=gross, paid_on=date(2026, 5, 4)
    )
    exact = Decimal(gross.cents) * rate
    assert abs(Decimal(result.iss.cents) - exact) <= Decimal("0.5")
    assert result.iss.cents == gross.times(rate).cents
