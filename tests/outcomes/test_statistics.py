"""XmR charts, funnel limits, Kaplan–Meier curves: hand-worked cases."""

from __future__ import annotations

import itertools

import pytest

from openips.outcomes.funnel import Unit, place
from openips.outcomes.spc import COUNT, RATE, Assurance, Direction, Variation, xmr
from openips.outcomes.survival import kaplan_meier

STEADY = [10.0, 12, 11, 9, 10, 12, 11, 10, 9, 11, 10, 12]


def test_xmr_limits_come_from_the_mean_moving_range() -> None:
    chart = xmr(STEADY, Direction.HIGHER)
    assert chart is not None
    mean = sum(STEADY) / 12
    mr = sum(abs(b - a) for a, b in itertools.pairwise(STEADY)) / 11
    assert chart.mean == pytest.approx(mean)
    assert chart.upper == pytest.approx(mean + 2.66 * mr)
    assert chart.lower == pytest.approx(mean - 2.66 * mr)
    assert not any(chart.special)
    assert chart.variation is Variation.COMMON


def test_a_point_beyond_the_limits_is_special_cause_improving_or_concerning() -> None:
    values = [*STEADY, 30.0]
    higher = xmr(values, Direction.HIGHER)
    lower = xmr(values, Direction.LOWER)
    assert higher is not None and lower is not None
    assert higher.special[-1] and higher.variation is Variation.IMPROVING
    assert lower.variation is Variation.CONCERNING
    neutral = xmr(values, Direction.NEUTRAL)
    assert neutral is not None and neutral.variation is Variation.NEUTRAL


def test_seven_points_on_one_side_of_the_mean_flag_the_whole_run() -> None:
    values = [5.0, 9, 5, 9, 5, 9, 8, 8, 8, 8, 8, 8, 8]  # the last 9 and seven 8s: above
    chart = xmr(values, Direction.HIGHER)
    assert chart is not None
    assert chart.special == [False] * 5 + [True] * 8
    six = xmr([5.0, 9, 5, 9, 5, 9, 5, 8, 8, 8, 8, 8, 8], Direction.HIGHER)
    assert six is not None and not any(six.special)


def test_seven_points_rising_are_a_trend() -> None:
    values = [5.0, 4, 5, 4, 1, 2, 3, 4, 5, 6, 7, 5]
    chart = xmr(values, Direction.HIGHER)
    assert chart is not None
    assert chart.special[4:11] == [True] * 7


def test_two_of_three_near_the_limit_on_one_side() -> None:
    values = [10.0, 10.5, 9.5, 10, 10.5, 9.5, 10, 10.5, 9.5, 10, 10.5, 9.5, 12.4, 10, 12.4, 10]
    chart = xmr(values, Direction.HIGHER)
    assert chart is not None
    assert chart.near_upper < 12.4 < chart.upper
    assert [i for i, s in enumerate(chart.special) if s] == [12, 14]


def test_assurance_against_a_target() -> None:
    chart = xmr(STEADY, Direction.HIGHER, target=5)
    assert chart is not None and chart.assurance is Assurance.PASSES
    chart = xmr(STEADY, Direction.HIGHER, target=20)
    assert chart is not None and chart.assurance is Assurance.FAILS
    chart = xmr(STEADY, Direction.HIGHER, target=11)
    assert chart is not None and chart.assurance is Assurance.HIT_AND_MISS
    chart = xmr(STEADY, Direction.LOWER, target=20)
    assert chart is not None and chart.assurance is Assurance.PASSES
    assert xmr(STEADY, Direction.NEUTRAL, target=20).assurance is None  # type: ignore[union-attr]
    assert xmr([1.0], Direction.HIGHER) is None


def test_funnel_limits_narrow_as_the_denominator_grows() -> None:
    p, placed = place([Unit("A", 40, 100), Unit("B", 2, 10), Unit("C", 0, 60), Unit("D", 0, 0)])
    assert p == pytest.approx(42 / 170)
    by_name = {u.unit.name: u for u in placed}
    assert "D" not in by_name  # no denominator, no point
    assert by_name["B"].upper998 - by_name["B"].lower998 > (
        by_name["A"].upper998 - by_name["A"].lower998
    )
    assert by_name["C"].outside.startswith("Outside 99.8%")
    assert by_name["B"].outside.startswith("Within limits")


def test_kaplan_meier_with_censoring() -> None:
    # 4 people: events at days 10 and 30, censored at 20 and 40.
    curve = kaplan_meier([10, 20, 30, 40], [True, False, True, False])
    assert curve is not None
    assert curve.times == [10.0, 30.0]
    assert curve.survival == pytest.approx([0.75, 0.375])  # 3/4, then 3/4 × 1/2
    assert curve.median == 30.0
    assert curve.at_risk[0] == (0, 4) and curve.at_risk[1] == (365, 0)
    assert kaplan_meier([5, 6], [False, False]) is None


SPARSE = [0.0, 3, 0, 1, 0, 4, 0, 2]  # a small service's job starts: mean 1.25, mean range 2.57


def test_a_count_has_no_limit_below_zero() -> None:
    free = xmr(SPARSE, Direction.HIGHER)
    assert free is not None and free.lower < 0 and free.near_lower < 0  # what the sums give
    chart = xmr(SPARSE, Direction.HIGHER, bounds=COUNT)
    assert chart is not None
    assert chart.lower == 0 and chart.near_lower == 0
    assert chart.upper == pytest.approx(free.upper) and chart.mean == pytest.approx(free.mean)
    assert chart.special == free.special  # no value can fall below 0, so no signal changes


def test_a_rate_stays_between_none_and_all() -> None:
    rates = [0.05, 0.9, 0.1, 0.95, 0.0, 1.0, 0.1, 0.9]
    free = xmr(rates, Direction.HIGHER)
    assert free is not None and free.lower < 0 and free.upper > 1
    chart = xmr(rates, Direction.HIGHER, bounds=RATE)
    assert chart is not None
    assert (chart.lower, chart.upper) == (0, 1)
    assert 0 <= chart.near_lower <= chart.near_upper <= 1


def test_the_dashboards_trend_charts_draw_no_limit_below_zero() -> None:
    from openips.outcomes.charts import xmr_chart

    chart = xmr(SPARSE, Direction.HIGHER, bounds=COUNT)
    assert chart is not None
    drawn = xmr_chart("Job starts each month", [f"m{i}" for i in range(8)], chart, None)
    assert "process limits 0 to" in drawn.description
    lower = next(line for line in drawn.lines if line.label == "Lower limit")
    assert lower.label_y == drawn.bottom  # on the axis's 0, not below it
    assert all(not text.startswith("-") for _, text in drawn.y_ticks)
