"""Proration and billing periods: days in the period, Decimal, half-up once per line."""

from __future__ import annotations

from datetime import date

import pytest

from domain.subscriptions.model import PlanInterval, monthly_cents
from domain.subscriptions.proration import PlanTerms, next_period, period_end, prorate

BASIC = PlanTerms("basic", "Básico", 10_000, "BRL", PlanInterval.MONTH, "svc")
PRO = PlanTerms("pro", "Pro", 20_000, "BRL", PlanInterval.MONTH, "svc")
NOVEMBER = {"period_start": date(2026, 11, 1), "period_end": date(2026, 12, 1)}  # 30 days, [start, end)


def test_an_upgrade_halfway_credits_the_unused_old_plan_and_charges_the_new_one_for_the_rest() -> None:
    preview = prorate(old_plan=BASIC, old_quantity=1, new_plan=PRO, new_quantity=1, changed_on=date(2026, 11, 16),
                      **NOVEMBER)  # fmt: skip
    credit, charge = preview.lines
    assert (credit.amount_cents, charge.amount_cents, preview.total_cents) == (-5_000, 10_000, 5_000)
    assert (preview.days_in_period, preview.days_remaining) == (30, 15)
    assert credit.period_start == date(2026, 11, 16) and credit.period_end == date(2026, 11, 30)
    assert credit.details["days_used"] == 15 and credit.details["old_plan"] == "Básico"
    assert charge.details["new_plan"] == "Pro" and charge.details["kind"] == "charge"
    assert "15/30 dias" in charge.description


def test_a_downgrade_gives_a_net_credit() -> None:
    preview = prorate(old_plan=PRO, old_quantity=1, new_plan=BASIC, new_quantity=1, changed_on=date(2026, 11, 21),
                      **NOVEMBER)  # fmt: skip
    assert [line.amount_cents for line in preview.lines] == [-6_667, 3_333]  # 20000·10/30 = 6666,67 → 6667
    assert preview.total_cents == -3_334


def test_a_quantity_change_prorates_each_side_on_its_own_quantity() -> None:
    preview = prorate(old_plan=BASIC, old_quantity=3, new_plan=BASIC, new_quantity=5, changed_on=date(2026, 11, 11),
                      **NOVEMBER)  # fmt: skip
    assert [line.amount_cents for line in preview.lines] == [-20_000, 33_333]  # 50000·20/30 = 33333,33


def test_rounding_is_half_up_once_per_line_on_the_exact_fraction() -> None:
    december = {"period_start": date(2026, 12, 1), "period_end": date(2027, 1, 1)}  # 31 days
    odd = PlanTerms("odd", "Ímpar", 9_300, "BRL", PlanInterval.MONTH)  # 9300·1/31 = 300,0 ; ·10/31 = 3000
    half = PlanTerms("half", "Meio", 31 * 5 + 31 // 2, "BRL", PlanInterval.MONTH)  # 170·1/31 = 5,48
    preview = prorate(old_plan=odd, old_quantity=1, new_plan=half, new_quantity=1, changed_on=date(2026, 12, 31),
                      **december)  # fmt: skip
    assert [line.amount_cents for line in preview.lines] == [-300, 5]
    exact_half = PlanTerms("h", "H", 31, "BRL", PlanInterval.MONTH)  # 31·... 15 days: 15,0 ; 1 of 2 days → 0,5 → 1
    two_days = {"period_start": date(2026, 12, 30), "period_end": date(2027, 1, 1)}
    preview = prorate(old_plan=exact_half, old_quantity=1, new_plan=PlanTerms("o", "O", 1, "BRL", PlanInterval.MONTH),
                      new_quantity=1, changed_on=date(2026, 12, 31), **two_days)  # fmt: skip
    assert [line.amount_cents for line in preview.lines] == [-16, 1]  # 15,5 → 16 and 0,5 → 1


def test_a_change_on_the_first_day_prorates_the_whole_period_and_outside_it_is_refused() -> None:
    whole = prorate(old_plan=BASIC, old_quantity=1, new_plan=PRO, new_quantity=1, changed_on=date(2026, 11, 1),
                    **NOVEMBER)  # fmt: skip
    assert [line.amount_cents for line in whole.lines] == [-10_000, 20_000]
    with pytest.raises(ValueError):
        prorate(old_plan=BASIC, old_quantity=1, new_plan=PRO, new_quantity=1, changed_on=date(2026, 12, 1),
                **NOVEMBER)  # fmt: skip


def test_periods_keep_the_anchor_day_through_short_months() -> None:
    anchor = date(2026, 1, 31)
    assert period_end(anchor, "month") == date(2026, 2, 28)
    assert next_period(anchor, "month", date(2026, 2, 28)) == (date(2026, 2, 28), date(2026, 3, 31))
    assert next_period(anchor, "month", date(2026, 3, 31)) == (date(2026, 3, 31), date(2026, 4, 30))
    assert next_period(date(2024, 2, 29), "year", date(2025, 2, 28)) == (date(2025, 2, 28), date(2026, 2, 28))


def test_a_yearly_plan_counts_a_twelfth_of_its_amount_in_mrr_rounded_half_up() -> None:
    assert monthly_cents(1_000, "year", 1) == 83  # 83,33
    assert monthly_cents(1_002, "year", 1) == 84  # 83,5 → 84
    assert monthly_cents(12_000, "month", 3) == 36_000
