"""The withholding rules, tax by tax, as /work/shared/reference/withholding-rules.md states them; no database."""

from __future__ import annotations

from datetime import date

import pytest

from domain.organizations.model import TaxRegime
from domain.taxes.withholding import CustomerTaxType, InssDispensation, IrrfCategory, Outcome, PayerProfile, Tax
from tests.domain.taxes.factories import brl, cleaning, compute, consulting, issuer, payer

# ── The worked example of nfse.md (WH-01): the NFS-e's vTotalRet and vLiq ─────────────────────────────────────────


def test_a_ten_thousand_real_consultancy_invoice_nets_nine_thousand_three_hundred_eighty_five() -> None:
    result = compute("10000.00", payer_profile=payer(inss=False))
    assert result.cents_by_tax() == {
        Tax.IRRF: 15000,
        Tax.PIS: 6500,
        Tax.COFINS: 30000,
        Tax.CSLL: 10000,
        Tax.INSS: 0,
        Tax.ISS: 0,
    }
    assert result.total_withheld_cents == 61500
    assert result.net_value_cents == 938500
    assert result.rule_version == "irrf-rir-2018 + csrf-lei-13137-2015 + inss-in-rfb-2110-2022"
    assert result.warnings == ()


# ── IRRF: RIR/2018 arts. 714 (1.5%), 716 (1%), 718 (1.5%); Lei 9.430/1996 art. 67 (≤ R$ 10,00); IN RFB 765/2007 ─────


def test_professional_services_withhold_irrf_at_one_and_a_half_percent() -> None:
    line = compute("10000.00").irrf
    assert (line.outcome, line.cents) == (Outcome.WITHHELD, 15000)
    assert line.reason == "IRRF retido: 1,5% do valor bruto (serviços profissionais, RIR/2018 art. 714)"


def test_cleaning_security_and_labour_services_withhold_irrf_at_one_percent() -> None:
    line = compute("10000.00", service=cleaning()).irrf
    assert (line.outcome, line.cents) == (Outcome.WITHHELD, 10000)
    assert "RIR/2018 art. 716" in line.reason


def test_commissions_and_advertising_withhold_irrf_at_one_and_a_half_percent() -> None:
    line = compute("10000.00", service=consulting(irrf_category=IrrfCategory.COMMISSION_ADVERTISING)).irrf
    assert (line.cents, line.rule_id) == (15000, "irrf-rir-2018")
    assert "art. 718" in line.reason


def test_a_service_outside_the_irrf_lists_has_no_irrf() -> None:
    line = compute("10000.00", service=consulting(irrf_category=IrrfCategory.NONE)).irrf
    assert (line.outcome, line.cents) == (Outcome.NOT_DUE, 0)
    assert line.reason == "IRRF não retido: serviço sem retenção de IR na fonte"


@pytest.mark.parametrize(
    ("gross", "outcome", "cents"),
    [
        ("999.00", Outcome.DISPENSED, 0),  # IRRF 9,99
        ("1000.00", Outcome.DISPENSED, 0),  # IRRF 10,00: "igual ou inferior" is dispensed
        ("1001.00", Outcome.WITHHELD, 1001),  # IRRF 10,01
    ],
)
def test_irrf_of_ten_reais_or_less_is_dispensed(gross: str, outcome: Outcome, cents: int) -> None:
    line = compute(gross, service=cleaning()).irrf
    assert (line.outcome, line.cents) == (outcome, cents)


def test_a_dispensed_irrf_says_why() -> None:
    assert compute("1000.00", service=cleaning()).irrf.reason == (
        "IRRF dispensado: valor ≤ R$ 10,00 (Lei 9.430/1996 art. 67)"
    )


def test_irrf_is_rounded_to_cents_before_the_threshold_is_applied() -> None:
    # 1.5% of R$ 667,00 is R$ 10,005: half-up gives R$ 10,01, above the threshold; 666,67 gives exactly R$ 10,00.
    assert compute("667.00").irrf.cents == 1001
    assert compute("666.67").irrf.outcome is Outcome.DISPENSED


