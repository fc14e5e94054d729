"""Synthetic client journeys for one demo service: referrals, contacts, employer work, jobs,
in-work support and endings over the last 18 months, plus a few set scenarios so that every
caseload prompt appears on the team caseload."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import cast

from openips.accounts.models import User
from openips.casework.codes import ContactWith, Mode, Purpose, Setting
from openips.casework.models import Contact
from openips.clients import identifiers, services
from openips.clients.codes import (
    DischargeReason,
    EmploymentStatus,
    Ethnicity,
    Gender,
    ReferralSource,
    RetentionStatus,
)
from openips.clients.models import Episode, Person, RetentionChange
from openips.demo.nhs_numbers import synthetic_nhs_number
from openips.employment.codes import EndReason, Moment
from openips.employment.models import Employer, EmploymentRecord, Job
from openips.organisations.models import ClinicalTeam, Service, StaffMember
from openips.organisations.queries import programme_on

GIVEN = [
    "Aisha",
    "Ben",
    "Chloe",
    "Dev",
    "Erin",
    "Femi",
    "Grace",
    "Harvey",
    "Imran",
    "Jade",
    "Kofi",
    "Lena",
    "Marek",
    "Nia",
    "Owen",
    "Priya",
    "Rhys",
    "Sana",
    "Tom",
    "Una",
]
FAMILY = [
    "Ahmed",
    "Brown",
    "Clarke",
    "Davies",
    "Evans",
    "Fisher",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nowak",
    "Okafor",
    "Patel",
    "Quinn",
    "Roberts",
]
EMPLOYERS = [
    ("Greenleaf Garden Centre", "G"),
    ("Castle Café", "I"),
    ("Trent Logistics", "H"),
    ("Forest Road Library", "R"),
    ("Brightside Care Homes", "Q"),
    ("City Bikes", "G"),
    ("Riverside Hotel", "I"),
    ("Lace Market Print", "C"),
]
JOBS = [
    ("Sales assistant", "7111"),
    ("Barista", "9264"),
    ("Warehouse operative", "9252"),
    ("Library assistant", "4135"),
    ("Care worker", "6145"),
    ("Bicycle mechanic", "5231"),
    ("Housekeeper", "9233"),
    ("Print finisher", "5423"),
    ("Gardener", "5113"),
]


# Where referrals come from, beyond secondary care: GPs for IPS in Primary Care, the therapy
# service itself for its employment advisers; a few self-referrals and Jobcentre referrals.
SOURCES = {
    "ips_primary_care": [ReferralSource.PRIMARY_CARE] * 6
    + [ReferralSource.SELF, ReferralSource.DWP],
    "talking_therapies_employment": [ReferralSource.TALKING_THERAPIES] * 6 + [ReferralSource.SELF],
}
# The weight of "in work, at risk of losing it" (job retention) among ten, by programme.
RETENTION_WEIGHT = {"ips_primary_care": 4, "talking_therapies_employment": 5}


@dataclass
class Builder:
    service: Service
    rng: random.Random
    today: date
    specialists: list[StaffMember]
    teams: list[ClinicalTeam]
    programme: str = "ips_smi"
    employers: list[Employer] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    serial: int = 0

    def next_id(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{self.serial:06d}"

    def contact(
        self,
        episode: Episode | None,
        day: date,
        staff: StaffMember,
        *,
        with_: str,
        purpose: str,
        mode: str = Mode.FACE_TO_FACE,
        employer: Employer | None = None,
        attended: bool = True,
        matches: bool | None = None,
    ) -> None:
        self.contacts.append(
            Contact(
                service=self.service,
                contact_id=self.next_id("DC"),
                date=day,
                staff=staff,
                contact_with=with_,
                episode=episode,
                employer=employer,
                mode=mode,
                setting=(Setting.COMMUNITY if self.rng.random() < 0.6 else Setting.OFFICE)
                if mode == Mode.FACE_TO_FACE
                else "",
                minutes=self.rng.choice([15, 30, 45, 60, 90]),
                purpose=purpose,
                attended=attended,
                matches_preferences=matches,
            )
        )

    def person(self, n: int) -> Person:
        rng = self.rng
        organisation = self.service.organisation_id
        number = synthetic_nhs_number(rng)
        while services.holder_of(organisation, number):  # one person's in the organisation
            number = synthetic_nhs_number(rng)
        return Person.objects.create(
            service=self.service,
            client_id=identifiers.client_id(identifiers.next_number(organisation)),
            given_name=rng.choice(GIVEN),
            family_name=rng.choice(FAMILY),
            nhs_number=number,
            date_of_birth=date(
                rng.randrange(1965, 2005), rng.randrange(1, 13), rng.randrange(1, 29)
            ),
            gender=rng.choice(Gender.values),
            ethnicity=rng.choice(Ethnicity.values),
        )

    def episode(
        self,
        person: Person,
        referred: date,
        es: StaffMember,
        *,
        accepted_after: int | None,
        profile_after: int | None,
        status: str = EmploymentStatus.UNEMPLOYED,
    ) -> Episode:
        accepted = referred + timedelta(days=accepted_after) if accepted_after is not None else None
        profile = (
            accepted + timedelta(days=profile_after)
            if accepted and profile_after is not None
            else None
        )
        return Episode.objects.create(
            service=self.service,
            person=person,
            episode_id=f"{person.client_id}-1",
            referral_date=referred,
            referral_source=self.rng.choice(SOURCES.get(self.programme, ReferralSource.values)),
            employment_status_at_referral=status,
            accepted_date=accepted,
            employment_specialist=es if accepted else None,
            clinical_team=self.rng.choice(self.teams),
            vocational_profile_date=profile if profile and profile <= self.today else None,
        )

    def client_contacts(self, episode: Episode, start: date, end: date, es: StaffMember) -> None:
        day = start
        purposes = [
            Purpose.ENGAGEMENT,
            Purpose.VOCATIONAL_PROFILE,
            Purpose.BENEFITS_COUNSELLING,
            Purpose.JOB_SEARCH,
            Purpose.DISCLOSURE,
            Purpose.JOB_SEARCH,
        ]
        while day <= end:
            mode = self.rng.choice([Mode.FACE_TO_FACE] * 3 + [Mode.PHONE, Mode.VIDEO, Mode.TEXT])
            self.contact(
                episode,
                day,
                es,
                with_=ContactWith.CLIENT,
                purpose=self.rng.choice(purposes),
                mode=mode,
                attended=self.rng.random() > 0.1,
            )
            day += timedelta(days=self.rng.randrange(5, 15))

    def employer_work(self, episode: Episode, start: date, end: date, es: StaffMember) -> None:
        day = start
        while day <= end:
            self.contact(
                episode,
                day,
                es,
                with_=ContactWith.EMPLOYER,
                purpose=Purpose.JOB_DEVELOPMENT,
                employer=self.rng.choice(self.employers),
                matches=self.rng.random() < 0.8,
            )
            day += timedelta(days=self.rng.randrange(4, 12))

    def job(
        self,
        episode: Episode,
        start: date,
        *,
        confirmed: bool = True,
        ends: date | None = None,
        benefits_first: bool = True,
    ) -> Job:
        title, soc = self.rng.choice(JOBS)
        es = _specialist(episode)
        if benefits_first:
            self.contact(
                episode,
                start - timedelta(days=self.rng.randrange(3, 20)),
                es,
                with_=ContactWith.CLIENT,
                purpose=Purpose.BENEFITS_COUNSELLING,
            )
        return Job.objects.create(
            service=self.service,
            job_id=self.next_id("DJ"),
            episode=episode,
            employer=self.rng.choice(self.employers),
            job_title=title,
            job_type=soc,
            start_date=start,
            start_confirmed=confirmed,
            end_date=ends,
            end_reason=self.rng.choice(EndReason.values) if ends else "",
            hours_per_week=Decimal(self.rng.choice([8, 12, 16, 20, 25, 30, 37.5])),
            hourly_pay=Decimal(f"{self.rng.uniform(12.21, 17.5):.2f}"),
            competitive=self.rng.random() < 0.92,
            permanent=self.rng.random() < 0.6,
        )

    def support(self, episode: Episode, start: date, until: date) -> None:
        es = _specialist(episode)
        day = start + timedelta(days=2)
        while day <= until:
            self.contact(
                episode, day, es, with_=ContactWith.CLIENT, purpose=Purpose.IN_WORK_SUPPORT
            )
            day += timedelta(days=7 if (day - start).days < 28 else 28)


def _specialist(episode: Episode) -> StaffMember:
    if episode.employment_specialist is None:
        raise ValueError(f"{episode} has no employment specialist")
    return episode.employment_specialist


def build_journeys(
    service: Service,
    specialists: list[StaffMember],
    rng: random.Random,
    today: date,
    programme: str = "ips_smi",
) -> None:
    teams = list(service.clinical_teams.all())
    b = Builder(service, rng, today, specialists, teams, programme)
    b.employers = [
        Employer.objects.create(
            service=service,
            employer_id=f"EMP{i:03d}",
            name=name,
            sector=sector,
            postcode_district=rng.choice(["NG1", "NG5", "NG7", "NG18", "NG24"]),
        )
        for i, (name, sector) in enumerate(EMPLOYERS, 1)
    ]
    for n in range(1, 29):
        _random_journey(b, b.person(n), specialists[n % len(specialists)])
    _scenarios(b, specialists[0])
    for n in range(200, 212):
        _long_ago(b, b.person(n), specialists[n % len(specialists)])
    Contact.objects.bulk_create(b.contacts, batch_size=500)


def _random_journey(b: Builder, person: Person, es: StaffMember) -> None:
    rng, today = b.rng, b.today
    referred = today - timedelta(days=rng.randrange(30, 540))
    status = rng.choice(
        [EmploymentStatus.UNEMPLOYED] * 6
        + [EmploymentStatus.ECONOMICALLY_INACTIVE] * 3
        + [EmploymentStatus.EMPLOYED] * RETENTION_WEIGHT.get(b.programme, 1)
    )
    if rng.random() < 0.08:  # referred, never engaged, closed with a reason
        ep = b.episode(person, referred, es, accepted_after=None, profile_after=None, status=status)
        ep.discharge_date = min(referred + timedelta(days=rng.randrange(7, 30)), today)
        ep.discharge_reason = DischargeReason.DECLINED_BEFORE_ENGAGEMENT
        ep.save()
        return
    ep = b.episode(
        person,
        referred,
        es,
        accepted_after=rng.randrange(0, 8),
        profile_after=rng.randrange(3, 21),
        status=status,
    )
    if ep.accepted_date is None:
        return
    end = today - timedelta(days=rng.randrange(0, 12))
    b.client_contacts(ep, ep.accepted_date, end, es)
    b.employer_work(ep, ep.accepted_date + timedelta(days=rng.randrange(5, 40)), end, es)
    if rng.random() < 0.5:
        start = ep.accepted_date + timedelta(days=rng.randrange(30, 200))
        if start < today - timedelta(days=7):
            ends = start + timedelta(days=rng.randrange(20, 300)) if rng.random() < 0.35 else None
            ends = ends if ends and ends < today else None
            b.job(ep, start, confirmed=rng.random() > 0.08, ends=ends)
            b.support(ep, start, ends or today - timedelta(days=rng.randrange(0, 10)))
            if ends and rng.random() < 0.5:
                ep.discharge_date = min(ends + timedelta(days=rng.randrange(14, 60)), today)
                ep.discharge_reason = rng.choice(
                    [
                        DischargeReason.MOVED_ON_IN_WORK,
                        DischargeReason.OTHER,
                        DischargeReason.NO_LONGER_WANTS_WORK,
                    ]
                )
                ep.save()


def _long_ago(b: Builder, person: Person, es: StaffMember) -> None:
    """A journey begun two to six years ago and closed since, so the long-term outcomes (work on
    the 2nd and 5th anniversaries, curves to 5 years) have people to count."""
    rng = b.rng
    referred = b.today - timedelta(days=rng.randrange(2 * 365, 6 * 365))
    ep = b.episode(person, referred, es, accepted_after=rng.randrange(0, 8), profile_after=7)
    accepted = cast(date, ep.accepted_date)  # accepted_after is set
    b.client_contacts(ep, accepted, accepted + timedelta(days=60), es)
    closed = accepted + timedelta(days=rng.randrange(200, 600))
    if rng.random() < 0.7:
        start = accepted + timedelta(days=rng.randrange(30, 180))
        kept = timedelta(days=rng.randrange(60, 1500))
        ends = start + kept if rng.random() < 0.6 and start + kept < b.today else None
        b.job(ep, start, ends=ends)
        b.support(ep, start, min(closed, start + timedelta(days=120)))
    ep.discharge_date = closed
    ep.discharge_reason = rng.choice(
        [DischargeReason.MOVED_ON_IN_WORK, DischargeReason.DISENGAGED, DischargeReason.OTHER]
    )
    ep.save()


def _scenarios(b: Builder, es: StaffMember) -> None:
    """Set journeys that show each caseload prompt at least once."""
    today = b.today
    n = 90

    def person() -> Person:
        nonlocal n
        n += 1
        return b.person(n)

    def accepted(days_ago: int) -> Episode:
        referred = today - timedelta(days=days_ago + 2)
        ep = b.episode(person(), referred, es, accepted_after=2, profile_after=3)
        b.client_contacts(ep, referred + timedelta(days=2), today - timedelta(days=3), es)
        return ep

    b.episode(person(), today - timedelta(days=2), es, accepted_after=None, profile_after=None)
    accepted(25)  # first employer contact due (day 25)
    accepted(45)  # first employer contact overdue (day 45)
    quiet = b.episode(person(), today - timedelta(days=120), es, accepted_after=1, profile_after=5)
    b.employer_work(quiet, today - timedelta(days=110), today - timedelta(days=60), es)
    b.client_contacts(
        quiet, today - timedelta(days=118), today - timedelta(days=40), es
    )  # not seen
    for start_ago, benefits in ((10, True), (85, True), (60, False)):
        ep = accepted(start_ago + 50)
        first_day = today - timedelta(days=start_ago + 45)
        b.employer_work(ep, first_day, today - timedelta(days=start_ago), es)
        start = today - timedelta(days=start_ago)
        b.job(ep, start, benefits_first=benefits)
        if not benefits:  # this client had no benefits counselling at all
            b.contacts = [
                c
                for c in b.contacts
                if not (c.episode is ep and c.purpose == Purpose.BENEFITS_COUNSELLING)
            ]
        b.support(ep, start, today - timedelta(days=9))  # support now due
    # A full, recently seen caseload for the part-time specialist: above 20 per full-time ES.
    for _ in range(12):
        ep = accepted(rng_days := b.rng.randrange(60, 200))
        b.employer_work(ep, today - timedelta(days=rng_days - 10), today - timedelta(days=5), es)


def record_work_since_referral(service: Service, by: User, rng: random.Random, today: date) -> None:
    """After the journeys: changes in work for clients employed at referral, and, where the
    programme records them, the Talking Therapies employment records at assessment and
    discharge."""
    retention = Episode.objects.filter(
        service=service, employment_status_at_referral=EmploymentStatus.EMPLOYED
    ).exclude(accepted_date=None)
    for ep in retention:
        accepted = cast(date, ep.accepted_date)  # the query excludes the unaccepted
        status = rng.choice([*RetentionStatus.values[1:], None])  # some stay at risk
        day = accepted + timedelta(days=rng.randrange(14, 120))
        if status and day <= min(today, ep.discharge_date or today):
            RetentionChange.objects.create(episode=ep, status=status, date=day, recorded_by=by)
    if not programme_on(service, today).talking_therapies_record:
        return
    for ep in Episode.objects.filter(service=service).exclude(accepted_date=None):
        moments = [(Moment.ASSESSMENT, cast(date, ep.accepted_date))]
        if ep.discharge_date:
            moments.append((Moment.DISCHARGE, ep.discharge_date))
        for moment, day in moments:
            employed = ep.employment_status_at_referral == EmploymentStatus.EMPLOYED
            record = EmploymentRecord(
                episode=ep,
                moment=moment,
                recorded_on=day,
                employment_status="01" if employed else rng.choice(["02", "02", "04"]),
                weekly_hours=rng.choice(["01", "02"]) if employed else "98",
                self_employed=False if employed else None,
                sick_absence=rng.random() < 0.6 if employed else None,
                benefits_received=rng.random() < 0.5,
                employment_support_suitable="Y",
            )
            record.statutory_sick_pay = bool(record.sick_absence) or None if employed else None
            record.universal_credit = record.benefits_received and not employed
            record.full_clean()
            record.save()
