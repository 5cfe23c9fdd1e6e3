"""Invoices and the withholding engine: each withheld amount stored, net value = total − withheld."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest

from domain.billing_accounts.model import BillingAccount
from domain.invoices.composition import CompositionContext, compose
from domain.invoices.errors import MissingServiceItem, MixedWithholdingServices
from domain.invoices.withholding import WithholdingInputs, apply_withholding, inputs_for, preview_withholding
from domain.organizations.model import Organization, TaxRegime
from domain.taxes.model import CustomerTaxType
from tests.domain.invoices.builders import SERVICES, SOFTWARE, invoice, line

DUE = date(2026, 12, 10)
ORG = Organization(
    id=uuid.uuid4(),
    slug="acme",
    legal_name="Acme",
    tax_regime=TaxRegime.LUCRO_PRESUMIDO,
    preferences={},
    timezone="America/Sao_Paulo",
)


def account(**flags: object) -> BillingAccount:
    values = {
        "customer_tax_type": CustomerTaxType.LUCRO_REAL,
        "withhold_ir": True,
        "withhold_csrf": True,
        "withhold_inss": False,
        "withhold_iss": False,
        "iss_rate": None,
        "iss_municipality_code": None,
        **flags,
    }
    return BillingAccount(id=uuid.uuid4(), name="Conta", currency="BRL", balance_cents=0, **values)


def priced(inv, acc: BillingAccount | None = None, org: Organization = ORG, credit: int = 0):  # type: ignore[no-untyped-def]
    acc = acc or account()
    inputs = inputs_for(inv, org=org, account=acc, services=SERVICES) if inv.currency == "BRL" else None
    compose(
        inv, CompositionContext(on=DUE, available_credit_cents=credit), lambda i: apply_withholding(i, inputs, on=DUE)
    )
    return inv


def test_a_customer_withholding_irrf_and_csrf_on_consulting_pays_the_net_value() -> None:
    inv = priced(invoice(line("1000.00", "10")))
    assert inv.total_cents == 10_000_00
    assert (inv.irrf_cents, inv.pis_cents, inv.cofins_cents, inv.csll_cents) == (150_00, 65_00, 300_00, 100_00)
    assert inv.inss_cents == inv.iss_withheld_cents == 0
    assert inv.withheld_cents == 615_00 and inv.net_value_cents == 9_385_00
    assert inv.withholding_rule_version == "irrf-rir-2018 + csrf-lei-13137-2015 + inss-in-rfb-2110-2022"
    assert inv.withholding_on == DUE
    assert any(note.startswith("IRRF retido") for note in inv.withholding_notes)


def test_irrf_of_exactly_ten_reais_is_dispensed_but_csrf_above_ten_is_withheld() -> None:
    inv = priced(invoice(line("666.67")))  # IRRF 1,5% = 10,00 (≤ 10: dispensed); CSRF 4,65% = 31,00
    assert inv.irrf_cents == 0 and inv.pis_cents + inv.cofins_cents + inv.csll_cents == 31_00
    assert any("IRRF dispensado" in note for note in inv.withholding_notes)


def test_a_simples_nacional_issuer_has_no_irrf_nor_csrf_withheld() -> None:
    simples = Organization(
        id=uuid.uuid4(), slug="s", legal_name="S", tax_regime=TaxRegime.SIMPLES_NACIONAL, preferences={}
    )
    inv = priced(invoice(line("1000.00", "10")), org=simples)
    assert inv.withheld_cents == 0 and inv.net_value_cents == inv.total_cents


def test_iss_withheld_by_the_customer_at_its_rate() -> None:
    acc = account(
        withhold_ir=False,
        withhold_csrf=False,
        withhold_iss=True,
        iss_rate=Decimal("0.05"),
        iss_municipality_code="3550308",
    )
    inv = priced(invoice(line("1000.00")), acc)
    assert inv.iss_withheld_cents == 50_00 and inv.net_value_cents == 950_00


def test_withholdings_use_the_value_before_account_credit() -> None:
    inv = priced(invoice(line("1000.00", "10")), credit=1_000_00)
    assert inv.irrf_cents == 150_00 and inv.total_cents == 9_000_00 and inv.net_value_cents == 8_385_00


def test_a_line_without_service_is_refused_for_finalization_but_noted_on_a_draft() -> None:
    inv = invoice(line("100.00", service=None))
    with pytest.raises(MissingServiceItem):
        inputs_for(inv, org=ORG, account=account(), services=SERVICES)
    message = preview_withholding(inv, org=ORG, account=account(), services=SERVICES, on=DUE)
    assert message is not None and "serviço" in message
    assert inv.withheld_cents == 0 and inv.withholding_notes[0].startswith("Retenções não calculadas")


def test_services_withheld_differently_cannot_share_an_invoice() -> None:
    with pytest.raises(MixedWithholdingServices, match=r"1\.05, 17\.01"):
        inputs_for(
            invoice(line("100.00"), line("100.00", service=SOFTWARE)), org=ORG, account=account(), services=SERVICES
        )


def test_invoices_in_other_currencies_withhold_nothing() -> None:
    inv = priced(invoice(line("1000.00", "10"), currency="USD"))
    assert inv.withheld_cents == 0 and inv.net_value_cents == inv.total_cents
    assert inv.withholding_notes == ["Retenções na fonte só se aplicam a faturas em reais."]


def test_the_frozen_inputs_survive_a_round_trip_through_json() -> None:
    acc = account(withhold_iss=True, iss_rate=Decimal("0.02"), iss_municipality_code="3550308")
    inputs = inputs_for(invoice(line("1.00")), org=ORG, account=acc, services=SERVICES)
    assert WithholdingInputs.from_json(inputs.to_json()) == inputs


def test_the_payment_date_decides_the_rule_version() -> None:
    inv = invoice(line("1000.00", "10"))
    inputs = inputs_for(inv, org=ORG, account=account(), services=SERVICES)
    compose(inv, CompositionContext(on=DUE), lambda i: apply_withholding(i, inputs, on=DUE))
    assert inv.csll_cents == 100_00 and inv.pis_cents == 65_00
    apply_withholding(inv, inputs, on=date(2027, 1, 5))  # from 2027 only the CSLL is withheld (provisional row)
    assert inv.pis_cents == inv.cofins_cents == 0 and inv.csll_cents == 100_00
    assert "csrf-ec-132-2027" in (inv.withholding_rule_version or "")
    assert inv.net_value_cents == 10_000_00 - 150_00 - 100_00
