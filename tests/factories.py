"""Factories for the core models, each row valid by the rules on its fields (core.rules).

- `XFactory.build()` makes unsaved objects, related ones included, without the database: use
  it for presenter tests, which then need no `django_db` mark.
- `XFactory()` (or `.create()`) saves the rows, related ones first: for tests that need rows.

Related objects follow the record they belong to: an episode's specialist and clinical team are
of the person's service, a job's employer of the job's service. Pass your own to share one, as
in `EpisodeFactory(person=person)`. Dates are fixed, in the past, so that pages read the same
every day. `tests/conftest.py`'s `world` is the shared set of records most page tests use.

A built object has no primary key, so the `…_id` of what it points to is None: where a
presenter reads one, give the related object an id (`UserFactory.build(service__id=1)`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from nhs_number import calculate_checksum

from openips.accounts.models import User
from openips.accounts.roles import SCOPE_FIELD, Role
from openips.benefits.models import Estimate
from openips.casework.models import Contact, VocationalProfile
from openips.clients.models import Episode, HospitalStay, MeasureScore, Person
from openips.employment.models import Employer, Job
from openips.organisations.models import (
    ClinicalTeam,
    Network,
    Organisation,
    Service,
    StaffMember,
    StaffRole,
)
from tests.benefits.factories import SCENARIO

PASSWORD = "correct horse battery staple"


def nhs_number(n: int) -> str:
    """The n-th of a run of valid numbers in the 999 test range (demo/nhs_numbers.py), clear
    of the world's in tests/conftest.py. Of two numbers that differ by one in the last digit,
    at most one has no check digit (modulus 11 gives 10)."""
    digits = f"9995{2 * n:05d}"
    if calculate_checksum(digits) == 10:
        digits = f"9995{2 * n + 1:05d}"
    return f"{digits}{calculate_checksum(digits)}"


class NetworkFactory(DjangoModelFactory):
    class Meta:
        model = Network

    code = factory.Sequence(lambda n: f"network-{n}")
    name = factory.Sequence(lambda n: f"Network {n}")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Trust {n}")


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"service-{n}")
    name = factory.Sequence(lambda n: f"IPS Service {n}")


class ClinicalTeamFactory(DjangoModelFactory):
    class Meta:
        model = ClinicalTeam

    service = factory.SubFactory(ServiceFactory)
    name = factory.Sequence(lambda n: f"Community mental health team {n}")


class StaffMemberFactory(DjangoModelFactory):
    class Meta:
        model = StaffMember

    service = factory.SubFactory(ServiceFactory)
    staff_id = factory.Sequence(lambda n: f"ES{n:03d}")
    name = "Esme Adams"
    role = StaffRole.EMPLOYMENT_SPECIALIST
    fte = Decimal("1")


def _attached(unit: str, unit_factory: type[DjangoModelFactory]) -> factory.Maybe:
    """The unit an account of this role is attached to (roles.SCOPE_FIELD), else none:
    User.clean refuses an account attached to the wrong unit."""
    return factory.Maybe(
        factory.LazyAttribute(lambda user: SCOPE_FIELD[user.role] == unit),
        factory.SubFactory(unit_factory),
        None,
    )


class UserFactory(DjangoModelFactory):
    """An employment specialist of a new service; `UserFactory(role=Role.CLINICIAN)` is
    attached to a clinical team instead, an administrator to nothing."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Esme"
    last_name = "Adams"
    password = factory.django.Password(PASSWORD)
    role = Role.EMPLOYMENT_SPECIALIST
    network = _attached("network", NetworkFactory)
    organisation = _attached("organisation", OrganisationFactory)
    service = _attached("service", ServiceFactory)
    clinical_team = _attached("clinical_team", ClinicalTeamFactory)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    service = factory.SubFactory(ServiceFactory)
    # Saving sets it from the service; set here too so that a built person has it.
    organisation = factory.SelfAttribute("service.organisation")
    client_id = factory.Sequence(lambda n: f"C{n:05d}")
    given_name = "Sam"
    family_name = "Taylor"
    nhs_number = factory.Sequence(nhs_number)


