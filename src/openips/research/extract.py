"""A study's pseudonymised extract (docs/research.md): one row per episode, and per job, outcome
measure and hospital stay of those episodes. People and episodes are keyed pseudonyms (HMAC
with the study's secret); there is no name, NHS number, postcode, contact detail, employer or
free text; every date is a number of days from the episode's acceptance, which is given only as
its month; ages are in bands. An extract in which any combination of the characteristics that
travel with it (age band, service, and gender or ethnicity where the study takes them) holds
fewer than 8 people is refused, naming those combinations."""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.db.models import QuerySet

from openips.clients.models import Episode, HospitalStay, MeasureScore
from openips.core.dates import whole_years
from openips.employment.models import Job
from openips.organisations.queries import programmes_over
from openips.outcomes.periods import Period
from openips.research.dictionary import columns_for
from openips.research.models import Study

SMALLEST = 8  # people in any combination of the characteristics that travel with the data
# Wide bands: narrow ones make groups of a handful, and so refusals, in any real service.
AGE_BANDS = ((35, "16 to 34"), (50, "35 to 49"))
NOT_RECORDED = "not recorded"


def age_band(birth: date | None, on: date) -> str:
    if birth is None:
        return NOT_RECORDED
    age = whole_years(birth, on)
    return next((band for limit, band in AGE_BANDS if age < limit), "50 and over")


def pseudonym(study: Study, kind: str, pk: int) -> str:
    """Stable within the study, unrelated across studies, and not reversible without its key."""
    digest = hmac.new(study.secret.encode(), f"{kind}:{pk}".encode(), hashlib.sha256)
    return digest.hexdigest()[:20]


def _day(day: date | None, accepted: date) -> int | None:
    return None if day is None else (day - accepted).days


def _number(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


@dataclass
class Extract:
    files: dict[str, list[list[Any]]] = field(default_factory=dict)  # file → header, rows
    small: list[str] = field(default_factory=list)  # the combinations under SMALLEST

    @property
    def refused(self) -> bool:
        return bool(self.small)

    def counts(self) -> dict[str, int]:
        return {name: len(rows) - 1 for name, rows in self.files.items()}


def study_episodes(study: Study) -> QuerySet[Episode]:
    """The accepted episodes of the study's services in its period of acceptances."""
    return Episode.objects.filter(
        service__in=study.services.all(), accepted_date__range=(study.start, study.end)
    )


def characteristics(study: Study) -> list[str]:
    """The columns that could single someone out, in the order combinations are named."""
    return [
        "age_band",
        *(["gender"] if study.with_gender else []),
        *(["ethnicity"] if study.with_ethnicity else []),
        "service",
    ]


def build(study: Study) -> Extract:
    episodes = list(study_episodes(study).select_related("person", "service").order_by("pk"))
    programmes = programmes_over({e.service_id for e in episodes}, Period(study.start, study.end))
    columns = {name: [c.name for c in cols] for name, cols in columns_for(study).items()}
    found = Extract({name: [header] for name, header in columns.items()})
    key: dict[int, tuple[str, str, date]] = {}  # episode pk → person, episode, accepted
    groups: dict[tuple[str, ...], set[str]] = defaultdict(set)
    shown = characteristics(study)
    for e in episodes:
        accepted = cast(date, e.accepted_date)  # the query takes accepted episodes only
        person = pseudonym(study, "person", e.person_id)
        key[e.pk] = (person, pseudonym(study, "episode", e.pk), accepted)
        row = {
            "person": person,
            "episode": key[e.pk][1],
            "service": e.service.code,
            "programme": programmes[e.service_id].code,
            "acceptance_month": accepted.strftime("%Y-%m"),
            "referral_day": _day(e.referral_date, accepted),
            "vocational_profile_day": _day(e.vocational_profile_date, accepted),
            "discharge_day": _day(e.discharge_date, accepted),
            "discharge_reason": e.discharge_reason,
            "referral_source": e.referral_source,
            "employment_status_at_referral": e.employment_status_at_referral,
            "age_band": age_band(e.person.date_of_birth, accepted),
            "gender": e.person.gender or NOT_RECORDED,
            "ethnicity": e.person.ethnicity or NOT_RECORDED,
        }
        groups[tuple(str(row[c]) for c in shown)].add(person)
        found.files["episodes"].append([row[c] for c in columns["episodes"]])
    found.small = [
        ", ".join(combination)
        for combination, people in sorted(groups.items())
        if len(people) < SMALLEST
    ]
    if found.refused:
        return found
    _jobs(found, key, columns["jobs"])
    _scores(found, key, columns["measures"])
    _stays(found, key, episodes, columns["stays"])
    return found


def _jobs(found: Extract, key: dict[int, tuple[str, str, date]], names: list[str]) -> None:
    for j in Job.objects.filter(episode__in=list(key)).order_by("episode", "start_date", "pk"):
        person, episode, accepted = key[j.episode_id]
        row = {
            "person": person,
            "episode": episode,
            "start_day": _day(j.start_date, accepted),
            "end_day": _day(j.end_date, accepted),
            "start_confirmed": "yes" if j.start_confirmed else "no",
            "end_reason": j.end_reason,
            "hours_per_week": _number(j.hours_per_week),
            "hourly_pay": _number(j.hourly_pay),
            "competitive": "yes" if j.competitive else "no",
            "permanent": {True: "yes", False: "no"}.get(j.permanent, ""),  # type: ignore[arg-type]
            "job_type": j.job_type,
        }
        found.files["jobs"].append([row[c] for c in names])


def _scores(found: Extract, key: dict[int, tuple[str, str, date]], names: list[str]) -> None:
    scores = MeasureScore.objects.filter(episode__in=list(key))
    for s in scores.order_by("episode", "date", "measure_id"):
        person, episode, accepted = key[s.episode_id]
        row = {
            "person": person,
            "episode": episode,
            "measure": s.measure,
            "day": _day(s.date, accepted),
            "score": _number(s.score),
        }
        found.files["measures"].append([row[c] for c in names])


def _stays(
    found: Extract,
    key: dict[int, tuple[str, str, date]],
    episodes: list[Episode],
    names: list[str],
) -> None:
    """Each stay of the person beside each of their episodes, in days from its acceptance."""
    by_person: dict[int, list[Episode]] = defaultdict(list)
    for e in episodes:
        by_person[e.person_id].append(e)
    stays = HospitalStay.objects.filter(person__in=list(by_person))
    for s in stays.order_by("person", "admission_date", "pk"):
        for e in by_person[s.person_id]:
            person, episode, accepted = key[e.pk]
            row = {
                "person": person,
                "episode": episode,
                "admission_day": _day(s.admission_date, accepted),
                "discharge_day": _day(s.discharge_date, accepted),
                "setting": s.setting,
            }
            found.files["stays"].append([row[c] for c in names])
