"""Value composition: subtotal + tax − discount = total, taxes from rules, discounts from coupons and credit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.coupons.errors import CouponExhausted, CouponOutOfValidity
from domain.invoices.composition import CompositionContext, compose
from domain.invoices.errors import DiscountTooLarge, InvalidLine, NegativeDiscount
from domain.invoices.model import LineSource, LineType
from tests.domain.invoices.builders import CONSULTING, SOFTWARE, coupon, invoice, line, tax_rule

TODAY = date(2026, 11, 20)
SAO_PAULO, RIO = "3550308", "3304557"


def composed(inv, **context):  # type: ignore[no-untyped-def]
    compose(inv, CompositionContext(on=TODAY, **context))
    return inv


def amounts(inv, source: LineSource) -> list[int]:  # type: ignore[no-untyped-def]
    return [line.amount_cents for line in inv.lines if line.source is source]


def test_lines_are_quantity_times_unit_amount_rounded_half_up_once_per_line() -> None:
    inv = composed(invoice(line("33.33", "1.5"), line("10.00", "3"), line("0.01", "0.5")))
    assert [line.amount_cents for line in inv.lines] == [50_00, 30_00, 1]  # 49,995 → 50,00; 0,005 → 0,01
    assert inv.subtotal_cents == inv.total_cents == 80_01
    assert [line.position for line in inv.lines] == [1, 2, 3]


def test_subtotal_plus_tax_minus_discount_is_the_total_and_the_lines_add_up_to_it() -> None:
    inv = invoice(line("1000.00", "2"), manual_discount_cents=150_00)
    composed(inv, tax_rules=[tax_rule("ISS", "0.02")])
    assert (inv.subtotal_cents, inv.tax_cents, inv.discount_cents, inv.total_cents) == (2000_00, 40_00, 150_00, 1890_00)
    assert sum(line.amount_cents for line in inv.lines) == inv.total_cents
    assert [(line.type, line.description) for line in inv.lines[1:]] == [
        (LineType.TAX, "ISS (2%)"),
        (LineType.DISCOUNT, "Desconto concedido"),
    ]


def test_the_most_specific_tax_rule_wins_per_tax_name() -> None:
    rules = [
        tax_rule("ISS", "0.05"),
        tax_rule("ISS", "0.03", municipality=SAO_PAULO),
        tax_rule("ISS", "0.02", service=CONSULTING, municipality=SAO_PAULO),
        tax_rule("Taxa", "0.01"),
    ]
    inv = composed(
        invoice(line("100.00"), line("100.00", service=SOFTWARE)), tax_rules=rules, municipality_code=SAO_PAULO
    )
    taxes = {line.description: line.amount_cents for line in inv.lines if line.type is LineType.TAX}
    assert taxes == {"ISS (2%)": 2_00, "ISS (3%)": 3_00, "Taxa (1%)": 2_00}
    assert inv.tax_cents == 7_00


def test_a_tax_rule_applies_only_in_its_municipality_and_validity() -> None:
    rules = [tax_rule("ISS", "0.03", municipality=RIO), tax_rule("ISS", "0.02", valid_until=date(2026, 1, 1))]
    inv = composed(invoice(line("100.00")), tax_rules=rules, municipality_code=SAO_PAULO)
    assert inv.tax_cents == 0 and not amounts(inv, LineSource.TAX_RULE)


def test_a_tax_is_rounded_once_on_the_sum_of_the_lines_it_covers() -> None:
    inv = composed(invoice(line("0.25"), line("0.25")), tax_rules=[tax_rule("ISS", "0.02")])
    assert inv.tax_cents == 1  # 2% of 0,50 = 0,01 (per line it would be 0,005 + 0,005 → 0,02)


def test_recomposing_rebuilds_the_generated_lines_instead_of_adding_more() -> None:
    inv = invoice(line("100.00"), manual_discount_cents=10_00)
    context = CompositionContext(on=TODAY, tax_rules=[tax_rule("ISS", "0.05")], coupon=coupon(percent="0.10"))
    compose(inv, context)
    first = [(line.description, line.amount_cents) for line in inv.lines]
    compose(inv, context)
    assert [(line.description, line.amount_cents) for line in inv.lines] == first and len(first) == 4


def test_a_percent_coupon_discounts_the_subtotal_and_a_fixed_one_its_amount() -> None:
    percent = composed(invoice(line("200.00")), coupon=coupon(percent="0.15"))
    assert amounts(percent, LineSource.COUPON) == [-30_00] and percent.total_cents == 170_00
    fixed = composed(invoice(line("200.00")), coupon=coupon(amount_cents=50_00))
    assert fixed.total_cents == 150_00 and fixed.lines[-1].description == "Cupom BEMVINDO"


def test_a_coupon_never_takes_the_total_below_zero() -> None:
    inv = composed(invoice(line("30.00")), coupon=coupon(amount_cents=50_00))
    assert inv.total_cents == 0 and inv.discount_cents == 30_00


def test_an_expired_or_exhausted_coupon_is_refused_with_its_reason() -> None:
    with pytest.raises(CouponOutOfValidity, match="31/10/2026"):
        composed(invoice(line("10.00")), coupon=coupon(percent="0.1", valid_until=date(2026, 10, 31)))
    with pytest.raises(CouponExhausted, match="máximo de 3"):
        composed(invoice(line("10.00")), coupon=coupon(percent="0.1", max_redemptions=3, redeemed=3))


def test_the_accounts_credit_is_applied_automatically_up_to_what_is_left() -> None:
    partial = composed(invoice(line("100.00")), available_credit_cents=30_00)
    assert partial.credit_applied_cents == 30_00 and partial.total_cents == 70_00
    assert amounts(partial, LineSource.CREDIT) == [-30_00]
    whole = composed(invoice(line("100.00")), available_credit_cents=500_00)
    assert whole.credit_applied_cents == 100_00 and whole.total_cents == 0 and whole.net_value_cents == 0


def test_credit_is_capped_so_the_net_value_never_goes_negative() -> None:
    def withhold(inv):  # type: ignore[no-untyped-def]
        inv.withheld_cents = 6_15  # what the customer keeps for the tax authorities

    inv = invoice(line("100.00"))
    compose(inv, CompositionContext(on=TODAY, available_credit_cents=1000_00), withhold)
    assert inv.credit_applied_cents == 93_85 and inv.total_cents == 6_15 and inv.net_value_cents == 0
    assert inv.withholding_base_cents == 100_00  # credit pays; it is not a discount on the service


def test_discount_lines_are_negative_and_refused_when_larger_than_subtotal_plus_tax() -> None:
    with pytest.raises(DiscountTooLarge):
        composed(invoice(line("10.00"), manual_discount_cents=10_01))
    with pytest.raises(NegativeDiscount):
        composed(invoice(line("10.00"), manual_discount_cents=-1))


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (dict(quantity="0"), "quantity"),
        (dict(quantity="-1"), "quantity"),
        (dict(reais="-1.00"), "unit_amount"),
        (dict(description="  "), "description"),
        (dict(type_=LineType.TAX), "type"),
    ],
)
def test_invalid_lines_are_refused_naming_the_field(bad: dict, field: str) -> None:
    kwargs = {"reais": "10.00", "quantity": "1", **bad}
    with pytest.raises(InvalidLine) as refusal:
        composed(invoice(line(kwargs.pop("reais"), kwargs.pop("quantity"), **kwargs)))
    assert refusal.value.field == field and refusal.value.message.startswith("Item 1:")


def test_quantities_keep_their_decimals() -> None:
    inv = composed(invoice(line("150.00", "2.75")))
    assert inv.lines[0].quantity == Decimal("2.75") and inv.total_cents == 412_50