def test_a_dispensed_irrf_is_not_carried_to_the_next_payment() -> None:
    # Solução de Consulta Cosit 38/2013: each payment is judged alone.
    first, second = compute("999.00", service=cleaning()), compute("999.00", service=cleaning())
    assert first.irrf.cents == second.irrf.cents == 0


@pytest.mark.parametrize("regime", [TaxRegime.SIMPLES_NACIONAL, TaxRegime.MEI])
def test_a_simples_nacional_issuer_has_no_irrf_withheld(regime: TaxRegime) -> None:
    line = compute("10000.00", issuer_profile=issuer(regime)).irrf
    assert (line.outcome, line.cents) == (Outcome.NOT_DUE, 0)
    assert "IN RFB 765/2007 art. 1" in line.reason


def test_a_customer_whose_profile_does_not_withhold_ir_keeps_the_irrf_on_the_invoice() -> None:
    line = compute("10000.00", payer_profile=payer(ir=False)).irrf
    assert (line.outcome, line.cents) == (Outcome.PROFILE_OFF, 0)
    assert line.reason == "IRRF não retido: o cliente não retém IR (perfil da conta)"


# ── CSRF: Lei 10.833/2003 arts. 30–32; §3 as worded by Lei 13.137/2015 art. 24 (in force 22/06/2015) ─────────────


def test_csrf_withholds_pis_cofins_and_csll_at_four_point_six_five_percent_together() -> None:
    result = compute("600.00")  # the rules file's example: 27,90 withheld although PIS alone is 3,90
    assert (result.pis.cents, result.cofins.cents, result.csll.cents) == (390, 1800, 600)
    assert result.pis.reason == "PIS retido: 0,65% do valor bruto (Lei 10.833/2003 art. 31)"
    assert result.cofins.reason == "COFINS retida: 3% do valor bruto (Lei 10.833/2003 art. 31)"


@pytest.mark.parametrize(
    ("gross", "outcome", "block_cents"),
    [
        ("214.62", Outcome.DISPENSED, 0),  # 1,40 + 6,44 + 2,15 = 9,99
        ("214.84", Outcome.DISPENSED, 0),  # 1,40 + 6,45 + 2,15 = 10,00: "igual ou inferior" is dispensed
        ("215.17", Outcome.WITHHELD, 1001),  # 1,40 + 6,46 + 2,15 = 10,01
    ],
)
def test_csrf_of_ten_reais_or_less_is_dispensed_as_one_block(gross: str, outcome: Outcome, block_cents: int) -> None:
    result = compute(gross)
    assert {result.pis.outcome, result.cofins.outcome, result.csll.outcome} == {outcome}
    assert result.pis.cents + result.cofins.cents + result.csll.cents == block_cents


def test_a_dispensed_csrf_says_why_on_each_contribution() -> None:
    result = compute("214.84")
    assert result.csll.reason == "CSLL dispensada: PIS + COFINS + CSLL ≤ R$ 10,00 (Lei 10.833/2003 art. 31 §3)"
    assert result.pis.reason.startswith("PIS dispensado: ")


def test_each_contribution_is_rounded_half_up_on_its_own() -> None:
    # 0,65% of R$ 4.010,00 is R$ 26,065: half-up gives 26,07.
    result = compute("4010.00")
    assert (result.pis.cents, result.cofins.cents, result.csll.cents) == (2607, 12030, 4010)


@pytest.mark.parametrize("regime", [TaxRegime.SIMPLES_NACIONAL, TaxRegime.MEI])
def test_a_simples_nacional_issuer_has_no_csrf_withheld(regime: TaxRegime) -> None:
    result = compute("10000.00", issuer_profile=issuer(regime))
    assert [line.outcome for line in (result.pis, result.cofins, result.csll)] == [Outcome.NOT_DUE] * 3
    assert "Lei 10.833/2003 art. 32" in result.csll.reason


