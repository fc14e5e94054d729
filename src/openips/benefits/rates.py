"""Benefit, tax and National Insurance rates as dated data (data/rates.json), one entry per tax
year. Pure Python: no Django, so the calculation can be checked and reused on its own.

A figure that is not yet confirmed is null in the file. Asking for it raises RatesMissing with
a message fit to show the user, so no estimate is ever made on a guessed figure."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

RATES_FILE = Path(__file__).with_name("data") / "rates.json"

LABELS = {  # how a missing figure is named to the user
    "work_allowance_with_housing_costs": "Universal Credit work allowance (with housing costs)",
    "work_allowance_without_housing_costs": (
        "Universal Credit work allowance (without housing costs)"
    ),
    "child_element": "Universal Credit child element",
    "child_element_first_child_born_before_6_april_2017": (
        "Universal Credit child element for a first child born before 6 April 2017"
    ),
    "two_child_limit": "rule on the two-child limit",
    "higher_limit_weekly": "ESA permitted work higher limit",
}


# Figures that only some years have: null there means "no such rule", not "not confirmed".
OPTIONAL = {"lcwra_element_new_claims", "lcwra_new_claims_from"}


class RatesError(ValueError):
    """A problem with the rates asked for, worded for the person asking."""


class NoRates(RatesError):
    pass


class RatesMissing(RatesError):
    pass


@dataclass(frozen=True)
class TaxYearRates:
    tax_year: str  # "2025/26"
    starts: date
    ends: date
    sources: str
    sections: dict[str, dict[str, Any]]

    def need(self, section: str, name: str) -> Any:
        """A figure of this year; RatesMissing if the file has it as not confirmed."""
        value = self.sections[section][name]
        if value is None:
            label = LABELS.get(name, name.replace("_", " "))
            raise RatesMissing(
                f"The {self.tax_year} rates do not include a confirmed {label}, so this "
                "estimate cannot be made for that year. Choose another tax year, or ask your "
                "administrator to add the confirmed figure from GOV.UK."
            )
        return value

    def unconfirmed(self) -> list[str]:
        """The figures this year's entry does not yet have, by name."""
        return [
            LABELS.get(name, name.replace("_", " "))
            for figures in self.sections.values()
            for name, value in figures.items()
            if value is None and name not in OPTIONAL
        ]

    def money(self, section: str, name: str) -> Decimal:
        return Decimal(self.need(section, name))

    def uc(self, name: str) -> Decimal:
        return self.money("universal_credit", name)


def tax_year_of(day: date) -> str:
    """The UK tax year a day falls in: 6 April to 5 April."""
    first = day.year if (day.month, day.day) >= (4, 6) else day.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


def default_tax_year(today: date, years: dict[str, TaxYearRates] | None = None) -> str:
    """The year an estimate starts from: the latest that has begun with every figure confirmed.
    A new year's entry often waits for some figures (its work allowances, say), and starting
    there would refuse every household with housing costs."""
    years = all_years() if years is None else years
    begun = sorted(y for y, r in years.items() if r.starts <= today) or sorted(years)
    complete = [y for y in begun if not years[y].unconfirmed()]
    return (complete or begun)[-1]


def parse(text: str) -> dict[str, TaxYearRates]:
    years: dict[str, TaxYearRates] = {}
    for entry in json.loads(text)["years"]:
        years[entry["tax_year"]] = TaxYearRates(
            tax_year=entry["tax_year"],
            starts=date.fromisoformat(entry["starts"]),
            ends=date.fromisoformat(entry["ends"]),
            sources=entry["sources"],
            sections={
                k: v for k, v in entry.items() if k not in {"tax_year", "starts", "ends", "sources"}
            },
        )
    return years


@cache
def all_years() -> dict[str, TaxYearRates]:
    return parse(RATES_FILE.read_text(encoding="utf-8"))


def rates_for(tax_year: str, years: dict[str, TaxYearRates] | None = None) -> TaxYearRates:
    years = all_years() if years is None else years
    if tax_year not in years:
        held = sorted(years)
        held_text = ", ".join(held[:-1]) + " and " + held[-1] if len(held) > 1 else "".join(held)
        raise NoRates(
            f"There are no rates for {tax_year}, so no estimate can be made for it. "
            f"Rates are held for {held_text or 'no year'}."
        )
    return years[tax_year]
