"""Inputs the withholding engine refuses, and the shape of its versioned rule tables."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

import pytest

from domain.errors import ValidationFailed
from domain.money import Money
from domain.organizations.model import TaxRegime
from domain.taxes.errors import (
    CurrencyNotBrl,
    InvalidExemptContribution,
    InvalidIbgeCode,
    InvalidServiceCode,
    IssRateOutOfRange,
    IssRateRequired,
    MonthlyPaymentsRequired,
    NegativeAmount,
    PublicBodyWithholdingUnsupported,
    WithholdingRuleMissing,
)
from domain.taxes.rules import CSRF_RULES, INSS_RULES, IRRF_RULES, ISS_RULES, Versioned, find_rule, rate_text
from domain.taxes.withholding import (
    CustomerTaxType,
    IrrfCategory,
    IssuerProfile,
    Outcome,
    PayerProfile,
    ServiceProfile,
    Tax,
    normalise_service_code,
)
from tests.domain.taxes.factories import SAO_PAULO, brl, compute, consulting, issuer, payer

# ── Amounts ─────────────────────────────────────────────────────────────────────────────────────────────────────


def test_a_negative_gross_amount_is_refused() -> None:
    with pytest.raises(NegativeAmount) as error:
        compute(Money(-1, "BRL"))
    assert (error.value.code, error.value.field) == ("withholding_negative_amount", "gross")


def test_a_zero_gross_amount_withholds_nothing() -> None:
    result = compute("0.00")
    assert (result.total_withheld_cents, result.net_value_cents) == (0, 0)


def test_an_amount_in_another_currency_is_refused() -> None:
    with pytest.raises(CurrencyNotBrl) as error:
        compute(Money(100000, "USD"))
    assert error.value.code == "withholding_currency_not_brl"
    assert "BRL" in error.value.message


def test_negative_earlier_payments_of_the_month_are_refused() -> None:
    with pytest.raises(NegativeAmount) as error:
        compute("100.00", paid_on=date(2015, 6, 1), earlier_payments_in_month=Money(-5, "BRL"))
    assert error.value.field == "earlier_payments_in_month"


def test_every_refusal_is_a_validation_failure_with_a_stable_code() -> None:
    refusals = [NegativeAmount, CurrencyNotBrl, InvalidServiceCode, InvalidIbgeCode, IssRateRequired]
    refusals += [IssRateOutOfRange, InvalidExemptContribution, MonthlyPaymentsRequired, WithholdingRuleMissing]
    refusals += [PublicBodyWithholdingUnsupported]
    assert all(issubclass(refusal, ValidationFailed) for refusal in refusals)
    assert len({refusal.code for refusal in refusals}) == len(refusals)


# ── Service codes: LC 116/2003 list, subitem "item.subitem" (items 1 to 40) ─────────────────────────────────────


@pytest.mark.parametrize(("code", "normalised"), [("17.01", "17.01"), ("07.02", "7.02"), (" 1.07 ", "1.07")])
def test_a_service_code_is_an_lc_116_subitem_stored_without_leading_zero(code: str, normalised: str) -> None:
    assert normalise_service_code(code) == normalised
    assert consulting(service_code=code).service_code == normalised


@pytest.mark.parametrize("code", ["", "17", "1701", "010701", "17.1", "41.01", "0.01", "17.00", "17,01", "abc"])
def test_a_service_code_in_another_form_is_refused(code: str) -> None:
    with pytest.raises(InvalidServiceCode) as error:
        consulting(service_code=code)
    assert (error.value.code, error.value.field) == ("invalid_service_code", "service_code")
    assert "LC 116/2003" in error.value.message


def test_a_service_profile_accepts_its_category_as_stored_text() -> None:
    service = ServiceProfile("17.01", "professional", csrf_applies=True, inss_cession=False)  # type: ignore[arg-type]
    assert service.irrf_category is IrrfCategory.PROFESSIONAL


# ── The payer's ISS data (LC 116/2003 arts. 8 and 8-A) ─────────────────────────────────────────────────────────


def test_a_customer_that_withholds_iss_needs_a_rate() -> None:
    with pytest.raises(IssRateRequired) as error:
        payer(iss=True, iss_rate=None)
    assert (error.value.code, error.value.field) == ("iss_rate_required", "iss_rate")


def test_a_customer_that_withholds_iss_needs_the_municipality() -> None:
    with pytest.raises(InvalidIbgeCode) as error:
        payer(iss=True, iss_rate="0.05", ibge=None)
    assert error.value.field == "iss_municipality_ibge"


@pytest.mark.parametrize("ibge", ["355030", "35503080", "35503O8", "3550-308"])
def test_a_municipality_code_that_is_not_seven_digits_is_refused(ibge: str) -> None:
    with pytest.raises(InvalidIbgeCode):
        payer(iss=True, iss_rate="0.05", ibge=ibge)


def test_a_municipality_code_is_not_checked_for_its_check_digit() -> None:
    # PRODUCT.md: real IBGE codes fail the check digit, so only the form is checked.
    assert payer(iss=True, iss_rate="0.05", ibge="1234567").iss_municipality_ibge == "1234567"


@pytest.mark.parametrize("rate", [0.05, 5, "0.05"])
def test_an_iss_rate_that_is_not_a_decimal_is_a_programming_error(rate: object) -> None:
    fields: dict[str, object] = {"withhold_iss": True, "iss_rate": rate, "iss_municipality_ibge": SAO_PAULO}
    with pytest.raises(TypeError):
        PayerProfile(CustomerTaxType.LUCRO_REAL, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("rate", ["0.0199", "0.0501", "5", "0", "-0.03"])
def test_an_iss_rate_outside_two_to_five_percent_is_refused(rate: str) -> None:
    with pytest.raises(IssRateOutOfRange) as error:
        compute("1000.00", payer_profile=payer(iss=True, iss_rate=rate))
    assert (error.value.code, error.value.field) == ("iss_rate_out_of_range", "iss_rate")
    assert "de 2% a 5%" in error.value.message


@pytest.mark.parametrize("code", ["7.02", "7.05", "16.01"])
def test_subitems_7_02_7_05_and_16_01_may_have_an_iss_rate_below_two_percent(code: str) -> None:
    result = compute("1000.00", payer_profile=payer(iss=True, iss_rate="0.015"), service=consulting(service_code=code))
    assert result.iss.cents == 1500


def test_even_subitems_allowed_below_two_percent_need_a_positive_iss_rate_of_at_most_five_percent() -> None:
    for rate in ("0", "0.0501"):
        with pytest.raises(IssRateOutOfRange):
            compute("1000.00", payer_profile=payer(iss=True, iss_rate=rate), service=consulting(service_code="7.02"))


def test_the_iss_rate_is_not_checked_when_the_customer_is_a_natural_person() -> None:
    profile = payer(CustomerTaxType.PESSOA_FISICA, iss=True, iss_rate="0.10")
    assert compute("1000.00", payer_profile=profile).iss.outcome is Outcome.NOT_DUE


# ── The issuer ─────────────────────────────────────────────────────────────────────────────────────────────────


def test_only_pis_cofins_or_csll_can_be_exempt_contributions() -> None:
    with pytest.raises(InvalidExemptContribution) as error:
        issuer(exempt_contributions=frozenset({Tax.IRRF}))
    assert error.value.field == "exempt_contributions"


def test_an_issuer_accepts_its_regime_and_exemptions_as_stored_text() -> None:
    profile = IssuerProfile("lucro_real", exempt_contributions=frozenset({"cofins"}))  # type: ignore[arg-type]
    assert (profile.regime, profile.exempt_contributions) == (TaxRegime.LUCRO_REAL, frozenset({Tax.COFINS}))


# ── What the rules file cannot decide from one invoice ─────────────────────────────────────────────────────────


def test_a_public_body_that_withholds_federal_taxes_is_refused_until_its_rules_exist() -> None:
    # Lei 9.430/1996 art. 64 (federal bodies) is not in the rules file.
    for flags in ({"ir": True, "csrf": False}, {"ir": False, "csrf": True}):
        with pytest.raises(PublicBodyWithholdingUnsupported) as error:
            compute("1000.00", payer_profile=payer(CustomerTaxType.PUBLIC_BODY, **flags))
        assert error.value.code == "public_body_withholding_unsupported"


def test_before_june_2015_the_csrf_cannot_be_decided_without_the_earlier_payments_of_the_month() -> None:
    with pytest.raises(MonthlyPaymentsRequired) as error:
        compute("1000.00", paid_on=date(2015, 6, 21))
    assert (error.value.code, error.value.field) == ("csrf_monthly_payments_required", "earlier_payments_in_month")
    assert "21/06/2015" in error.value.message


def test_before_june_2015_no_monthly_data_is_needed_when_the_csrf_is_not_due_anyway() -> None:
    result = compute("1000.00", paid_on=date(2015, 6, 21), issuer_profile=issuer(TaxRegime.SIMPLES_NACIONAL))
    assert result.csll.outcome is Outcome.NOT_DUE


def test_iss_withheld_on_a_payment_from_2029_is_refused_until_the_transition_rule_exists() -> None:
    # LC 214/2025 art. 508 reduces the ISS from 2029; the rules file does not detail how.
    with pytest.raises(WithholdingRuleMissing) as error:
        compute("1000.00", payer_profile=payer(iss=True, iss_rate="0.05"), paid_on=date(2029, 1, 1))
    assert (error.value.code, error.value.field) == ("withholding_rule_missing", "paid_on")
    assert "ISS" in error.value.message and "01/01/2029" in error.value.message


def test_a_payment_from_2029_without_iss_withholding_is_computed() -> None:
    result = compute("10000.00", paid_on=date(2029, 1, 1))
    assert (result.irrf.cents, result.csll.cents, result.iss.outcome) == (15000, 10000, Outcome.PROFILE_OFF)


def test_the_last_day_of_2028_still_has_an_iss_rule() -> None:
    assert (
        compute("1000.00", payer_profile=payer(iss=True, iss_rate="0.05"), paid_on=date(2028, 12, 31)).iss.cents == 5000
    )


# ── The rule tables: a change is a new row, so rows must tile time without gaps or overlaps ────────────────────


@pytest.mark.parametrize("rows", [IRRF_RULES, CSRF_RULES, INSS_RULES, ISS_RULES], ids=["irrf", "csrf", "inss", "iss"])
def test_rule_rows_follow_each_other_without_gap_or_overlap(rows: Sequence[Versioned]) -> None:
    assert rows[0].valid_from == date.min
    for earlier, later in itertools.pairwise(rows):
        assert earlier.valid_until is not None
        assert earlier.valid_until + timedelta(days=1) == later.valid_from


def test_rule_ids_are_unique_so_a_stored_version_names_one_row() -> None:
    ids = [row.rule_id for rows in (IRRF_RULES, CSRF_RULES, INSS_RULES, ISS_RULES) for row in rows]
    assert len(ids) == len(set(ids))


def test_a_date_after_the_last_row_ends_finds_no_rule() -> None:
    assert find_rule(ISS_RULES, date(2029, 1, 1)) is None
    assert find_rule(CSRF_RULES, date(2099, 1, 1)) is CSRF_RULES[-1]


def test_the_csrf_rates_add_up_to_four_point_six_five_percent() -> None:
    current = find_rule(CSRF_RULES, date(2026, 1, 1))
    assert current is not None
    assert (current.pis_rate or 0) + (current.cofins_rate or 0) + (current.csll_rate or 0) == Decimal("0.0465")


@pytest.mark.parametrize(("rate", "text"), [("0.015", "1,5%"), ("0.11", "11%"), ("0.0465", "4,65%"), ("0.1", "10%")])
def test_rates_read_as_brazilian_percentages(rate: str, text: str) -> None:
    assert rate_text(Decimal(rate)) == text


def test_the_withheld_amounts_are_all_zero_and_the_net_is_the_gross_when_nothing_applies() -> None:
    result = compute("5000.00", payer_profile=payer(ir=False, csrf=False, inss=False), service=consulting())
    assert result.total_withheld_cents == 0
    assert result.net_value_cents == brl("5000.00").cents
    assert result.rule_version == "irrf-rir-2018 + csrf-lei-13137-2015 + inss-in-rfb-2110-2022"
