"""How an estimate reads, without a database: the headline either way, the table, the chart."""

from __future__ import annotations

from decimal import Decimal as D

from openips.benefits.calculator import Capability, Household, Work, compare
from openips.benefits.presenters import EstimatePresenter
from openips.benefits.rates import rates_for

Y2025 = rates_for("2025/26")


def test_better_off_worse_off_and_the_same() -> None:
    lcwra = Household(claimant_age=30, capability=Capability.LCWRA, housing_costs=D("500"))
    better = EstimatePresenter(compare(Y2025, lcwra, Work(), Work(D("16"), D("12.21"))))
    assert better.headline == "£607.00 a month better off in work"
    assert better.summary.startswith("Now, not working, the household's income is about £1,323.41")
    assert (
        "Working 16 hours a week at £12.21 an hour, it would be about £1,930.41" in better.summary
    )
    # ESA stops at 16 hours: with no UC (savings over £16,000), nothing makes up for it. Now:
    # £20 a week → 86.67 a month, + ESA 100 × 52 ÷ 12 = 433.33, = 520.00. In work: £20.80 a
    # week → 90.13 a month and no ESA: 429.87 less.
    esa = Household(claimant_age=30, esa_weekly=D("100"), savings=D("17000"))
    worse = EstimatePresenter(compare(Y2025, esa, Work(D("10"), D("2")), Work(D("16"), D("1.30"))))
    assert worse.headline == "£429.87 a month worse off in work"
    assert worse.esa_notes[1].startswith("In the new job: 16 hours a week is not under 16 hours")
    same = EstimatePresenter(compare(Y2025, Household(claimant_age=30), Work(), Work()))
    assert same.headline == "No better or worse off in work"


def test_the_table_and_chart_carry_the_same_figures() -> None:
    h = Household(claimant_age=30, capability=Capability.LCWRA, housing_costs=D("500"))
    p = EstimatePresenter(compare(Y2025, h, Work(), Work(D("16"), D("12.21"))))
    assert [(r.label, r.now, r.in_work, r.total) for r in p.rows] == [
        ("Take-home pay", "£0.00", "£846.56", False),
        ("Universal Credit", "£1,323.41", "£1,083.85", False),
        ("Income a month", "£1,323.41", "£1,930.41", True),
    ]
    chart = p.chart
    assert [(b.kind, b.text) for b in chart.bars] == [
        ("uc", "Now: Universal Credit £1,323.41"),
        ("pay", "In work: Take-home pay £846.56"),
        ("uc", "In work: Universal Credit £1,083.85"),
    ]
    per_pound = chart.bars[0].height / 1323.41  # every bar on one scale
    assert abs(chart.bars[1].height - 846.56 * per_pound) < 0.1
    in_work_top = chart.bars[2].y
    assert abs((chart.bottom - in_work_top) - 1930.41 * per_pound) < 0.2
    assert [label for _, label, _ in chart.columns] == ["Now", "In work"]