def test_a_service_outside_the_article_30_list_has_no_csrf() -> None:
    result = compute("10000.00", service=consulting(csrf_applies=False))
    assert result.pis.reason == "PIS não retido: serviço fora da lista do art. 30 da Lei 10.833/2003"
    assert result.pis.cents + result.cofins.cents + result.csll.cents == 0


def test_a_customer_whose_profile_does_not_withhold_csrf_keeps_the_contributions_on_the_invoice() -> None:
    result = compute("10000.00", payer_profile=payer(csrf=False))
    assert {result.pis.outcome, result.cofins.outcome, result.csll.outcome} == {Outcome.PROFILE_OFF}


def test_a_cooperative_has_pis_and_cofins_withheld_but_not_csll() -> None:
    # Lei 10.833/2003 art. 32, I: cooperatives, as to the CSLL.
    result = compute("10000.00", issuer_profile=issuer(is_cooperative=True))
    assert (result.pis.cents, result.cofins.cents, result.csll.cents) == (6500, 30000, 0)
    assert result.csll.reason == "CSLL não retida: prestador cooperativa (Lei 10.833/2003 art. 32, I)"


def test_an_issuer_exempt_from_cofins_has_only_pis_and_csll_withheld() -> None:
    # Art. 31 §2: withhold only the contributions the provider owes.
    result = compute("10000.00", issuer_profile=issuer(exempt_contributions=frozenset({Tax.COFINS})))
    assert (result.pis.cents, result.cofins.cents, result.csll.cents) == (6500, 0, 10000)
    assert result.cofins.outcome is Outcome.NOT_DUE


def test_the_threshold_judges_only_the_contributions_that_remain_after_an_exemption() -> None:
    # Without COFINS, R$ 500,00 gives PIS 3,25 + CSLL 5,00 = 8,25, which is dispensed; with it, 23,25 would not be.
    result = compute("500.00", issuer_profile=issuer(exempt_contributions=frozenset({Tax.COFINS})))
    assert (result.pis.outcome, result.csll.outcome) == (Outcome.DISPENSED, Outcome.DISPENSED)


# ── INSS: Lei 8.212/1991 art. 31; IN RFB 2.110/2022 arts. 110 (11%), 114, 115, 121, 133; STJ Súmula 425 ───────────


def test_cession_of_labour_withholds_eleven_percent_of_the_gross_for_social_security() -> None:
    line = compute("10000.00", service=cleaning()).inss
    assert (line.outcome, line.cents) == (Outcome.WITHHELD, 110000)
    assert "RETENÇÃO PARA A PREVIDÊNCIA SOCIAL" in line.reason


@pytest.mark.parametrize(
    ("gross", "outcome", "cents"),
    [
        ("90.82", Outcome.DISPENSED, 0),  # INSS 9,99: below R$ 10,00
        ("90.90", Outcome.WITHHELD, 1000),  # INSS 9,999 → 10,00: not "inferior", so withheld
        ("91.00", Outcome.WITHHELD, 1001),  # INSS 10,01
    ],
)
def test_inss_below_ten_reais_is_dispensed(gross: str, outcome: Outcome, cents: int) -> None:
    line = compute(gross, service=cleaning()).inss
    assert (line.outcome, line.cents) == (outcome, cents)


def test_ten_reais_exactly_is_withheld_for_inss_but_dispensed_for_irrf() -> None:
    # The asymmetry the rules file points out: IRRF/CSRF "≤ 10,00", INSS "< 10,00".
    assert compute("90.90", service=cleaning()).inss.cents == 1000
    assert compute("1000.00", service=cleaning()).irrf.cents == 0


def test_a_dispensed_inss_says_why() -> None:
    assert compute("90.82", service=cleaning()).inss.reason == (
        "INSS dispensado: valor < R$ 10,00 (IN RFB 2.110/2022 art. 115, I)"
    )


