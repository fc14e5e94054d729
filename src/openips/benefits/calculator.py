"""The "better off in work" estimate: Universal Credit for a household, the ESA permitted-work
check, and income per month now and in work, with every step of the arithmetic kept so the
employment specialist can talk it through. Pure Python, no Django (ADR 0010).

The rules, as applied here:
- UC = maximum amount − taper × max(0, net earnings − work allowance) − deductible income,
  never below zero. The work allowance applies only with a child or limited capability for work.
- ESA permitted work: up to the lower limit at any hours; up to the higher limit under 16 hours
  a week; above that ESA stops (a cliff edge, not a taper).
Amounts are monthly; weekly figures become monthly as × 52 ÷ 12. Every rounded step rounds half
up to the penny, in a way that keeps more pay from ever meaning less income (see `pay`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from enum import StrEnum

from openips.benefits.rates import TaxYearRates

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
WEEKS_A_YEAR, MONTHS_A_YEAR = Decimal(52), Decimal(12)


def pence(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def monthly(weekly: Decimal) -> Decimal:
    return pence(weekly * WEEKS_A_YEAR / MONTHS_A_YEAR)


def gbp(value: Decimal) -> str:
    sign = "−" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


def number(value: Decimal) -> str:
    """16.0 → "16", 15.50 → "15.5"."""
    return f"{value.normalize():f}"


def percent(rate: Decimal) -> str:
    return f"{number(rate * 100)}%"


class Capability(StrEnum):
    NONE = "none"
    LCW = "lcw"  # limited capability for work: a work allowance, no extra element
    LCWRA = "lcwra"  # … and work-related activity: the LCWRA element too


class Carer(StrEnum):
    NONE = "none"
    CLAIMANT = "claimant"
    PARTNER = "partner"


@dataclass(frozen=True)
class Household:
    claimant_age: int
    partner_age: int | None = None  # None: a single claimant
    children: int = 0
    first_child_born_before_6_april_2017: bool = False
    capability: Capability = Capability.NONE  # the client's
    lcwra_protected: bool = (
        True  # claim began before any lower new-claims rate, or severe conditions
    )
    carer: Carer = Carer.NONE
    housing_costs: Decimal = ZERO  # the UC housing costs element, a month
    partner_take_home_pay: Decimal = ZERO  # a month, the same now and in work
    other_income: Decimal = ZERO  # unearned income UC deducts in full, a month (not ESA)
    savings: Decimal = ZERO
    esa_weekly: Decimal = ZERO  # new-style ESA now, a week

    @property
    def couple(self) -> bool:
        return self.partner_age is not None


@dataclass(frozen=True)
class Work:
    hours: Decimal = ZERO  # a week
    hourly_pay: Decimal = ZERO

    @property
    def weekly_pay(self) -> Decimal:
        return pence(self.hours * self.hourly_pay)


@dataclass(frozen=True)
class Step:
    label: str
    amount: Decimal
    working: str = ""  # how the amount was reached
    total: bool = False  # a subtotal, shown in bold


@dataclass(frozen=True)
class Pay:
    gross: Decimal
    tax: Decimal
    national_insurance: Decimal
    take_home: Decimal
    steps: list[Step]


@dataclass(frozen=True)
class UniversalCredit:
    maximum: Decimal
    award: Decimal
    steps: list[Step]


@dataclass(frozen=True)
class PermittedWork:
    allowed: bool
    explanation: str


@dataclass(frozen=True)
class Income:
    work: Work
    pay: Pay
    universal_credit: UniversalCredit
    esa: Decimal  # paid a month
    permitted_work: PermittedWork | None  # None: no ESA to check
    total: Decimal
    lines: list[Step] = field(default_factory=list)


@dataclass(frozen=True)
class Comparison:
    tax_year: str
    now: Income
    in_work: Income

    @property
    def difference(self) -> Decimal:
        return self.in_work.total - self.now.total


TAX = "tax_and_national_insurance"


def _income_tax(rates: TaxYearRates, gross: Decimal) -> Decimal:
    """Exact, before rounding: basic rate within the band, higher rate above it."""
    taxable = max(ZERO, gross - rates.money(TAX, "personal_allowance"))
    band = rates.money(TAX, "basic_rate_band")
    basic = min(taxable, band) * rates.money(TAX, "basic_rate")
    return basic + max(ZERO, taxable - band) * rates.money(TAX, "higher_rate")


def _national_insurance(rates: TaxYearRates, gross: Decimal) -> Decimal:
    """Employee's Class 1, exact: the main rate to the upper limit, the upper rate above it."""
    threshold = rates.money(TAX, "ni_primary_threshold")
    limit = rates.money(TAX, "ni_upper_earnings_limit")
    main = max(ZERO, min(gross, limit) - threshold) * rates.money(TAX, "ni_main_rate")
    return main + max(ZERO, gross - limit) * rates.money(TAX, "ni_upper_rate")


