"""The savings estimate in words and sums: each line shows its arithmetic."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from openips.outcomes import disclosure
from openips.outcomes.presenters import count
from openips.outcomes.savings import LEVELS, Hospital, Purse, Savings


def withheld() -> str:
    return f"withheld: fewer than {disclosure.rule().smallest_denominator} people"


def pounds(amount: Decimal) -> str:
    sign = "−" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.0f}"


@dataclass(frozen=True)
class CostLine:
    level: str  # Low, Central, High
    cost: str  # "£564 a night (2024/25 prices)"
    sum: str  # "173 nights × £564 = £97,572"
    source: str


def cost_lines(h: Hospital) -> list[CostLine]:
    valued = h.valued()
    return [
        CostLine(
            level.title(),
            f"{pounds(v.amount)} a night ({v.price_year} prices)",
            f"{h.fewer_nights:,} nights × {pounds(v.amount)} = {pounds(valued[level])}",
            v.source,
        )
        for level, v in h.cost.values.items()
    ]


def nights(h: Hospital) -> str:
    """The difference the valuation rests on, worked."""
    if not h.shown:
        return f"The nights are {withheld()}, so they are not valued."
    change = "fewer" if h.fewer_nights >= 0 else "more"
    return (
        f"{count(h.before)} nights in the year before acceptance − {count(h.during)} in the year "
        f"from it = {abs(h.fewer_nights):,} {change} nights, over {count(h.cohort)} people."
    )


def value_range(h: Hospital) -> str:
    if not h.shown:
        return ""
    valued = h.valued()
    low, central, high = (pounds(valued[level]) for level in LEVELS)
    return f"Between {low} and {high}, {central} at the central cost."


def purse_lines(p: Purse) -> list[str]:
    lines = [
        f"{count(p.started)} people started a job in the period; {count(p.estimated)} of them "
        "have a better-off-in-work estimate saved for the job they were considering."
    ]
    if p.estimated == 0:
        return lines
    if p.benefits_saved is None or p.tax_gained is None:
        lines.append(f"Their sums are {withheld()}.")
        return lines
    lines.append(
        f"A year of those jobs: Universal Credit and ESA down by {pounds(p.benefits_saved)} "
        f"(each estimate's benefits now less in work, a month, × 12, added up), and income tax "
        f"and National Insurance up by {pounds(p.tax_gained)} (in work less now, × 12)."
    )
    return lines


def caveat(s: Savings) -> str:
    return (
        "This compares the same people before and after IPS, with no control group, so it "
        "overstates what IPS itself saved: people are often referred after a crisis, and the "
        "year before tends to be worse whatever happens next."
    )
