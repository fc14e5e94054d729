"""How an estimate reads: the comparison table, the arithmetic, a two-bar chart, and a summary
in plain English for the client to take away."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from openips.benefits.calculator import Comparison, Income, Step, gbp, number
from openips.benefits.rates import rates_for

LEAVES_OUT = [
    "The benefit cap (outside London £14,753 a year for a single person without children, "
    "£22,020 for others). It can apply when housing costs are high, unless someone has LCWRA "
    "or earns enough to be exempt.",
    "The disabled child addition, the childcare costs element and exceptions to the two-child "
    "limit.",
    "Pension contributions, student loan repayments and other deductions from pay.",
    "Deductions from Universal Credit, such as advances, overpayments or sanctions.",
    "Pay that varies from month to month: weekly or four-weekly pay can bring two wages into "
    "one assessment period.",
    "Other benefits, such as Personal Independence Payment, which carry on whatever the earnings.",
]


@dataclass(frozen=True)
class Row:
    label: str
    now: str
    in_work: str
    total: bool = False


@dataclass(frozen=True)
class Bar:
    label: str
    x: float
    y: float
    height: float
    kind: str  # css modifier: pay, partner, uc, esa
    text: str  # for the segment's <title>


# The chart's frame, in SVG units: the bars stand on BOTTOM and the tallest reaches TOP.
WIDTH, HEIGHT, LEFT, TOP, BOTTOM = 480, 280, 64, 24, 240


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    bars: list[Bar]
    columns: list[tuple[float, str, str]]  # centre x, label, total
    ticks: list[tuple[float, str]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: int = BOTTOM
    top: int = TOP


def _lines(income: Income) -> dict[str, Decimal]:
    return {line.label: line.amount for line in income.lines}


def _describe_work(income: Income) -> str:
    w = income.work
    if not w.weekly_pay:
        return "not working"
    return f"working {number(w.hours)} hours a week at {gbp(w.hourly_pay)} an hour"


def _sentence_start(text: str) -> str:
    return text[:1].upper() + text[1:]


# The gap between the axis's five ticks: a round amount, so that every tick is a round amount.
TICK_GAPS = (25, 50, 75, 100, 125, 150, 200, 250, 300, 400, 500, 750, 1000, 1250, 1500, 2000)


def _nice_ceiling(value: Decimal) -> int:
    """The axis's top: the least of 4 round gaps that reaches `value`."""
    for gap in TICK_GAPS:
        if 4 * gap >= value:
            return 4 * gap
    gap = math.ceil(value / 4000) * 1000  # past £8,000 a month: gaps of whole thousands
    return 4 * gap


class EstimatePresenter:
    def __init__(self, comparison: Comparison) -> None:
        self.comparison = comparison
        self.now = comparison.now
        self.in_work = comparison.in_work
        self.rates = rates_for(comparison.tax_year)

    @property
    def tax_year(self) -> str:
        return self.comparison.tax_year

    @property
    def sources(self) -> str:
        return self.rates.sources

    @property
    def leaves_out(self) -> list[str]:
        return LEAVES_OUT

    @property
    def headline(self) -> str:
        d = self.comparison.difference
        if d > 0:
            return f"{gbp(d)} a month better off in work"
        if d < 0:
            return f"{gbp(-d)} a month worse off in work"
        return "No better or worse off in work"

    @property
    def summary(self) -> str:
        """One sentence for the client, in plain English."""
        return (
            f"Now, {_describe_work(self.now)}, the household's income is about "
            f"{gbp(self.now.total)} a month. {_sentence_start(_describe_work(self.in_work))}, it "
            f"would be about {gbp(self.in_work.total)} a month."
        )

    @property
    def esa_notes(self) -> list[str]:
        return [
            f"{label}: {i.permitted_work.explanation}"
            for label, i in (("Now", self.now), ("In the new job", self.in_work))
            if i.permitted_work is not None
        ]

    @property
    def rows(self) -> list[Row]:
        later = _lines(self.in_work)  # both have the same lines: the household is the same
        return [
            Row(line.label, gbp(line.amount), gbp(later[line.label]), line.total)
            for line in self.now.lines
        ]

    def steps(self, which: str) -> list[Step]:
        income = self.now if which == "now" else self.in_work
        return [*income.pay.steps, *income.universal_credit.steps]

    def money(self, value: Decimal) -> str:
        return gbp(value)

    @property
    def chart(self) -> BarChart:
        """Two stacked bars, income now and in work, split by where the money comes from."""
        top_value = _nice_ceiling(max(self.now.total, self.in_work.total, Decimal(1)))
        scale = (BOTTOM - TOP) / top_value
        kinds = {
            "Take-home pay": "pay",
            "Partner's take-home pay": "partner",
            "Universal Credit": "uc",
            "New-style ESA": "esa",
        }
        bars, columns = [], []
        for n, (label, income) in enumerate((("Now", self.now), ("In work", self.in_work))):
            x = LEFT + 48 + n * 200
            y = float(BOTTOM)
            for line in income.lines:
                if line.total or not line.amount:
                    continue
                h = float(line.amount) * scale
                y -= h
                text = f"{label}: {line.label} {gbp(line.amount)}"
                bars.append(Bar(line.label, x, round(y, 1), round(h, 1), kinds[line.label], text))
            columns.append((float(x + 60), label, gbp(income.total)))
        ticks = [
            (round(BOTTOM - v * scale, 1), f"£{v:,}")
            for v in range(0, top_value + 1, top_value // 4)
        ]
        return BarChart(
            title="Income a month, now and in work",
            description=f"Now {gbp(self.now.total)} a month; in work "
            f"{gbp(self.in_work.total)} a month. The table gives each part.",
            bars=bars,
            columns=columns,
            ticks=ticks,
        )
