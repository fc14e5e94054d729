"""Kaplan–Meier curves (statsmodels) for time to first job and job tenure, to 5 years."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

FIVE_YEARS = 5 * 365


@dataclass(frozen=True)
class Curve:
    times: list[float]  # days at which the estimate steps
    survival: list[float]  # the share still without the event just after each time
    at_risk: list[tuple[int, int]]  # (day, number at risk), once a year for the axis
    median: float | None
    median_ci: tuple[float | None, float | None]
    subjects: int
    events: int
    follow_up: int  # the longest time observed, up to 5 years: the curve stops there


def kaplan_meier(durations: list[int], events: list[bool]) -> Curve | None:
    """durations in days; events True where the event happened, False where censored."""
    if not durations or not any(events):
        return None
    # On first use: commands and workers start without them.
    import numpy as np
    from statsmodels.duration.survfunc import SurvfuncRight

    fit = SurvfuncRight(durations, [int(e) for e in events])
    times = [float(t) for t in fit.surv_times if t <= FIVE_YEARS]
    survival = [
        float(s) for t, s in zip(fit.surv_times, fit.surv_prob, strict=True) if t <= FIVE_YEARS
    ]
    at_risk = [(day, sum(d >= day for d in durations)) for day in range(0, FIVE_YEARS + 1, 365)]
    median = _finite(fit.quantile(0.5))
    # With few events the interval is undefined at one end: numpy warns, the bound comes back NaN.
    with np.errstate(divide="ignore", invalid="ignore"):
        low, high = fit.quantile_ci(0.5)
    ci = (_finite(low), _finite(high))
    follow_up = min(max(durations), FIVE_YEARS)
    return Curve(times, survival, at_risk, median, ci, len(durations), sum(events), follow_up)


def _finite(value: float) -> float | None:
    return (
        None
        if value is None or value != value or value in (float("inf"), float("-inf"))
        else float(value)
    )


def days(start: date, end: date) -> int:
    return max((end - start).days, 0)
