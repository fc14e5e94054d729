"""Synthetic data at scale, for benchmarks and load tests: `openips demo --scale NAME`.

Every service is the same shape (8 employment specialists, about 1,670 episodes over 5 years,
about 40 contacts and 0.36 jobs per episode); the scales differ in how many services there are.
National is England-sized: 150 services, 1,200 specialists, 250,000 episodes, about 10 million
contacts and 90,000 jobs. The same seed on the same day gives the same data. Rows are written
in bulk (COPY on PostgreSQL), one transaction per service, so an interrupted run leaves whole
services only."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from nhs_number import calculate_checksum

from openips.accounts.models import User
from openips.accounts.roles import Role
from openips.casework.models import Contact
from openips.clients import identifiers
from openips.clients.codes import DischargeReason, Ethnicity, Gender, ReferralSource
from openips.clients.index import keys_for
from openips.clients.models import Episode, Person, SearchKey
from openips.demo.builder import DEMO_PASSWORD
from openips.demo.bulk import Table, next_ids, reset_sequences
from openips.demo.journeys import EMPLOYERS, FAMILY, GIVEN, JOBS
from openips.employment.models import Employer, Job
from openips.organisations.models import (
    ClinicalTeam,
    Network,
    Organisation,
    Service,
    StaffMember,
    StaffRole,
)

YEARS = 5
SPECIALISTS = 8  # per service
TEAMS = 3  # clinical teams per service
EMPLOYERS_PER_SERVICE = 120
SERVICES_PER_ORGANISATION = 3


@dataclass(frozen=True)
class Size:
    services: int
    episodes: int  # in all, spread evenly over the services


SIZES = {
    "small": Size(2, 3_334),
    "medium": Size(15, 25_000),
    "national": Size(150, 250_000),
}

# The mix of what happens, chosen so the outcomes look like a typical IPS service.
CLIENT_MODES = ("face_to_face",) * 3 + ("phone", "video", "text")
CLIENT_PURPOSES = (
    ("engagement",) * 3
    + ("vocational_profile", "benefits_counselling", "disclosure")
    + ("job_search",) * 4
)
DISCHARGES = ("moved_on_in_work",) * 3 + (
    "no_longer_wants_work",
    "disengaged",
    "disengaged",
    "moved_away",
    "transferred",
    "other",
)
MINUTES = (15, 30, 45, 60, 90)


@dataclass
class Counters:
    services: int = 0
    people: int = 0
    contacts: int = 0
    jobs: int = 0


class Tables:
    def __init__(self) -> None:
        self.person = Table(
            Person,
            [
                "id",
                "service_id",
                "organisation_id",
                "client_id",
                "given_name",
                "family_name",
                "nhs_number",
                "date_of_birth",
                "gender",
                "ethnicity",
            ],
        )
        self.episode = Table(
            Episode,
            [
                "id",
                "service_id",
                "person_id",
                "episode_id",
                "referral_date",
                "referral_source",
                "employment_status_at_referral",
                "accepted_date",
                "employment_specialist_id",
                "clinical_team_id",
                "vocational_profile_date",
                "discharge_date",
                "discharge_reason",
                "consent_to_share_with_employers",
            ],
        )
        # COPY skips save(), so each person's search keys are written alongside (ADR 0019).
        self.search_key = Table(SearchKey, ["person_id", "organisation_id", "kind", "term"])
        self.employer = Table(Employer, ["id", "service_id", "employer_id", "name", "sector"])
        self.contact = Table(
            Contact,
            [
                "service_id",
                "contact_id",
                "date",
                "staff_id",
                "contact_with",
                "episode_id",
                "employer_id",
                "mode",
                "setting",
                "minutes",
                "purpose",
                "attended",
                "matches_preferences",
            ],
        )
        self.job = Table(
            Job,
            [
                "service_id",
                "job_id",
                "episode_id",
                "employer_id",
                "job_title",
                "job_type",
                "start_date",
                "start_confirmed",
                "end_date",
                "end_reason",
                "hours_per_week",
                "hourly_pay",
                "competitive",
                "permanent",
            ],
        )

    def write(self) -> None:
        # Parents before children, for the foreign keys.
        tables = (self.person, self.search_key, self.employer, self.episode, self.contact, self.job)
        for table in tables:
            table.write()


def nhs_numbers(start: int) -> Callable[[], str]:
    """Distinct valid NHS numbers from the 999 test range, counting up from `start`."""
    state = [start]

    def following() -> str:
        while True:
            digits = f"999{state[0]:06d}"
            state[0] += 1
            check = calculate_checksum(digits)
            if check is not None and check != 10:
                return f"{digits}{check}"

    return following


def build(
    name: str,
    seed: int = 2026,
    today: date | None = None,
    progress: Callable[[Counters, int], None] | None = None,
) -> Counters:
    """Build the named scale under its own network, `scale-NAME`; nothing if it is already there."""
    size = SIZES[name]
    today = today or timezone.localdate()
    code = f"scale-{name}"
    counters = Counters()
    if Network.objects.filter(code=code).exists():
        return counters
    network = Network.objects.create(code=code, name=f"Synthetic network ({name})")
    rng = random.Random(seed)
    numbers = nhs_numbers(0)
    per_service = size.episodes // size.services
    organisations: dict[int, Organisation] = {}
    for n in range(size.services):
        with transaction.atomic():
            group = n // SERVICES_PER_ORGANISATION
            if group not in organisations:
                organisations[group] = Organisation.objects.create(
                    network=network, name=f"{name.title()} Trust {group + 1:03d}"
                )
            organisation = organisations[group]
            service = Service.objects.create(
                organisation=organisation,
                code=f"{code}-{n + 1:03d}",
                name=f"IPS service {n + 1:03d} ({name})",
            )
            _service(service, per_service, rng, today, numbers, counters)
            if n == 0:
                _accounts(service, name)
        counters.services += 1
        if progress:
            progress(counters, size.services)
    with transaction.atomic():
        _commissioner(network, name)
        reset_sequences([Person, Episode, Employer, Contact, Job, StaffMember, ClinicalTeam])
    return counters


def _service(
    service: Service,
    episodes: int,
    rng: random.Random,
    today: date,
    nhs_number: Callable[[], str],
    counters: Counters,
) -> None:
    first_day = today - timedelta(days=365 * YEARS)
    teams = [
        ClinicalTeam.objects.create(service=service, name=f"Community team {t + 1}")
        for t in range(TEAMS)
    ]
    specialists = StaffMember.objects.bulk_create(
        StaffMember(
            service=service,
            staff_id=f"ES{s + 1:02d}",
            name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
            role=StaffRole.EMPLOYMENT_SPECIALIST,
            fte=rng.choice((Decimal("1"), Decimal("1"), Decimal("0.8"), Decimal("0.6"))),
            start_date=first_day - timedelta(days=rng.randrange(0, 400)),
        )
        for s in range(SPECIALISTS)
    )
    StaffMember.objects.create(
        service=service, staff_id="TL01", name="Team leader", role=StaffRole.TEAM_LEADER
    )
    if not specialists[0].pk:  # SQLite before 3.35 does not return ids from bulk inserts
        specialists = list(service.staff.filter(role=StaffRole.EMPLOYMENT_SPECIALIST))
    t = Tables()
    employer_ids = range(next_ids(Employer), next_ids(Employer) + EMPLOYERS_PER_SERVICE)
    for k, pk in enumerate(employer_ids):
        label, sector = EMPLOYERS[k % len(EMPLOYERS)]
        t.employer.add(
            pk, service.pk, f"E{k + 1:04d}", f"{label} {k // len(EMPLOYERS) + 1}", sector
        )
    person_pk, episode_pk = next_ids(Person), next_ids(Episode)
    first_client = identifiers.next_number(service.organisation_id)  # the ids go on across services
    span = (today - first_day).days
    serial = 0
    for k in range(episodes):
        referred = first_day + timedelta(days=rng.randrange(span))
        client_id = identifiers.client_id(first_client + k)
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        born = date(rng.randrange(1960, 2007), rng.randrange(1, 13), rng.randrange(1, 29))
        t.person.add(
            person_pk,
            service.pk,
            service.organisation_id,
            client_id,
            given,
            family,
            nhs_number(),
            born,
            rng.choice(Gender.values),
            rng.choice(Ethnicity.values),
        )
        for kind, term in keys_for(given, family, client_id, born):
            t.search_key.add(person_pk, service.organisation_id, kind, term)
        es = rng.choice(specialists)
        accepted = referred + timedelta(days=rng.randrange(0, 15))
        engaged = rng.random() > 0.1
        if not engaged:
            discharged: date | None = accepted + timedelta(days=rng.randrange(14, 60))
            reason: str = DischargeReason.DECLINED_BEFORE_ENGAGEMENT
        else:
            discharged = accepted + timedelta(days=int(rng.expovariate(1 / 220)) + 30)
            reason = rng.choice(DISCHARGES)
        if discharged is not None and discharged > today:
            discharged, reason = None, ""
        accepted_on = accepted if accepted <= today else None
        profile = accepted + timedelta(days=rng.randrange(7, 35)) if engaged else None
        last = min(discharged or today, today)
        if profile is not None and profile > last:
            profile = None
        t.episode.add(
            episode_pk,
            service.pk,
            person_pk,
            f"{client_id}-1",
            referred,
            rng.choice(ReferralSource.values),
            rng.choice(("unemployed",) * 4 + ("economically_inactive", "employed")),
            accepted_on,
            es.pk if accepted_on else None,
            rng.choice(teams).pk,
            profile,
            discharged,
            reason,
            rng.random() > 0.2,
        )
        if accepted_on and engaged:
            serial = _journey(t, service, es, episode_pk, accepted, last, rng, employer_ids, serial)
        person_pk += 1
        episode_pk += 1
    counters.people += len(t.person.rows)
    counters.contacts += len(t.contact.rows)
    counters.jobs += len(t.job.rows)
    t.write()


def _journey(
    t: Tables,
    service: Service,
    es: StaffMember,
    episode: int,
    start: date,
    last: date,
    rng: random.Random,
    employers: range,
    serial: int,
) -> int:
    """Weekly-ish contacts with the client, job development with employers, and perhaps a job
    with in-work support after it starts."""
    job_start = None
    if rng.random() < 0.55:
        job_start = start + timedelta(days=int(rng.expovariate(1 / 110)) + 7)
        if job_start > last:
            job_start = None
    day = start
    while day <= last:
        serial += 1
        working = job_start is not None and day >= job_start
        mode = rng.choice(CLIENT_MODES)
        t.contact.add(
            service.pk,
            f"K{serial:07d}",
            day,
            es.pk,
            "client",
            episode,
            None,
            mode,
            (rng.choice(("community", "community", "office")) if mode == "face_to_face" else ""),
            rng.choice(MINUTES),
            "in_work_support" if working else rng.choice(CLIENT_PURPOSES),
            rng.random() > 0.08,
            None,
        )
        if not working and rng.random() < 0.3:
            serial += 1
            t.contact.add(
                service.pk,
                f"K{serial:07d}",
                min(day + timedelta(days=rng.randrange(0, 4)), last),
                es.pk,
                "employer",
                episode,
                rng.choice(employers),
                rng.choice(("face_to_face", "face_to_face", "phone")),
                "community",
                rng.choice(MINUTES),
                "job_development",
                True,
                rng.random() > 0.3,
            )
        day += timedelta(days=rng.randrange(2, 9) if not working else rng.randrange(7, 21))
    if job_start is not None:
        title, soc = rng.choice(JOBS)
        ends = job_start + timedelta(days=int(rng.expovariate(1 / 300)) + 1)
        ended = ends if ends <= last and rng.random() < 0.7 else None
        t.job.add(
            service.pk,
            f"J{serial:07d}",
            episode,
            rng.choice(employers),
            title,
            soc,
            job_start,
            True,
            ended,
            rng.choice(("resigned", "contract_ended", "dismissed", "other")) if ended else "",
            Decimal(rng.choice((8, 12, 16, 20, 25, 30, 37))),
            Decimal(rng.choice(("12.21", "12.50", "13.00", "14.25"))),
            rng.random() > 0.05,
            rng.random() > 0.4,
        )
    return serial


def _accounts(service: Service, name: str) -> None:
    """Sign-ins for the first service, to look at (and benchmark) its pages."""
    es = service.staff.get(staff_id="ES01")
    _user(f"scale-{name}-es", Role.EMPLOYMENT_SPECIALIST, service=service, staff=es)
    _user(f"scale-{name}-team-leader", Role.TEAM_LEADER, service=service)
    _user(f"scale-{name}-manager", Role.SERVICE_MANAGER, organisation=service.organisation)


def _commissioner(network: Network, name: str) -> None:
    _user(f"scale-{name}-commissioner", Role.COMMISSIONER, network=network)


def _user(username: str, role: str, staff: StaffMember | None = None, **scope: object) -> None:
    user = User(username=username, role=role, first_name="Synthetic", last_name=role, **scope)
    user.set_password(DEMO_PASSWORD)
    user.save()
    if staff is not None:
        staff.user = user
        staff.save(update_fields=["user"])