def test_a_service_without_cession_of_labour_has_no_inss() -> None:
    line = compute("10000.00", service=consulting()).inss
    assert (line.outcome, line.cents) == (Outcome.NOT_DUE, 0)
    assert "Lei 8.212/1991 art. 31" in line.reason


def test_a_simples_nacional_issuer_outside_annex_iv_has_no_inss_withheld() -> None:
    line = compute("10000.00", issuer_profile=issuer(TaxRegime.SIMPLES_NACIONAL), service=cleaning()).inss
    assert (line.outcome, line.cents) == (Outcome.NOT_DUE, 0)
    assert "Súmula 425 do STJ" in line.reason


def test_a_simples_nacional_issuer_taxed_under_annex_iv_has_inss_withheld() -> None:
    service = cleaning(simples_annex_iv=True)
    line = compute("10000.00", issuer_profile=issuer(TaxRegime.SIMPLES_NACIONAL), service=service).inss
    assert (line.outcome, line.cents) == (Outcome.WITHHELD, 110000)
    assert "LC 123/2006 art. 18 §5-C" in line.reason


def test_an_mei_issuer_has_no_inss_withheld_even_for_an_annex_iv_activity() -> None:
    service = cleaning(simples_annex_iv=True)
    line = compute("10000.00", issuer_profile=issuer(TaxRegime.MEI), service=service).inss
    assert (line.outcome, line.cents) == (Outcome.NOT_DUE, 0)


def test_a_simples_optant_customer_withholds_inss_like_any_other_company() -> None:
    # IN RFB 2.110/2022 art. 133.
    assert compute("10000.00", payer_profile=payer(CustomerTaxType.SIMPLES_OPTANTE), service=cleaning()).inss.cents == (
        110000
    )


@pytest.mark.parametrize(
    ("dispensation", "article"),
    [
        (InssDispensation.NO_EMPLOYEES_SMALL_REVENUE, "art. 115, II"),
        (InssDispensation.REGULATED_PROFESSION_BY_PARTNERS, "art. 115, III"),
    ],
)
def test_a_dispensation_the_provider_declares_removes_the_inss(dispensation: InssDispensation, article: str) -> None:
    line = compute("10000.00", service=cleaning(), inss_dispensation=dispensation).inss
    assert (line.outcome, line.cents) == (Outcome.DISPENSED, 0)
    assert article in line.reason


def test_a_customer_whose_profile_does_not_withhold_inss_keeps_it_on_the_invoice() -> None:
    line = compute("10000.00", payer_profile=payer(inss=False), service=cleaning()).inss
    assert (line.outcome, line.reason) == (
        Outcome.PROFILE_OFF,
        "INSS não retido: o cliente não retém INSS (perfil da conta)",
    )


# ── ISS: LC 116/2003 arts. 6, 8 (max 5%), 8-A (min 2%, LC 157/2016); LC 123/2006 art. 21 §4 ──────────────────────


def iss_payer(rate: str) -> PayerProfile:
    return payer(iss=True, iss_rate=rate)


@pytest.mark.parametrize(("rate", "cents"), [("0.02", 20000), ("0.035", 35000), ("0.05", 50000)])
def test_iss_is_withheld_at_the_rate_of_the_account(rate: str, cents: int) -> None:
    line = compute("10000.00", payer_profile=iss_payer(rate)).iss
    assert (line.outcome, line.cents, line.rule_id) == (Outcome.WITHHELD, cents, "iss-lc-116-2003")


def test_the_iss_reason_shows_the_rate_in_brazilian_notation() -> None:
    line = compute("10000.00", payer_profile=iss_payer("0.025")).iss
    assert line.reason == "ISS retido: 2,5% do valor do serviço, alíquota do perfil da conta (LC 116/2003 art. 6)"