def pay(rates: TaxYearRates, work: Work) -> Pay:
    """Take-home pay a month: gross less income tax and employee National Insurance."""
    gross = monthly(work.weekly_pay)
    if gross == 0:
        return Pay(ZERO, ZERO, ZERO, ZERO, [Step("Pay from work", ZERO, "Not working")])
    # Round the two deductions together, once: rounding each separately could take a penny more
    # for a penny more pay. National Insurance is shown as the rest, within a penny of exact.
    tax_exact = _income_tax(rates, gross)
    deductions = pence(tax_exact + _national_insurance(rates, gross))
    tax = pence(tax_exact)
    ni = deductions - tax
    take_home = gross - deductions
    threshold = rates.money(TAX, "ni_primary_threshold")
    steps = [
        Step(
            "Gross pay",
            gross,
            f"{number(work.hours)} hours × {gbp(work.hourly_pay)} = {gbp(work.weekly_pay)} a week; "
            f"× 52 ÷ 12 = {gbp(gross)} a month",
        ),
        Step(
            "Income tax",
            -tax,
            f"{percent(rates.money(TAX, 'basic_rate'))} of pay over "
            f"{gbp(rates.money(TAX, 'personal_allowance'))} a month "
            "(higher rate above the basic band)",
        ),
        Step(
            "National Insurance",
            -ni,
            f"{percent(rates.money(TAX, 'ni_main_rate'))} of pay over {gbp(threshold)} a month",
        ),
        Step("Take-home pay", take_home, total=True),
    ]
    return Pay(gross, tax, ni, take_home, steps)


def _standard_allowance(rates: TaxYearRates, h: Household) -> Step:
    if h.couple:
        older = max(h.claimant_age, h.partner_age or 0) >= 25
        key = "couple_one_or_both_25_or_over" if older else "couple_both_under_25"
        label = "couple, one or both 25 or over" if older else "couple, both under 25"
    else:
        older = h.claimant_age >= 25
        key = "single_25_or_over" if older else "single_under_25"
        label = "single, 25 or over" if older else "single, under 25"
    return Step(f"Standard allowance ({label})", rates.uc(f"standard_allowance_{key}"))


def _elements(rates: TaxYearRates, h: Household) -> list[Step]:
    steps = []
    if h.capability == Capability.LCWRA:
        lower = rates.sections["universal_credit"].get("lcwra_element_new_claims")
        if lower is not None and not h.lcwra_protected:
            since = rates.need("universal_credit", "lcwra_new_claims_from")
            steps.append(Step("LCWRA element", Decimal(lower), f"the rate for claims from {since}"))
        else:
            steps.append(Step("LCWRA element", rates.uc("lcwra_element")))
    if h.carer == Carer.PARTNER or (h.carer == Carer.CLAIMANT and h.capability != Capability.LCWRA):
        steps.append(Step("Carer element", rates.uc("carer_element")))
    elif h.carer == Carer.CLAIMANT:
        steps.append(Step("Carer element", ZERO, "not paid: the LCWRA element is paid instead"))
    if h.children:
        limited = rates.need("universal_credit", "two_child_limit")
        counted = min(h.children, 2) if limited else h.children
        first = (
            rates.uc("child_element_first_child_born_before_6_april_2017")
            if h.first_child_born_before_6_april_2017
            else rates.uc("child_element")
        )
        others = rates.uc("child_element") * (counted - 1)
        working = f"{counted} {'child' if counted == 1 else 'children'}"
        if counted < h.children:
            working += f" of {h.children} (the two-child limit)"
        steps.append(Step("Child element", first + others, working))
    if h.housing_costs:
        steps.append(Step("Housing costs", pence(h.housing_costs)))
    return steps


def _tariff_income(rates: TaxYearRates, savings: Decimal) -> Decimal:
    lower = rates.uc("capital_lower_limit")
    if savings <= lower:
        return ZERO
    units = ((savings - lower) / 250).to_integral_value(rounding=ROUND_CEILING)
    return units * rates.uc("tariff_income_per_250_of_capital")


