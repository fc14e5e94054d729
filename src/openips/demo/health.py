"""Synthetic hospital stays, outcome-measure scores and better-off-in-work estimates for the
demo, so hospital use, the paired measures and the savings estimate show something real. Many
people are referred after a crisis, so a stay in the year before acceptance is common and
fewer follow; scores tend to improve, not always."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import cast

from django.db.models import Exists, OuterRef

from openips.accounts.models import User
from openips.benefits import calculator
from openips.benefits.forms import ScenarioForm
from openips.benefits.rates import default_tax_year, rates_for
from openips.benefits.services import save_estimate
from openips.casework.codes import Mode, Purpose
from openips.casework.models import Contact
from openips.clients.codes import MeasureCode, StaySetting
from openips.clients.measures import MEASURES
from openips.clients.models import Episode, HospitalStay, MeasureScore
from openips.employment.models import Job
from openips.organisations.models import Service
from openips.organisations.queries import programme_on

# The measure each programme's services use: NHS England's for community mental health, CORE-10
# in Talking Therapies, SWEMWBS in primary care.
MEASURE_OF = {
    "ips_smi": MeasureCode.REQOL_10,
    "ips_primary_care": MeasureCode.SWEMWBS,
    "talking_therapies_employment": MeasureCode.CORE_10,
}


def record_health(service: Service, rng: random.Random, today: date) -> None:
    code = MEASURE_OF.get(programme_on(service, today).code, MeasureCode.REQOL_10)
    stays: list[HospitalStay] = []
    scores: list[MeasureScore] = []
    episodes = Episode.objects.filter(service=service).exclude(accepted_date=None)
    for ep in episodes.select_related("person").order_by("pk"):
        accepted = cast(date, ep.accepted_date)  # the query excludes the unaccepted
        if rng.random() < 0.4:  # a crisis admission in the months before the referral
            stays.append(_stay(service, ep, accepted - timedelta(rng.randrange(30, 300)), rng))
        if rng.random() < 0.15 and accepted + timedelta(60) < today:
            stays.append(_stay(service, ep, accepted + timedelta(rng.randrange(30, 300)), rng))
        if rng.random() < 0.7:
            scores += _scores(service, ep, accepted, code, rng, today)
    stays = [s for s in stays if s.admission_date <= today]
    for stay in stays:
        if stay.discharge_date and stay.discharge_date > today:
            stay.discharge_date = None  # still in hospital
        stay.full_clean()
    for score in scores:
        score.full_clean()
    HospitalStay.objects.bulk_create(stays)
    MeasureScore.objects.bulk_create(scores)


def _stay(service: Service, ep: Episode, admitted: date, rng: random.Random) -> HospitalStay:
    mental = rng.random() < 0.85
    return HospitalStay(
        service=service,
        person=ep.person,
        admission_id=f"ADM-{ep.episode_id}-{admitted:%Y%m%d}",
        admission_date=admitted,
        discharge_date=admitted
        + timedelta(rng.randrange(0, 45) if mental else rng.randrange(1, 6)),
        setting=StaySetting.MENTAL_HEALTH_INPATIENT if mental else StaySetting.OTHER_INPATIENT,
    )


def _scores(
    service: Service, ep: Episode, accepted: date, code: str, rng: random.Random, today: date
) -> list[MeasureScore]:
    """A baseline soon after acceptance and, where time has passed, a follow-up or two."""
    m = MEASURES[code]
    span = m.high - m.low
    value = m.low + span * Decimal(rng.uniform(0.2, 0.55))
    if not m.higher_is_better:
        value = m.high - (value - m.low)
    day = max(accepted + timedelta(rng.randrange(0, 15)), ep.referral_date)
    found = []
    for n in range(3):
        if day > today:
            break
        shown = value.quantize(Decimal("1") if m.whole else Decimal("0.01"))
        shown = min(max(shown, m.low), m.high)
        found.append(
            MeasureScore(
                service=service,
                episode=ep,
                measure_id=f"MS-{ep.episode_id}-{n + 1}",
                measure=code,
                date=day,
                score=shown,
            )
        )
        # Better, usually: up for most measures, down for CORE-10.
        step = span * Decimal(rng.uniform(-0.08, 0.22))
        value += step if m.higher_is_better else -step
        day += timedelta(rng.randrange(95, 200))
    return found


def record_estimates(service: Service, by: User, rng: random.Random, today: date) -> None:
    """A better-off-in-work estimate, saved as the page saves one, before most job starts: the
    savings estimate's benefits and tax have something to add up."""
    # Only where benefits counselling came before the start already: a client the demo shows
    # without any (a caseload prompt) keeps none.
    counselled = Contact.objects.filter(
        episode=OuterRef("episode"),
        purpose=Purpose.BENEFITS_COUNSELLING,
        date__lt=OuterRef("start_date"),
    )
    starts = Job.objects.starts().filter(
        Exists(counselled), service=service, hours_per_week__isnull=False
    )
    for job in starts.select_related("episode").order_by("pk"):
        day = job.start_date - timedelta(rng.randrange(7, 30))
        if rng.random() > 0.6 or day < job.episode.referral_date or day > today:
            continue
        scenario = {
            "tax_year": default_tax_year(day),
            "household": "single",
            "claimant_age": str(rng.randrange(22, 60)),
            "partner_age": "",
            "children": str(rng.choice([0, 0, 1, 2])),
            "first_child_born_before_6_april_2017": "no",
            "capability": rng.choice(["none", "lcw", "lcwra"]),
            "lcwra_protected": "yes",
            "carer": "none",
            "housing_costs": str(rng.choice([0, 350, 500, 650])),
            "savings": "",
            "partner_take_home_pay": "",
            "other_income": "",
            "esa_weekly": "",
            "hours_now": "",
            "pay_now": "",
            "hours_in_work": f"{job.hours_per_week.normalize():f}",  # type: ignore[union-attr]
            "pay_in_work": f"{job.hourly_pay:f}" if job.hourly_pay else "12.21",
        }
        form = ScenarioForm(scenario, today=day)
        if not form.is_valid():
            continue
        compared = calculator.compare(
            rates_for(form.cleaned_data["tax_year"]),
            form.as_household(),
            form.as_work_now(),
            form.as_work_in_work(),
        )
        session = {"date": day, "mode": Mode.FACE_TO_FACE, "minutes": 45}
        save_estimate(by, job.episode, compared, form.scenario(), session)