class EpisodeFactory(DjangoModelFactory):
    """Referred on 6 January 2025 and accepted two days later: "Accepted" until a vocational
    profile is started."""

    class Meta:
        model = Episode

    person = factory.SubFactory(PersonFactory)
    service = factory.SelfAttribute("person.service")
    episode_id = factory.Sequence(lambda n: f"EP{n:05d}")
    referral_date = dt.date(2025, 1, 6)
    referral_source = "secondary_mental_health"
    employment_status_at_referral = "unemployed"
    accepted_date = dt.date(2025, 1, 8)
    employment_specialist = factory.SubFactory(
        StaffMemberFactory, service=factory.SelfAttribute("..service")
    )
    clinical_team = factory.SubFactory(
        ClinicalTeamFactory, service=factory.SelfAttribute("..service")
    )


class ContactFactory(DjangoModelFactory):
    """A phone call with the client by their employment specialist. For a contact about no
    episode (an employer's), pass `episode=None` with a service and staff."""

    class Meta:
        model = Contact

    episode = factory.SubFactory(EpisodeFactory)
    service = factory.SelfAttribute("episode.service")
    staff = factory.SelfAttribute("episode.employment_specialist")
    contact_id = factory.Sequence(lambda n: f"CT{n:05d}")
    date = dt.date(2025, 1, 9)
    contact_with = "client"
    mode = "phone"
    purpose = "engagement"


class VocationalProfileFactory(DjangoModelFactory):
    class Meta:
        model = VocationalProfile

    episode = factory.SubFactory(EpisodeFactory)
    version = 1
    recorded_by = factory.SubFactory(
        UserFactory, service=factory.SelfAttribute("..episode.service")
    )
    # Saving stamps the time of saving (auto_now_add); this is for a built one.
    recorded_at = factory.LazyFunction(timezone.now)
    preferred_jobs = "Gardening or work in a park"


class HospitalStayFactory(DjangoModelFactory):
    """Ten nights on a mental health ward in the autumn before the referral."""

    class Meta:
        model = HospitalStay

    person = factory.SubFactory(PersonFactory)
    service = factory.SelfAttribute("person.service")
    admission_id = factory.Sequence(lambda n: f"ADM{n:05d}")
    admission_date = dt.date(2024, 10, 1)
    discharge_date = dt.date(2024, 10, 11)
    setting = "mental_health_inpatient"


class MeasureScoreFactory(DjangoModelFactory):
    """A ReQoL-10 baseline on the day of acceptance."""

    class Meta:
        model = MeasureScore

    episode = factory.SubFactory(EpisodeFactory)
    service = factory.SelfAttribute("episode.service")
    measure_id = factory.Sequence(lambda n: f"MS{n:05d}")
    measure = "reqol_10"
    date = dt.date(2025, 1, 8)
    score = Decimal("18")


class EmployerFactory(DjangoModelFactory):
    class Meta:
        model = Employer

    service = factory.SubFactory(ServiceFactory)
    employer_id = factory.Sequence(lambda n: f"EMP{n:05d}")
    name = factory.Sequence(lambda n: f"Bean Co {n}")


class JobFactory(DjangoModelFactory):
    class Meta:
        model = Job

    episode = factory.SubFactory(EpisodeFactory)
    service = factory.SelfAttribute("episode.service")
    job_id = factory.Sequence(lambda n: f"JOB{n:05d}")
    employer = factory.SubFactory(EmployerFactory, service=factory.SelfAttribute("..service"))
    job_title = "Barista"
    start_date = dt.date(2025, 3, 3)
    hours_per_week = Decimal("16")
    competitive = True


class EstimateFactory(DjangoModelFactory):
    """A saved better-off-in-work estimate with the figures tests/benefits/factories.SCENARIO
    gives. `make_estimate` there saves one as the page does, calculator and all."""

    class Meta:
        model = Estimate

    episode = factory.SubFactory(EpisodeFactory)
    contact = factory.SubFactory(
        ContactFactory, episode=factory.SelfAttribute("..episode"), purpose="benefits_counselling"
    )
    tax_year = "2025/26"
    scenario = factory.LazyFunction(lambda: dict(SCENARIO))
    income_now = Decimal("1323.41")
    income_in_work = Decimal("1930.41")
    created_by = factory.SubFactory(UserFactory, service=factory.SelfAttribute("..episode.service"))