def universal_credit(
    rates: TaxYearRates, h: Household, earnings: Decimal, esa: Decimal = ZERO
) -> UniversalCredit:
    """The monthly award for net household `earnings` and new-style `esa` paid a month."""
    parts = [_standard_allowance(rates, h), *_elements(rates, h)]
    maximum = sum((s.amount for s in parts), ZERO)
    steps = [*parts, Step("Maximum Universal Credit", maximum, total=True)]
    if h.savings > rates.uc("capital_upper_limit"):
        upper = gbp(rates.uc("capital_upper_limit"))
        steps.append(Step("Universal Credit", ZERO, f"none: savings are over {upper}", total=True))
        return UniversalCredit(maximum, ZERO, steps)

    taper_rate = rates.uc("taper_rate")
    reduction = ZERO
    if earnings > 0:
        allowance = ZERO
        if h.children or h.capability != Capability.NONE:
            kind = "with" if h.housing_costs else "without"
            allowance = rates.uc(f"work_allowance_{kind}_housing_costs")
            steps.append(Step(f"Work allowance ({kind} housing costs)", allowance))
        else:
            steps.append(
                Step("Work allowance", ZERO, "none: no child and no limited capability for work")
            )
        above = max(ZERO, earnings - allowance)
        reduction = pence(above * taper_rate)
        steps.append(
            Step(
                f"Less {percent(taper_rate)} of take-home pay over the work allowance",
                -reduction,
                f"({gbp(earnings)} − {gbp(allowance)}) × {percent(taper_rate)} = {gbp(reduction)}"
                if above
                else f"take-home pay of {gbp(earnings)} is within the work allowance",
            )
        )
    deductions = [
        ("Less new-style ESA", esa, "counted in full"),
        ("Less other income", pence(h.other_income), "counted in full"),
        (
            "Less assumed income from savings",
            _tariff_income(rates, h.savings),
            f"{gbp(rates.uc('tariff_income_per_250_of_capital'))} for each £250 (or part) "
            f"over {gbp(rates.uc('capital_lower_limit'))}",
        ),
    ]
    taken = reduction
    for label, amount, working in deductions:
        if amount:
            steps.append(Step(label, -amount, working))
            taken += amount
    award = max(ZERO, maximum - taken)
    working = f"{gbp(maximum)} − {gbp(taken)}"
    working += " is below zero, so none" if maximum < taken else f" = {gbp(award)}"
    steps.append(Step("Universal Credit", award, working, total=True))
    return UniversalCredit(maximum, award, steps)


def permitted_work(rates: TaxYearRates, work: Work) -> PermittedWork:
    """Whether new-style ESA carries on alongside this work: a cliff edge, not a taper."""
    p = "esa_permitted_work"
    weekly, hours = work.weekly_pay, work.hours
    lower = rates.money(p, "lower_limit_weekly")
    hours_under = Decimal(rates.need(p, "higher_limit_hours_under"))
    if weekly == 0:
        return PermittedWork(True, "Not working: ESA carries on.")
    if weekly <= lower:
        return PermittedWork(
            True,
            f"Pay of {gbp(weekly)} a week is within the {gbp(lower)} limit that applies "
            "at any hours: ESA carries on.",
        )
    if hours >= hours_under:
        return PermittedWork(
            False,
            f"{number(hours)} hours a week is not under {number(hours_under)} hours, and pay of "
            f"{gbp(weekly)} is over {gbp(lower)}: ESA would stop.",
        )
    higher = rates.money(p, "higher_limit_weekly")
    if weekly <= higher:
        return PermittedWork(
            True,
            f"Under {number(hours_under)} hours a week and pay of {gbp(weekly)} within the "
            f"{gbp(higher)} higher limit: ESA carries on.",
        )
    return PermittedWork(
        False,
        f"Pay of {gbp(weekly)} a week is over the {gbp(higher)} higher limit: ESA would stop.",
    )


def income(rates: TaxYearRates, h: Household, work: Work) -> Income:
    wages = pay(rates, work)
    check = permitted_work(rates, work) if h.esa_weekly else None
    esa = monthly(h.esa_weekly) if check is None or check.allowed else ZERO
    partner = pence(h.partner_take_home_pay)
    uc = universal_credit(rates, h, wages.take_home + partner, esa)
    total = wages.take_home + partner + uc.award + esa
    lines = [Step("Take-home pay", wages.take_home)]
    if h.couple:
        lines.append(Step("Partner's take-home pay", partner))
    lines.append(Step("Universal Credit", uc.award))
    if h.esa_weekly:
        lines.append(Step("New-style ESA", esa, check.explanation if check else ""))
    lines.append(Step("Income a month", total, total=True))
    return Income(work, wages, uc, esa, check, total, lines)


def compare(rates: TaxYearRates, h: Household, now: Work, in_work: Work) -> Comparison:
    return Comparison(rates.tax_year, income(rates, h, now), income(rates, h, in_work))
