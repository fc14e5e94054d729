"""Charts as geometry for the SVG templates (jinja2/outcomes/charts.jinja): each chart is drawn
on the server, needs no JavaScript, and is always shown beside a table of the same data."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from openips.outcomes import funnel, spc, survival

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40


@dataclass
class Line:
    points: str  # "x,y x,y …" for a polyline
    kind: str  # css class: data, limit, mean, target, near
    label: str = ""
    label_y: float = 0.0


@dataclass
class Marker:
    x: float
    y: float
    kind: str  # css class
    text: str  # for the marker's <title>


@dataclass
class Chart:
    title: str
    description: str
    x_label: str
    y_label: str
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


class Scale:
    def __init__(self, low: float, high: float, start: float, end: float) -> None:
        self.low, self.high = low, high if high > low else low + 1
        self.start, self.end = start, end

    def __call__(self, value: float) -> float:
        return round(
            self.start + (value - self.low) / (self.high - self.low) * (self.end - self.start), 1
        )


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    span = high - low if high > low else 1
    step = 10 ** math.floor(math.log10(span / count))
    for multiple in (1, 2, 5, 10):
        if span / (step * multiple) <= count:
            step *= multiple
            break
    first = math.floor(low / step) * step
    ticks, value = [], first
    while value <= high + step / 2:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _number(value: float, percent: bool = False) -> str:
    if percent:
        return f"{value:.0%}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def xmr_chart(trend_title: str, labels: list[str], chart: spc.XmR, target: float | None) -> Chart:
    values = chart.values
    high = max([*values, chart.upper, target or chart.upper])
    low = min([*values, chart.lower, target if target is not None else chart.lower, 0])
    ticks = nice_ticks(low, high)
    c = Chart(
        trend_title,
        f"Monthly values with the mean {_number(chart.mean)} and process limits "
        f"{_number(chart.lower)} to {_number(chart.upper)}. {chart.variation}.",
        "Month",
        "",
    )
    x = Scale(0, max(len(values) - 1, 1), c.left + 8, c.right - 28)
    y = Scale(ticks[0], ticks[-1], c.bottom, c.top)
    c.y_ticks = [(y(t), _number(t)) for t in ticks]
    c.x_ticks = [(x(i), labels[i]) for i in range(0, len(values), 3)]
    for value, kind, label in (
        (chart.upper, "limit", "Upper limit"),
        (chart.lower, "limit", "Lower limit"),
        (chart.mean, "mean", "Mean"),
        *([(target, "target", "Target")] if target is not None else []),
    ):
        c.lines.append(Line(f"{c.left},{y(value)} {c.right},{y(value)}", kind, label, y(value)))
    c.lines.append(Line(" ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values)), "data"))
    for i, v in enumerate(values):
        kind = (
            "special-high"
            if chart.special[i] and chart.high[i]
            else "special-low"
            if chart.special[i]
            else "common"
        )
        note = " (special cause)" if chart.special[i] else ""
        c.markers.append(Marker(x(i), y(v), kind, f"{labels[i]}: {_number(v)}{note}"))
    return c


def funnel_chart(title: str, overall: float, placed: list[funnel.Placed]) -> Chart:
    n_max = max(p.unit.total for p in placed)
    c = Chart(
        title,
        f"Each point is one unit's rate against the number of people it served. The overall rate "
        f"is {overall:.0%}; the curves are the 95% and 99.8% limits around it.",
        "People served",
        "Rate",
    )
    x = Scale(0, n_max * 1.05, c.left + 4, c.right - 4)
    y = Scale(0, 1, c.bottom, c.top)
    c.y_ticks = [(y(t), _number(t, percent=True)) for t in (0, 0.25, 0.5, 0.75, 1)]
    c.x_ticks = [(x(t), _number(t)) for t in nice_ticks(0, n_max * 1.05) if t <= n_max * 1.05]
    for coverage, kind in ((0.95, "near"), (0.998, "limit")):
        points = funnel.curve(overall, n_max, coverage)
        c.lines.append(Line(" ".join(f"{x(n)},{y(lo)}" for n, lo, _ in points), kind))
        c.lines.append(Line(" ".join(f"{x(n)},{y(hi)}" for n, _, hi in points), kind))
    c.lines.append(
        Line(f"{x(0)},{y(overall)} {x(n_max * 1.05)},{y(overall)}", "mean", "Overall", y(overall))
    )
    for p in placed:
        kind = "common" if p.outside.startswith("Within") else "special-high"
        c.markers.append(
            Marker(
                x(p.unit.total),
                y(p.unit.rate),
                kind,
                f"{p.unit.name}: {p.unit.rate:.0%}",
            )
        )
    return c


def survival_chart(title: str, curve: survival.Curve, y_label: str) -> Chart:
    c = Chart(
        title,
        f"Kaplan–Meier estimate over {curve.subjects} people or jobs, {curve.events} events, "
        "to 5 years.",
        "Years",
        y_label,
    )
    x = Scale(0, survival.FIVE_YEARS, c.left + 4, c.right - 4)
    y = Scale(0, 1, c.bottom, c.top)
    c.y_ticks = [(y(t), _number(t, percent=True)) for t in (0, 0.25, 0.5, 0.75, 1)]
    c.x_ticks = [(x(d), str(d // 365)) for d in range(0, survival.FIVE_YEARS + 1, 365)]
    points, level = [f"{x(0)},{y(1)}"], 1.0
    for t, s in zip(curve.times, curve.survival, strict=True):
        points += [f"{x(t)},{y(level)}", f"{x(t)},{y(s)}"]
        level = s
    points.append(f"{x(curve.follow_up)},{y(level)}")
    c.lines.append(Line(" ".join(points), "data"))
    return c


def anniversary_chart(
    title: str,
    in_work: list[tuple[int, float]],
    worked: list[tuple[int, float]],
    references: list[tuple[float, str]],
) -> Chart:
    """Shares by years after acceptance: in competitive work on the anniversary, and had worked
    by then, each (years, share); published figures as labelled reference lines."""
    c = Chart(
        title,
        "The share of people in competitive work on each anniversary of acceptance, and the share "
        "who had worked by then, beside published five-year figures.",
        "Years after acceptance",
        "Share of people",
    )
    x = Scale(0, 5, c.left + 4, c.right - 4)
    y = Scale(0, 1, c.bottom, c.top)
    c.y_ticks = [(y(t), _number(t, percent=True)) for t in (0, 0.25, 0.5, 0.75, 1)]
    c.x_ticks = [(x(t), str(t)) for t in range(0, 6)]
    for value, label in references:
        c.lines.append(Line(f"{c.left},{y(value)} {c.right},{y(value)}", "target", label, y(value)))
    for shown, kind, what in (
        (in_work, "data", "in work that day"),
        (worked, "mean", "had worked"),
    ):
        if shown:
            c.lines.append(Line(" ".join(f"{x(t)},{y(v)}" for t, v in shown), kind))
        for t, v in shown:
            after = f"{t} year{'' if t == 1 else 's'}"
            c.markers.append(Marker(x(t), y(v), "common", f"{after}: {v:.0%} {what}"))
    return c
