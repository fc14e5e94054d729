"""The estimate by hand: each expected figure below was worked out on paper from the rates in
data/rates.json and the rules in benefits-uk.md, not read back from the code."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openips.benefits.calculator import (
    Capability,
    Carer,
    Household,
    Work,
    compare,
    income,
    pay,
    permitted_work,
    universal_credit,
)
from openips.benefits.rates import NoRates, RatesMissing, TaxYearRates, rates_for, tax_year_of

Y2025 = rates_for("2025/26")
Y2026 = rates_for("2026/27")
SINGLE_LCW = Household(claimant_age=30, capability=Capability.LCW)


def with_uc(rates: TaxYearRates, **figures: object) -> TaxYearRates:
    sections = copy.deepcopy(rates.sections)
    sections["universal_credit"].update(figures)
    return TaxYearRates("test", rates.starts, rates.ends, rates.sources, sections)


def step(result: object, label_start: str) -> D:
    found = [s.amount for s in result.steps if s.label.startswith(label_start)]  # type: ignore[attr-defined]
    assert len(found) == 1, [s.label for s in result.steps]  # type: ignore[attr-defined]
    return found[0]


def test_the_worked_example_in_benefits_uk() -> None:
    # 2024/25 work allowance £673: net earnings £900 → (900 − 673) × 0.55 = £124.85 less UC.
    rates = with_uc(Y2025, work_allowance_without_housing_costs="673.00")
    uc = universal_credit(rates, SINGLE_LCW, D("900.00"))
    assert step(uc, "Less 55%") == D("-124.85")
    assert uc.award == D("400.14") - D("124.85")


def test_earnings_equal_to_the_work_allowance_take_nothing_off() -> None:
    at = universal_credit(Y2025, SINGLE_LCW, D("684.00"))
    assert step(at, "Less 55%") == 0
    assert at.award == at.maximum == D("400.14")
    over = universal_credit(Y2025, SINGLE_LCW, D("684.01"))
    assert over.award == D("400.13")  # 55% of a penny rounds to a penny


def test_the_work_allowance_needs_a_child_or_limited_capability() -> None:
    uc = universal_credit(Y2025, Household(claimant_age=30), D("100.00"))
    assert step(uc, "Work allowance") == 0
    assert uc.award == D("400.14") - D("55.00")


def test_the_award_is_floored_at_zero() -> None:
    uc = universal_credit(Y2025, Household(claimant_age=30), D("2000.00"))
    assert uc.award == 0  # 55% of £2,000 is £1,100, more than the £400.14 maximum
    assert "below zero" in uc.steps[-1].working


def test_a_single_person_with_lcwra_and_rent_taking_a_16_hour_job() -> None:
    h = Household(claimant_age=30, capability=Capability.LCWRA, housing_costs=D("500"))
    result = compare(Y2025, h, Work(), Work(D("16"), D("12.21")))
    # Maximum: 400.14 + 423.27 + 500.00 = 1,323.41. Pay: 16 × 12.21 = 195.36 a week,
    # × 52 ÷ 12 = 846.56 a month, under the tax and NI thresholds. (846.56 − 411) × 0.55 =
    # 239.558 → 239.56. UC 1,323.41 − 239.56 = 1,083.85; income 846.56 + 1,083.85 = 1,930.41.
    assert result.now.total == D("1323.41")
    assert result.in_work.pay.take_home == D("846.56")
    assert result.in_work.universal_credit.award == D("1083.85")
    assert result.in_work.total == D("1930.41")
    assert result.difference == D("607.00")


def test_take_home_pay_after_tax_and_national_insurance() -> None:
    wages = pay(Y2025, Work(D("30"), D("12.21")))
    # 366.30 a week → 1,587.30 a month. Tax (1,587.30 − 1,047.50) × 20% = 107.96;
    # NI (1,587.30 − 1,048) × 8% = 43.144; together 151.104 → 151.10.
    assert (wages.gross, wages.tax, wages.national_insurance) == (
        D("1587.30"),
        D("107.96"),
        D("43.14"),
    )
    assert wages.take_home == D("1436.20")


def test_elements_for_children_carers_and_a_couple() -> None:
    three = Household(claimant_age=40, children=3, first_child_born_before_6_april_2017=True)
    uc = universal_credit(Y2025, three, D("0"))
    assert step(uc, "Child element") == D("339.00") + D("292.81")  # two-child limit
    couple = Household(claimant_age=24, partner_age=23, carer=Carer.PARTNER)
    assert universal_credit(Y2025, couple, D("0")).maximum == D("497.55") + D("201.68")
    both = Household(claimant_age=30, capability=Capability.LCWRA, carer=Carer.CLAIMANT)
    assert universal_credit(Y2025, both, D("0")).maximum == D("400.14") + D("423.27")


def test_savings_between_the_limits_count_as_income_and_over_the_upper_none() -> None:
    def award(savings: str) -> D:
        return universal_credit(Y2025, Household(claimant_age=30, savings=D(savings)), D(0)).award

    assert award("6000") == D("400.14")
    assert award("8000") == D("400.14") - 8 * D("4.35")
    assert award("8000.01") == D("400.14") - 9 * D("4.35")  # each £250 or part of it
    assert award("16000.01") == 0


@pytest.mark.parametrize(
    ("hours", "weekly_pay", "allowed"),
    [
        ("30", "20.00", True),  # the lower limit applies at any hours
        ("16", "20.01", False),  # 16 hours is not under 16
        ("15.5", "195.50", True),  # the higher limit, exactly
        ("15.5", "195.51", False),
    ],
)
def test_esa_permitted_work_limits(hours: str, weekly_pay: str, allowed: bool) -> None:
    work = Work(D(hours), D(weekly_pay) / D(hours))
    assert work.weekly_pay == D(weekly_pay)
    assert permitted_work(Y2025, work).allowed is allowed


def test_esa_stops_above_the_limit_and_uc_then_deducts_none() -> None:
    h = Household(claimant_age=30, capability=Capability.LCWRA, esa_weekly=D("100"))
    within = income(Y2025, h, Work(D("15"), D("12.21")))  # 183.15 a week
    beyond = income(Y2025, h, Work(D("16"), D("12.21")))
    assert within.esa == D("433.33")  # 100 × 52 ÷ 12
    assert step(within.universal_credit, "Less new-style ESA") == D("-433.33")
    assert beyond.esa == 0 and beyond.permitted_work is not None
    assert not beyond.permitted_work.allowed
    assert all(not s.label.startswith("Less new-style") for s in beyond.universal_credit.steps)


def test_a_year_with_no_rates_is_refused_by_name() -> None:
    with pytest.raises(NoRates, match=r"no rates for 2027/28.*2025/26 and 2026/27"):
        rates_for("2027/28")


def test_a_figure_not_yet_confirmed_is_refused_not_guessed() -> None:
    with pytest.raises(RatesMissing, match="2026/27 rates do not include a confirmed Universal"):
        compare(Y2026, SINGLE_LCW, Work(), Work(D("10"), D("12.71")))
    # Without a work allowance to apply, the year's confirmed figures are enough.
    result = compare(Y2026, Household(claimant_age=30), Work(), Work(D("10"), D("12.71")))
    assert result.now.total == D("424.90")


def test_the_lower_lcwra_rate_for_new_claims_from_april_2026() -> None:
    new = Household(claimant_age=30, capability=Capability.LCWRA, lcwra_protected=False)
    assert step(universal_credit(Y2026, new, D(0)), "LCWRA") == D("217.26")
    assert step(
        universal_credit(
            Y2026, SINGLE_LCW.__class__(claimant_age=30, capability=Capability.LCWRA), D(0)
        ),
        "LCWRA",
    ) == D("429.80")


def test_the_tax_year_turns_on_6_april() -> None:
    assert tax_year_of(date(2026, 4, 5)) == "2025/26"
    assert tax_year_of(date(2026, 4, 6)) == "2026/27"


money = st.decimals(min_value=0, max_value=3000, places=2)
households = st.builds(
    Household,
    claimant_age=st.integers(18, 66),
    partner_age=st.none() | st.integers(18, 66),
    children=st.integers(0, 4),
    first_child_born_before_6_april_2017=st.booleans(),
    capability=st.sampled_from(Capability),
    carer=st.sampled_from(Carer),
    housing_costs=money,
    partner_take_home_pay=money,
    other_income=st.decimals(min_value=0, max_value=500, places=2),
    savings=st.decimals(min_value=0, max_value=20000, places=2),
)
works = st.builds(
    Work,
    hours=st.decimals(min_value=0, max_value=60, places=1),
    hourly_pay=st.decimals(min_value=0, max_value=60, places=2),
)


@given(households, works, works)
def test_more_pay_never_means_less_income_under_universal_credit(
    h: Household, a: Work, b: Work
) -> None:
    low, high = sorted((a, b), key=lambda w: w.weekly_pay)
    assert income(Y2025, h, high).total >= income(Y2025, h, low).total
