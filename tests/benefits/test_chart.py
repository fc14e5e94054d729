"""What the estimate's chart draws: stacked bars on one scale that add up to the totals the
table gives, on a labelled axis. No database."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from openips.benefits import presenters
from openips.benefits.calculator import Capability, Household, Work, compare
from openips.benefits.presenters import EstimatePresenter
from openips.benefits.rates import rates_for

Y2025 = rates_for("2025/26")
LCWRA = Household(claimant_age=30, capability=Capability.LCWRA, housing_costs=D("500"))


@pytest.fixture
def estimate() -> EstimatePresenter:
    return EstimatePresenter(compare(Y2025, LCWRA, Work(), Work(D("16"), D("12.21"))))


def test_each_column_stacks_its_parts_from_the_baseline_to_its_total(
    estimate: EstimatePresenter,
) -> None:
    chart = estimate.chart
    per_pound = (chart.bottom - chart.top) / 2000  # £1,930.41 rounds up to an axis of £2,000
    totals = {"Now": estimate.now.total, "In work": estimate.in_work.total}
    for centre, label, total in chart.columns:
        assert total == estimate.money(totals[label])
        parts = [bar for bar in chart.bars if bar.x + 60 == centre]
        assert parts
        top = float(chart.bottom)
        for bar in parts:  # each part stands on the one below it
            assert bar.y + bar.height == pytest.approx(top, abs=0.1)
            top = bar.y
        assert chart.bottom - top == pytest.approx(float(totals[label]) * per_pound, abs=0.2)
        assert top >= chart.top


def test_the_table_total_is_the_column_total(estimate: EstimatePresenter) -> None:
    total = next(row for row in estimate.rows if row.total)
    assert [t for _, _, t in estimate.chart.columns] == [total.now, total.in_work]


def test_the_axis_is_marked_every_quarter_of_its_height(estimate: EstimatePresenter) -> None:
    assert estimate.chart.ticks == [
        (240.0, "£0"),
        (186.0, "£500"),
        (132.0, "£1,000"),
        (78.0, "£1,500"),
        (24.0, "£2,000"),
    ]


def test_the_chart_is_described_in_words_for_those_who_cannot_see_it(
    estimate: EstimatePresenter,
) -> None:
    chart = estimate.chart
    assert chart.title == "Income a month, now and in work"
    assert chart.description == (
        "Now £1,323.41 a month; in work £1,930.41 a month. The table gives each part."
    )
    assert chart.bars[0].text == "Now: Universal Credit £1,323.41"


def test_no_income_draws_no_bars_but_still_both_columns() -> None:
    # Savings over £16,000: no Universal Credit, and no work either time.
    nothing = Household(claimant_age=30, savings=D("17000"))
    chart = EstimatePresenter(compare(Y2025, nothing, Work(), Work())).chart
    assert chart.bars == []
    assert [(label, total) for _, label, total in chart.columns] == [
        ("Now", "£0.00"),
        ("In work", "£0.00"),
    ]


def test_the_working_goes_from_pay_to_universal_credit(estimate: EstimatePresenter) -> None:
    shown = [(step.label, estimate.money(step.amount)) for step in estimate.steps("in_work")]
    assert shown[0] == ("Gross pay", "£846.56")
    assert shown[3] == ("Take-home pay", "£846.56")  # the pay steps end with what is kept
    assert shown[-1] == ("Universal Credit", "£1,083.85")
    assert estimate.steps("now")[0].working == "Not working"


@pytest.mark.parametrize(
    ("largest", "top"),
    [("1", 100), ("240", 300), ("1100", 1200), ("1260", 1600), ("2001", 3000), ("9100", 12000)],
)
def test_the_axis_top_is_four_round_gaps_that_reach_the_largest_income(
    largest: str, top: int
) -> None:
    """Every tick a round amount and the top tick at the top: never £312 or £1,248."""
    got = presenters._nice_ceiling(D(largest))
    assert got == top and got >= D(largest) and got % 4 == 0