def test_iss_has_no_minimum_amount_and_is_rounded_half_up() -> None:
    # 5% of R$ 0,10 is half a cent: withheld as R$ 0,01; no dispensation threshold exists for the ISS.
    assert compute("0.10", payer_profile=iss_payer("0.05")).iss.cents == 1
    assert compute("0.09", payer_profile=iss_payer("0.05")).iss.cents == 0
    assert compute("100.00", payer_profile=iss_payer("0.02")).iss.cents == 200


def test_a_simples_nacional_issuer_still_has_iss_withheld_at_the_rate_of_its_document() -> None:
    result = compute("10000.00", issuer_profile=issuer(TaxRegime.SIMPLES_NACIONAL), payer_profile=iss_payer("0.03"))
    assert result.iss.cents == 30000
    assert "LC 123/2006 art. 21 §4" in result.iss.reason


def test_a_customer_that_does_not_withhold_iss_keeps_it_on_the_invoice() -> None:
    result = compute("10000.00")
    assert (result.iss.outcome, result.iss.rule_id) == (Outcome.PROFILE_OFF, None)
    assert result.warnings == ()


def test_a_subitem_the_law_puts_on_the_company_customer_warns_when_the_account_does_not_withhold_iss() -> None:
    # LC 116/2003 art. 6 §2, II (subitem list of medium confidence): a warning, not a forced withholding.
    result = compute("10000.00", service=cleaning())
    assert result.iss.outcome is Outcome.PROFILE_OFF
    warning = (
        "Subitem 7.10: a LC 116/2003 (art. 6 §2, II) faz do tomador PJ o responsável pelo ISS. "
        "Confira se este cliente deveria reter o ISS."
    )
    assert result.warnings == (warning,)


# ── Who pays: pessoa física (PJ → PJ scope, IN RFB 2.110/2022 art. 114 IV), public body, exempt ────────────────


def test_a_natural_person_customer_withholds_nothing() -> None:
    profile = payer(CustomerTaxType.PESSOA_FISICA, iss=True, iss_rate="0.05")
    result = compute("10000.00", payer_profile=profile, service=cleaning())
    assert result.total_withheld_cents == 0
    assert result.net_value_cents == 1000000
    assert all(line.outcome is Outcome.NOT_DUE for line in result.lines)
    assert result.inss.reason == "INSS não retido: tomador pessoa física (IN RFB 2.110/2022 art. 114, IV)"


def test_an_exempt_customer_withholds_like_any_other_company() -> None:
    exempt = compute("10000.00", payer_profile=payer(CustomerTaxType.EXEMPT), service=cleaning())
    taxable = compute("10000.00", payer_profile=payer(CustomerTaxType.LUCRO_REAL), service=cleaning())
    assert exempt.cents_by_tax() == taxable.cents_by_tax()


def test_a_public_body_withholds_inss_and_iss_as_any_company() -> None:
    profile = payer(CustomerTaxType.PUBLIC_BODY, ir=False, csrf=False, iss=True, iss_rate="0.05")
    result = compute("10000.00", payer_profile=profile, service=cleaning())
    assert (result.inss.cents, result.iss.cents, result.irrf.cents) == (110000, 50000, 0)


# ── Every issuer regime against every customer type (full flags, cleaning by cession, ISS at 5%) ─────────────────

_COMPANY_PAYERS = [CustomerTaxType.SIMPLES_OPTANTE, CustomerTaxType.LUCRO_PRESUMIDO, CustomerTaxType.LUCRO_REAL]


def _expected(regime: TaxRegime, customer: CustomerTaxType) -> dict[Tax, int]:
    if customer is CustomerTaxType.PESSOA_FISICA:
        return dict.fromkeys(Tax, 0)
    federal = regime not in (TaxRegime.SIMPLES_NACIONAL, TaxRegime.MEI)
    return {
        Tax.IRRF: 10000 if federal else 0,
        Tax.PIS: 6500 if federal else 0,
        Tax.COFINS: 30000 if federal else 0,
        Tax.CSLL: 10000 if federal else 0,
        Tax.INSS: 110000 if federal else 0,
        Tax.ISS: 50000,
    }


