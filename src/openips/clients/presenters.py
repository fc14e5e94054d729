"""How a client's record reads on the page. A clinician sees an employment summary only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from openips.accounts.models import User
from openips.accounts.roles import Role
from openips.clients.models import Episode, Person
from openips.core.formatting import format_date


def format_nhs_number(value: str) -> str:
    return f"{value[:3]} {value[3:6]} {value[6:]}" if len(value) == 10 else value


def episode_stage(episode: Episode) -> str:
    if episode.discharge_date:
        return "Discharged"
    if not episode.accepted_date:
        return "Referred"
    if not episode.vocational_profile_date:
        return "Accepted"
    return "Engaged"


@dataclass
class ClientRow:
    person: Person
    latest: Episode | None

    @property
    def stage(self) -> str:
        return episode_stage(self.latest) if self.latest else "–"

    @property
    def specialist(self) -> str:
        es = self.latest.employment_specialist if self.latest else None
        return es.name if es else "–"


@dataclass
class ClientRecordPresenter:
    person: Person
    episodes: list[Episode]
    viewer: User

    @property
    def summary_only(self) -> bool:
        return self.viewer.role == Role.CLINICIAN

    @property
    def details(self) -> list[tuple[str, str]]:
        rows = [("Client ID", self.person.client_id)]
        if not self.summary_only:
            rows += [
                ("NHS number", format_nhs_number(self.person.nhs_number) or "Not recorded"),
                ("Date of birth", format_date(self.person.date_of_birth) or "Not recorded"),
                ("Gender", self.person.get_gender_display() or "Not recorded"),
                ("Ethnicity", self.person.get_ethnicity_display() or "Not recorded"),
            ]
        return rows

    @property
    def episode_rows(self) -> list[dict[str, str]]:
        return [
            {
                "id": e.episode_id,
                "referred": format_date(e.referral_date),
                "source": e.get_referral_source_display(),
                "accepted": format_date(e.accepted_date) or "Not yet",
                "specialist": e.employment_specialist.name if e.employment_specialist else "–",
                "team": e.clinical_team.name if e.clinical_team else "–",
                "stage": episode_stage(e),
                "discharged": (
                    f"{format_date(e.discharge_date)} ({e.get_discharge_reason_display()})"
                    if e.discharge_date
                    else "–"
                ),
            }
            for e in self.episodes
        ]


def age_on(born: date | None, day: date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
