"""A saved estimate for tests that need one on record, made as the page makes it. For one
with these figures but no calculation (or, built, no database): tests.factories.EstimateFactory."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from openips.accounts.models import User
from openips.benefits.forms import ScenarioForm
from openips.benefits.models import Estimate
from openips.benefits.services import save_estimate
from openips.benefits.views import work_out
from openips.clients.models import Episode

SCENARIO = {
    "tax_year": "2025/26",
    "household": "single",
    "claimant_age": "30",
    "partner_age": "",
    "children": "0",
    "first_child_born_before_6_april_2017": "no",
    "capability": "lcwra",
    "lcwra_protected": "yes",
    "carer": "none",
    "housing_costs": "500",
    "savings": "",
    "partner_take_home_pay": "",
    "other_income": "",
    "esa_weekly": "",
    "hours_now": "",
    "pay_now": "",
    "hours_in_work": "16",
    "pay_in_work": "12.21",
}


def make_estimate(episode: Episode, user: User, when: date | None = None) -> Estimate:
    form = ScenarioForm(SCENARIO, today=timezone.localdate())
    assert form.is_valid(), form.errors
    result = work_out(form)
    assert result is not None, form.errors
    session = {"date": when or timezone.localdate(), "mode": "face_to_face", "minutes": 30}
    return save_estimate(user, episode, result.comparison, form.scenario(), session)
