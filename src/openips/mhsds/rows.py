"""One dict per record of each MHSDS table, in the specification's column names, with our
values turned into the Data Dictionary's codes (codes.py). Blank means not recorded."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from openips.clients.models import Episode, Person
from openips.mhsds import sources
from openips.mhsds.codes import code
from openips.mhsds.spells import hours_band, spells
from openips.mhsds.tables import DATA_SET_VERSION, SYSTEM
from openips.organisations.models import Service
from openips.outcomes.metrics import Period

Row = dict[str, str]
IPS_TEAM = "ips"
IPS_ACTIVITY = "ips"


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def header(service: Service, period: Period, made: datetime | None = None) -> Row:
    org = service.organisation
    made = made or timezone.now()
    return {
        "DatSetVer": DATA_SET_VERSION,
        "OrgIDProvider": org.ods_code,
        "OrgIDSubmit": org.submitter_ods_code or org.ods_code,
        "PrimSystemInUse": SYSTEM,
        "ReportingPeriodStartDate": text(period.start),
        "ReportingPeriodEndDate": text(period.end),
        "DateTimeDatSetCreate": timezone.localtime(made).replace(microsecond=0).isoformat(),
    }


def people(service: Service, persons: QuerySet[Person]) -> Iterator[Row]:
    ods = service.organisation.ods_code
    for person in persons.iterator(chunk_size=sources.CHUNK):
        yield {
            "LocalPatientID": person.client_id,
            "OrgIDLocalPatientID": ods,
            "NHSNumber": person.nhs_number,
            "NHSNumberStatus": code(
                "nhs_number_status", "present" if person.nhs_number else "absent"
            ),
            "PersonBirthDate": text(person.date_of_birth),
            "Postcode": person.postcode,
            "GenderIDCode": code("gender_identity", person.gender),
            "EthnicCategory": code("ethnic_category", person.ethnicity),
            "LanguageCodePreferred": "",
        }


def _in_order(episodes: QuerySet[Episode]) -> Iterator[Episode]:
    ordered = episodes.select_related("person").order_by("referral_date", "episode_id")
    return ordered.iterator(chunk_size=sources.CHUNK)


def employment(episodes: QuerySet[Episode], period: Period) -> Iterator[Row]:
    # Jobs and their changes are few beside contacts: held whole, read in two queries.
    jobs = sources.jobs_by_episode(episodes, period)
    changes = sources.hours_changes(episodes, period)
    for episode in _in_order(episodes):
        for spell in spells(episode, jobs.get(episode.pk, []), changes, period.end):
            yield {
                "LocalPatientID": episode.person.client_id,
                "EmployStatus": code("employment_status", spell.status),
                "EmployStatusRecDate": text(spell.start),
                "EmployStatusStartDate": text(spell.start),
                "EmployStatusEndDate": text(spell.end),
                "WeekHoursWorked": hours_band(spell.hours, spell.employed),
            }


def referrals(service: Service, episodes: QuerySet[Episode]) -> Iterator[Row]:
    team = service.mhsds_team_id
    for episode in _in_order(episodes):
        # IPS turns no one away (zero exclusion), so a referral is never rejected: one closed
        # before acceptance is a closure with its reason, like any other.
        closed = episode.discharge_date is not None
        yield {
            "ServiceRequestID": episode.episode_id,
            "LocalPatientID": episode.person.client_id,
            "CareProfTeamLocalID": team,
            "ReferralRequestReceivedDate": text(episode.referral_date),
            "SourceOfReferralMH": code("referral_source", episode.referral_source),
            "ServDischDate": text(episode.discharge_date),
            "ReferClosReason": code("discharge_reason", episode.discharge_reason) if closed else "",
        }


def care_contacts(episodes: QuerySet[Episode], period: Period) -> Iterator[tuple[Row, Row]]:
    """Each care contact with its one care activity: IPS, coded in SNOMED CT."""
    activity = code("care_activity", IPS_ACTIVITY)
    for contact in sources.care_contacts(episodes, period):
        yield (
            {
                "CareContactID": contact.contact_id,
                "ServiceRequestID": contact.episode.episode_id,  # type: ignore[union-attr]
                "CareContDate": text(contact.date),
                "CareContTime": "",  # OpenIPS records the day of a contact, not its time
                "ClinContDurOfCareCont": text(contact.minutes),
                "ConsMechanismMH": code("consultation_mechanism", contact.mode),
                "ActLocTypeCode": "",  # our setting (community or office) names no location type
                "AttendStatus": code("attendance", "true" if contact.attended else "false"),
            },
            {
                "CareActID": f"{contact.contact_id}-1",
                "CareContactID": contact.contact_id,
                "Procedure": activity,
            },
        )


def team(service: Service) -> Row:
    return {
        "CareProfTeamLocalID": service.mhsds_team_id,
        "OrgIDCareProfTeamLocalID": service.organisation.ods_code,
        "ServTeamTypeMH": code("team_type", IPS_TEAM),
        "ServTeamIntAgeGroup": code("team_age_group", IPS_TEAM),
    }
