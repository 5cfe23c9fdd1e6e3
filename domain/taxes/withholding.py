"""Withholding (retenções na fonte) on one payment of a service invoice: a pure rule engine, no database.

The customer (tomador) keeps part of what it pays the issuer (prestador) and pays it to the tax authorities; the
invoice shows each amount and `net_value_cents` = gross − withheld. The rules and their legal sources are in
/work/shared/reference/withholding-rules.md. The rates, thresholds and validity dates are rows in `rules.py`; the
inputs and the result are in `model.py`; the refusals in `errors.py`.

Each tax is decided in this order, and the first reason that applies is the explanation shown to the operator:
the legal exclusions (payer type, issuer regime, service), then the billing account's own flag (`withhold_*`: whether
this customer withholds that tax at all), then the amount against its dispensation threshold. Amounts are rounded
half-up to cents once per tax (`Money.times`), and thresholds compare those rounded amounts.

Decisions where the rules file is silent or ambiguous:
- One call judges one payment (IRRF: Cosit 38/2013, nothing carried forward). The caller passes the amount and date of
  the payment; for an invoice not yet paid, its total and its due date.
- CSRF: PIS, COFINS and CSLL are each rounded on their own (the NFS-e carries them apart) and the R$ 10,00 threshold
  applies to their sum, the block the file tells us to use. Before 22/06/2015 the threshold was on the month's
  payments to the same provider, which one invoice cannot tell: the caller passes `earlier_payments_in_month`, or the
  call is refused (`MonthlyPaymentsRequired`).
- From 2027 a provisional CSRF row withholds only the CSLL (PIS/COFINS replaced by the CBS) and adds a warning; the
  file flags this as an inference to verify. The ISS has no row from 2029 (its phase-out is not detailed): refused.
- Payer pessoa física: nothing is withheld (IRRF and CSRF are PJ to PJ, INSS by art. 114 IV, and the file puts the ISS
  on PJ tomadores). Payer public body: INSS and ISS as for any PJ, but federal IR/CSRF are refused, because Lei 9.430
  art. 64 is not in the file and the profile does not say whether the body is federal. Simples-optant and exempt
  payers withhold like any other PJ (the file says so for INSS, art. 133).
- MEI issuer: a Simples optant, so no IRRF or CSRF; no INSS either (Súmula 425), since an MEI is not taxed under an
  Anexo and the Anexo IV exception cannot apply.
- ISS: no dispensation threshold in the file, so none. The rate must lie in 2%–5%, except subitems 7.02, 7.05 and 16.01
  which may go below 2% (art. 8-A §1). The art. 6 §2 II subitems produce a warning, not a forced withholding, when
  the account does not withhold ISS: that list is from memory in the file and municipal law has the last word.
- INSS art. 115 II and III depend on facts about the provider's month, declared by it: `inss_dispensation`. Cases
  without cession (empreitada total, cargo transport, work at the contractor's premises) are `inss_cession=False`.
  Base reductions for materials (arts. 116–119) and the 3.5% CPRB rate are not modelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from domain.money import Money
from domain.organizations.model import TaxRegime
from domain.taxes.errors import (
    CurrencyNotBrl,
    IssRateOutOfRange,
    MonthlyPaymentsRequired,
    NegativeAmount,
    PublicBodyWithholdingUnsupported,
    WithholdingRuleMissing,
)
from domain.taxes.model import (
    CustomerTaxType,
    InssDispensation,
    IssuerProfile,
    Outcome,
    PayerProfile,
    ServiceProfile,
    TaxLine,
    WithholdingResult,
    normalise_service_code,
)
from domain.taxes.rules import (
    CSRF_RULES,
    CSRF_TAXES,
    INSS_RULES,
    IRRF_RULES,
    ISS_RULES,
    CsrfDispensation,
    CsrfRule,
    IrrfCategory,
    RuleT,
    Tax,
    find_rule,
    rate_text,
)

__all__ = [  # the public API: callers import everything from here
    "CustomerTaxType",
    "InssDispensation",
    "IrrfCategory",
    "IssuerProfile",
    "Outcome",
    "PayerProfile",
    "ServiceProfile",
    "Tax",
    "TaxLine",
    "WithholdingResult",
    "compute_withholding",
    "normalise_service_code",
]


def compute_withholding(
    *,
    issuer: IssuerProfile,
    payer: PayerProfile,
    service: ServiceProfile,
    gross: Money,
    paid_on: date,
    inss_dispensation: InssDispensation = InssDispensation.NONE,
    earlier_payments_in_month: Money | None = None,
) -> WithholdingResult:
    """What the customer withholds from one payment of a service invoice, tax by tax, with the reason for each."""
    _check_amount("gross", gross)
    if earlier_payments_in_month is not None:
        _check_amount("earlier_payments_in_month", earlier_payments_in_month)
    if payer.customer_tax_type is CustomerTaxType.PUBLIC_BODY and (payer.withhold_ir or payer.withhold_csrf):
        raise PublicBodyWithholdingUnsupported()
    warnings: list[str] = []
    pis, cofins, csll = _csrf(issuer, payer, service, gross, paid_on, earlier_payments_in_month, warnings)
    return WithholdingResult(
        currency=gross.currency,
        gross_cents=gross.cents,
        irrf=_irrf(issuer, payer, service, gross, paid_on),
        pis=pis,
        cofins=cofins,
        csll=csll,
        inss=_inss(issuer, payer, service, gross, paid_on, InssDispensation(inss_dispensation)),
        iss=_iss(payer, service, gross, paid_on, simples_issuer=issuer.regime in _SIMPLES, warnings=warnings),
        warnings=tuple(warnings),
    )


_SIMPLES = frozenset({TaxRegime.SIMPLES_NACIONAL, TaxRegime.MEI})
_PF_PAYER = "tomador pessoa física"
_PROFILE_OFF = "o cliente não retém {} (perfil da conta)"
_IRRF_BASIS = {
    IrrfCategory.PROFESSIONAL: "serviços profissionais, RIR/2018 art. 714",
    IrrfCategory.CLEANING_SECURITY_LABOUR: (
        "limpeza, conservação, segurança, vigilância ou locação de mão de obra, RIR/2018 art. 716"
    ),
    IrrfCategory.COMMISSION_ADVERTISING: "comissões, corretagens ou propaganda, RIR/2018 art. 718",
}
_INSS_DISPENSATIONS = {
    InssDispensation.NO_EMPLOYEES_SMALL_REVENUE: "prestador sem empregados, serviço prestado pelo titular ou sócio e "
    "receita do mês anterior ≤ 2 vezes o teto do salário-de-contribuição (IN RFB 2.110/2022 art. 115, II)",
    InssDispensation.REGULATED_PROFESSION_BY_PARTNERS: "profissão regulamentada ou treinamento prestado pessoalmente "
    "pelos sócios (IN RFB 2.110/2022 art. 115, III)",
}
_GENDER = {Tax.IRRF: "o", Tax.PIS: "o", Tax.COFINS: "a", Tax.CSLL: "a", Tax.INSS: "o", Tax.ISS: "o"}  # pt-BR gender


def _irrf(issuer: IssuerProfile, payer: PayerProfile, service: ServiceProfile, gross: Money, paid_on: date) -> TaxLine:
    rule = _rule(IRRF_RULES, paid_on, "IRRF")
    rate = rule.rate_for(service.irrf_category)
    if payer.customer_tax_type is CustomerTaxType.PESSOA_FISICA:
        return _line(Tax.IRRF, Outcome.NOT_DUE, f"{_PF_PAYER} (a retenção é de PJ para PJ)", rule.rule_id)
    if issuer.regime in _SIMPLES:
        return _line(Tax.IRRF, Outcome.NOT_DUE, f"{_simples(issuer)} (IN RFB 765/2007 art. 1)", rule.rule_id)
    if rate is None:
        return _line(Tax.IRRF, Outcome.NOT_DUE, "serviço sem retenção de IR na fonte", rule.rule_id)
    if not payer.withhold_ir:
        return _line(Tax.IRRF, Outcome.PROFILE_OFF, _PROFILE_OFF.format("IR"), rule.rule_id)
    cents = gross.times(rate).cents
    if cents <= rule.dispensed_up_to_cents:
        return _line(Tax.IRRF, Outcome.DISPENSED, rule.dispensation_text, rule.rule_id)
    why = f"{rate_text(rate)} do valor bruto ({_IRRF_BASIS[service.irrf_category]})"
    return _line(Tax.IRRF, Outcome.WITHHELD, why, rule.rule_id, cents)


def _csrf(
    issuer: IssuerProfile,
    payer: PayerProfile,
    service: ServiceProfile,
    gross: Money,
    paid_on: date,
    earlier: Money | None,
    warnings: list[str],
) -> tuple[TaxLine, TaxLine, TaxLine]:
    rule = _rule(CSRF_RULES, paid_on, "PIS/COFINS/CSLL")
    lines: dict[Tax, TaxLine] = {}
    blocked = _csrf_blocked(issuer, payer, service)
    if blocked is not None:
        lines = {tax: _line(tax, blocked[0], blocked[1], rule.rule_id) for tax in CSRF_TAXES}
        return lines[Tax.PIS], lines[Tax.COFINS], lines[Tax.CSLL]
    if rule.provisional:
        warnings.append(
            f"Regra provisória de PIS/COFINS/CSLL para pagamentos desde {rule.valid_from:%d/%m/%Y}: com a troca de "
            "PIS/COFINS pela CBS (LC 214/2025) só a CSLL é retida. Confirme com a contabilidade."
        )
    owed: dict[Tax, int] = {}
    for tax in CSRF_TAXES:
        rate = rule.rate_for(tax)
        if rate is None:
            why = "contribuição extinta nesta data (EC 132/2023; LC 214/2025)"
            lines[tax] = _line(tax, Outcome.NOT_DUE, why, rule.rule_id)
        elif tax in issuer.exempt_contributions:
            why = "prestador isento desta contribuição (Lei 10.833/2003 art. 31 §2)"
            lines[tax] = _line(tax, Outcome.NOT_DUE, why, rule.rule_id)
        elif tax is Tax.CSLL and issuer.is_cooperative:
            lines[tax] = _line(tax, Outcome.NOT_DUE, "prestador cooperativa (Lei 10.833/2003 art. 32, I)", rule.rule_id)
        else:
            owed[tax] = gross.times(rate).cents
    # The threshold judges the block: what is withheld in one collection, not each contribution alone.
    dispensed = bool(owed) and _csrf_dispensed(rule, sum(owed.values()), gross, paid_on, earlier, warnings)
    for tax, cents in owed.items():
        if dispensed:
            lines[tax] = _line(tax, Outcome.DISPENSED, rule.dispensation_text, rule.rule_id)
        else:
            why = f"{rate_text(rule.rate_for(tax) or Decimal(0))} do valor bruto (Lei 10.833/2003 art. 31)"
            lines[tax] = _line(tax, Outcome.WITHHELD, why, rule.rule_id, cents)
    return lines[Tax.PIS], lines[Tax.COFINS], lines[Tax.CSLL]


def _csrf_blocked(issuer: IssuerProfile, payer: PayerProfile, service: ServiceProfile) -> tuple[Outcome, str] | None:
    if payer.customer_tax_type is CustomerTaxType.PESSOA_FISICA:
        return Outcome.NOT_DUE, f"{_PF_PAYER} (Lei 10.833/2003 art. 30: pagamentos de PJ a PJ)"
    if issuer.regime in _SIMPLES:
        return Outcome.NOT_DUE, f"{_simples(issuer)} (Lei 10.833/2003 art. 32; IN SRF 459/2004 art. 3, II)"
    if not service.csrf_applies:
        return Outcome.NOT_DUE, "serviço fora da lista do art. 30 da Lei 10.833/2003"
    if not payer.withhold_csrf:
        return Outcome.PROFILE_OFF, _PROFILE_OFF.format("PIS/COFINS/CSLL")
    return None


def _csrf_dispensed(
    rule: CsrfRule, owed_cents: int, gross: Money, paid_on: date, earlier: Money | None, warnings: list[str]
) -> bool:
    limit = rule.dispensation_limit_cents
    if rule.dispensation is CsrfDispensation.TAX_AT_MOST:
        return owed_cents <= limit
    # Old §4: the month's payments to the same provider are summed, so one invoice alone cannot decide.
    if earlier is None:
        raise MonthlyPaymentsRequired(paid_on)
    if earlier.cents + gross.cents <= limit:
        return True
    if 0 < earlier.cents <= limit:
        warnings.append(
            "Os pagamentos do mês passaram de R$ 5.000,00 neste pagamento: os anteriores ficaram sem retenção. "
            "Verifique a compensação prevista na redação antiga do art. 31 §4 da Lei 10.833/2003."
        )
    return False


def _inss(
    issuer: IssuerProfile,
    payer: PayerProfile,
    service: ServiceProfile,
    gross: Money,
    paid_on: date,
    dispensation: InssDispensation,
) -> TaxLine:
    rule = _rule(INSS_RULES, paid_on, "INSS")
    not_due: str | None = None
    if payer.customer_tax_type is CustomerTaxType.PESSOA_FISICA:
        not_due = f"{_PF_PAYER} (IN RFB 2.110/2022 art. 114, IV)"
    elif not service.inss_cession:
        not_due = "serviço sem cessão de mão de obra nem empreitada (Lei 8.212/1991 art. 31)"
    elif issuer.regime is TaxRegime.MEI:
        not_due = "prestador MEI, não tributado pelo Anexo IV do Simples Nacional (Súmula 425 do STJ)"
    elif issuer.regime is TaxRegime.SIMPLES_NACIONAL and not service.simples_annex_iv:
        not_due = "prestador do Simples Nacional fora do Anexo IV (Súmula 425 do STJ; LC 123/2006 art. 18 §5-C)"
    if not_due is not None:
        return _line(Tax.INSS, Outcome.NOT_DUE, not_due, rule.rule_id)
    if not payer.withhold_inss:
        return _line(Tax.INSS, Outcome.PROFILE_OFF, _PROFILE_OFF.format("INSS"), rule.rule_id)
    if dispensation is not InssDispensation.NONE:
        return _line(Tax.INSS, Outcome.DISPENSED, _INSS_DISPENSATIONS[dispensation], rule.rule_id)
    cents = gross.times(rule.rate).cents
    if cents < rule.dispensed_below_cents:
        return _line(Tax.INSS, Outcome.DISPENSED, rule.dispensation_text, rule.rule_id)
    why = f"{rate_text(rule.rate)} do valor bruto (Lei 8.212/1991 art. 31"
    if issuer.regime is TaxRegime.SIMPLES_NACIONAL:
        why += "; Simples Nacional, Anexo IV: LC 123/2006 art. 18 §5-C"
    why += '); a nota destaca "RETENÇÃO PARA A PREVIDÊNCIA SOCIAL" (IN RFB 2.110/2022 art. 121)'
    return _line(Tax.INSS, Outcome.WITHHELD, why, rule.rule_id, cents)


def _iss(
    payer: PayerProfile,
    service: ServiceProfile,
    gross: Money,
    paid_on: date,
    *,
    simples_issuer: bool,
    warnings: list[str],
) -> TaxLine:
    if payer.customer_tax_type is CustomerTaxType.PESSOA_FISICA:
        return _line(Tax.ISS, Outcome.NOT_DUE, f"{_PF_PAYER} (LC 116/2003 art. 6 §2, II: tomador PJ)", None)
    if not payer.withhold_iss or payer.iss_rate is None:
        known = find_rule(ISS_RULES, paid_on)
        if known is not None and service.service_code in known.tomador_responsible_subitems:
            warnings.append(
                f"Subitem {service.service_code}: a LC 116/2003 (art. 6 §2, II) faz do tomador PJ o responsável pelo "
                "ISS. Confira se este cliente deveria reter o ISS."
            )
        return _line(Tax.ISS, Outcome.PROFILE_OFF, _PROFILE_OFF.format("ISS"), None)
    rule = _rule(ISS_RULES, paid_on, "ISS")
    rate = payer.iss_rate
    low = Decimal(0) if service.service_code in rule.below_min_allowed_subitems else rule.min_rate
    if rate <= 0 or rate < low or rate > rule.max_rate:
        raise IssRateOutOfRange(rate, low, rule.max_rate, service.service_code)
    why = f"{rate_text(rate)} do valor do serviço, alíquota do perfil da conta (LC 116/2003 art. 6)"
    if simples_issuer:
        why += "; prestador do Simples Nacional: vale a alíquota informada na nota (LC 123/2006 art. 21 §4)"
    return _line(Tax.ISS, Outcome.WITHHELD, why, rule.rule_id, gross.times(rate).cents)


def _line(tax: Tax, outcome: Outcome, why: str, rule_id: str | None, cents: int = 0) -> TaxLine:
    gender = _GENDER[tax]
    verb = {Outcome.WITHHELD: "retid", Outcome.DISPENSED: "dispensad"}.get(outcome, "não retid")
    return TaxLine(tax, outcome, cents, f"{tax.upper()} {verb}{gender}: {why}", rule_id)


def _simples(issuer: IssuerProfile) -> str:
    if issuer.regime is TaxRegime.MEI:
        return "prestador MEI, optante pelo Simples Nacional (SIMEI)"
    return "prestador optante pelo Simples Nacional"


def _rule(rows: Sequence[RuleT], paid_on: date, tax: str) -> RuleT:
    rule = find_rule(rows, paid_on)
    if rule is None:
        raise WithholdingRuleMissing(tax, paid_on)
    return rule


def _check_amount(field: str, amount: Money) -> None:
    if amount.currency != "BRL":
        raise CurrencyNotBrl(field, amount.currency)
    if amount.cents < 0:
        raise NegativeAmount(field, amount.cents)
