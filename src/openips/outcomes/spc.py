"""Making Data Count XmR charts: limits from the moving
range, the special-cause rules, and the variation and assurance icons for the latest point."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from enum import StrEnum

LIMIT = 2.66
NEAR = 2 / 3 * LIMIT
RUN = 7
MIN_POINTS = 2


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    NEUTRAL = "neutral"


class Variation(StrEnum):
    COMMON = "Common cause variation"
    IMPROVING = "Special cause: improving"
    CONCERNING = "Special cause: concerning"
    NEUTRAL = "Special cause: neither improving nor concerning"


class Assurance(StrEnum):
    PASSES = "Consistently passes the target"
    FAILS = "Consistently fails the target"
    HIT_AND_MISS = "Hit and miss: will meet the target some months and not others"


@dataclass(frozen=True)
class Bounds:
    """The values a measure can take: a count or a number of days is never below 0, a rate
    (a fraction) lies in 0..1. Limits beyond them would be drawn where no month can fall."""

    low: float | None = None
    high: float | None = None

    def clamp(self, value: float) -> float:
        if self.low is not None:
            value = max(value, self.low)
        if self.high is not None:
            value = min(value, self.high)
        return value


UNBOUNDED = Bounds()
COUNT = Bounds(low=0)  # counts, and days
RATE = Bounds(low=0, high=1)


@dataclass(frozen=True)
class XmR:
    values: list[float]
    mean: float
    lower: float
    upper: float
    near_lower: float
    near_upper: float
    special: list[bool]  # per point: part of a special-cause signal
    high: list[bool]  # per point: on the high side of the signal (for the icon)
    variation: Variation
    assurance: Assurance | None


def _runs(signs: list[int], length: int) -> list[tuple[int, int, int]]:
    """(first, last, sign) of each run of at least `length` equal non-zero signs."""
    found, start = [], 0
    for i in range(1, len(signs) + 1):
        if i == len(signs) or signs[i] != signs[start]:
            if signs[start] != 0 and i - start >= length:
                found.append((start, i - 1, signs[start]))
            start = i
    return found


def xmr(
    values: list[float],
    direction: Direction,
    target: float | None = None,
    bounds: Bounds = UNBOUNDED,
) -> XmR | None:
    """The chart of `values`, its limits held within what the measure can take (`bounds`)."""
    if len(values) < MIN_POINTS:
        return None
    mean = sum(values) / len(values)
    ranges = [abs(b - a) for a, b in itertools.pairwise(values)]
    mr = sum(ranges) / len(ranges)
    upper, lower = bounds.clamp(mean + LIMIT * mr), bounds.clamp(mean - LIMIT * mr)
    near_upper, near_lower = bounds.clamp(mean + NEAR * mr), bounds.clamp(mean - NEAR * mr)
    n = len(values)
    special, high = [False] * n, [False] * n
    for i, v in enumerate(values):
        if v > upper or v < lower:
            special[i], high[i] = True, v > upper
    # Shift: 7 points on one side of the mean (a point on the mean breaks the run).
    for first, last, sign in _runs([(v > mean) - (v < mean) for v in values], RUN):
        for k in range(first, last + 1):
            special[k], high[k] = True, sign > 0
    # Trend: 7 points each higher (or each lower) than the one before, i.e. 6 steps one way.
    steps = [(b > a) - (b < a) for a, b in itertools.pairwise(values)]
    for first, last, sign in _runs(steps, RUN - 1):
        for k in range(first, last + 2):
            special[k], high[k] = True, sign > 0
    # Two of three in the near-limit band (or beyond) on the same side.
    for i in range(n - 2):
        window = list(enumerate(values[i : i + 3], start=i))
        for side, hits in (
            (True, [j for j, v in window if v > near_upper]),
            (False, [j for j, v in window if v < near_lower]),
        ):
            if len(hits) >= 2:
                for j in hits:
                    special[j], high[j] = True, side
    return XmR(
        values,
        mean,
        lower,
        upper,
        near_lower,
        near_upper,
        special,
        high,
        _variation(special[-1], high[-1], direction),
        _assurance(lower, upper, direction, target),
    )


def _variation(special: bool, high: bool, direction: Direction) -> Variation:
    if not special:
        return Variation.COMMON
    if direction is Direction.NEUTRAL:
        return Variation.NEUTRAL
    return Variation.IMPROVING if high == (direction is Direction.HIGHER) else Variation.CONCERNING


def _assurance(
    lower: float, upper: float, direction: Direction, target: float | None
) -> Assurance | None:
    if target is None or direction is Direction.NEUTRAL:
        return None
    passing_low, passing_high = (
        (lower, upper) if direction is Direction.HIGHER else (-upper, -lower)
    )
    goal = target if direction is Direction.HIGHER else -target
    if passing_low > goal:
        return Assurance.PASSES
    if passing_high < goal:
        return Assurance.FAILS
    return Assurance.HIT_AND_MISS