@pytest.mark.parametrize("regime", list(TaxRegime))
@pytest.mark.parametrize("customer", [*_COMPANY_PAYERS, CustomerTaxType.EXEMPT, CustomerTaxType.PESSOA_FISICA])
def test_each_issuer_regime_and_customer_type_withholds_what_the_rules_say(
    regime: TaxRegime, customer: CustomerTaxType
) -> None:
    profile = payer(customer, iss=True, iss_rate="0.05")
    result = compute("10000.00", issuer_profile=issuer(regime), payer_profile=profile, service=cleaning())
    assert result.cents_by_tax() == _expected(regime, customer)
    assert result.net_value_cents == 1000000 - sum(_expected(regime, customer).values())


# ── Rule versions by payment date: Lei 13.137/2015 (22/06/2015); EC 132/2023 and LC 214/2025 (2027) ─────────────


def test_a_payment_on_22_june_2015_uses_the_ten_reais_csrf_threshold() -> None:
    result = compute("300.00", paid_on=date(2015, 6, 22))  # 13,95 of CSRF: above R$ 10,00
    assert (result.csll.cents, result.csll.rule_id) == (300, "csrf-lei-13137-2015")


def test_a_payment_on_21_june_2015_uses_the_five_thousand_reais_monthly_threshold() -> None:
    result = compute("300.00", paid_on=date(2015, 6, 21), earlier_payments_in_month=brl("0"))
    assert (result.csll.outcome, result.csll.rule_id) == (Outcome.DISPENSED, "csrf-lei-10925-2004")
    assert "R$ 5.000,00" in result.csll.reason


@pytest.mark.parametrize(
    ("earlier", "gross", "outcome"),
    [("0", "5000.00", Outcome.DISPENSED), ("0", "5000.01", Outcome.WITHHELD), ("4000.00", "1000.01", Outcome.WITHHELD)],
)
def test_before_june_2015_the_payments_of_the_month_are_summed_against_five_thousand_reais(
    earlier: str, gross: str, outcome: Outcome
) -> None:
    result = compute(gross, paid_on=date(2015, 6, 1), earlier_payments_in_month=brl(earlier))
    assert result.cofins.outcome is outcome


def test_crossing_the_old_monthly_limit_warns_that_earlier_payments_went_without_withholding() -> None:
    crossing = compute("2000.00", paid_on=date(2015, 6, 1), earlier_payments_in_month=brl("4000.00"))
    already_over = compute("2000.00", paid_on=date(2015, 6, 1), earlier_payments_in_month=brl("6000.00"))
    assert crossing.cofins.cents == already_over.cofins.cents == 6000
    assert len(crossing.warnings) == 1 and "art. 31 §4" in crossing.warnings[0]
    assert already_over.warnings == ()


def test_the_last_day_of_2026_still_withholds_pis_and_cofins() -> None:
    result = compute("10000.00", paid_on=date(2026, 12, 31))
    assert (result.pis.cents, result.cofins.cents, result.csll.cents) == (6500, 30000, 10000)


def test_from_2027_only_the_csll_is_withheld_under_a_provisional_rule_that_warns() -> None:
    result = compute("10000.00", paid_on=date(2027, 1, 1))
    assert (result.pis.cents, result.cofins.cents, result.csll.cents) == (0, 0, 10000)
    assert result.pis.reason == "PIS não retido: contribuição extinta nesta data (EC 132/2023; LC 214/2025)"
    assert result.csll.rule_id == "csrf-ec-132-2027"
    assert len(result.warnings) == 1 and "provisória" in result.warnings[0]


@pytest.mark.parametrize(("gross", "outcome"), [("1000.00", Outcome.DISPENSED), ("1001.00", Outcome.WITHHELD)])
def test_from_2027_the_ten_reais_threshold_applies_to_the_csll_alone(gross: str, outcome: Outcome) -> None:
    assert compute(gross, paid_on=date(2027, 3, 1)).csll.outcome is outcome
