"""What a saved better-off-in-work estimate says for the public purse: the benefits paid and
the tax and National Insurance due a month now and in the job, worked out again from the
scenario as it was entered (the same calculator, the rates of its tax year). A savings estimate
adds these up; they are estimates for the job discussed, not a record of what was paid."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from openips.benefits import calculator
from openips.benefits.forms import ScenarioForm
from openips.benefits.models import Estimate
from openips.benefits.rates import RatesError, rates_for


@dataclass(frozen=True)
class FiscalChange:
    """A month's benefits (Universal Credit and new-style ESA) and tax with National
    Insurance, now and in work."""

    benefits_now: Decimal
    benefits_in_work: Decimal
    tax_now: Decimal
    tax_in_work: Decimal

    @property
    def benefits_saved(self) -> Decimal:
        return self.benefits_now - self.benefits_in_work

    @property
    def tax_gained(self) -> Decimal:
        return self.tax_in_work - self.tax_now


def _paid(income: calculator.Income) -> tuple[Decimal, Decimal]:
    """(benefits, tax and National Insurance) of a month."""
    pay = income.pay
    return income.universal_credit.award + income.esa, pay.tax + pay.national_insurance


def fiscal_change(estimate: Estimate) -> FiscalChange | None:
    """The estimate's month now and in work, or None if its scenario no longer works out (a
    tax year whose rates are no longer held). `estimate.contact` is read for the date."""
    form = ScenarioForm(estimate.scenario, today=estimate.contact.date)
    if not form.is_valid():
        return None
    try:
        rates = rates_for(form.cleaned_data["tax_year"])
    except RatesError:
        return None
    compared = calculator.compare(
        rates, form.as_household(), form.as_work_now(), form.as_work_in_work()
    )
    benefits_now, tax_now = _paid(compared.now)
    benefits_in_work, tax_in_work = _paid(compared.in_work)
    return FiscalChange(benefits_now, benefits_in_work, tax_now, tax_in_work)
