"""Shared fixtures: a small world of two organisations, and a signed-in client for every role.

Service A (organisation 1) is "home" for the service-attached roles; service B (organisation 2)
is the outsider, except for the fidelity reviewer, who is reviewing B and so sees only B.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from openips.accounts.models import ReviewerAccess, User
from openips.accounts.roles import Role
from openips.casework.models import Contact
from openips.clients.models import Episode, Person
from openips.employment.models import Employer, Job
from openips.organisations.models import (
    ClinicalTeam,
    Network,
    Organisation,
    Service,
    StaffMember,
    StaffRole,
)


def _flush_past_the_truncate_guard() -> None:
    """The audit table refuses TRUNCATE (migration audit 0005), and Django empties PostgreSQL
    tables between transactional tests with TRUNCATE. The test database's superuser may skip
    ordinary triggers for that one statement; the application's own role cannot (operations.md)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    flush = DatabaseOperations.sql_flush

    def sql_flush(self: Any, style: Any, tables: Any, **kwargs: Any) -> list[str]:
        statements = flush(self, style, tables, **kwargs)
        return ["SET LOCAL session_replication_role = replica", *statements] if statements else []

    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]


_flush_past_the_truncate_guard()


MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
PASSWORD = "correct horse battery staple"


@dataclass
class World:
    network: Network
    org1: Organisation
    org2: Organisation
    service_a: Service
    service_b: Service
    team_a: ClinicalTeam
    team_b: ClinicalTeam
    person_a: Person
    person_b: Person
    users: dict[str, User] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    employers: dict[str, Employer] = field(default_factory=dict)

    def episode(self, person: Person) -> Episode:
        return person.episodes.get()

    def visible(self, role: str, kind: str) -> Any:
        """The person, episode, job or employer of the service this role may see."""
        return self._of(self.visible_person(role), kind)

    def hidden(self, role: str, kind: str) -> Any:
        return self._of(self.hidden_person(role), kind)

    def _of(self, person: Person, kind: str) -> Any:
        key = "a" if person == self.person_a else "b"
        return {
            "person": person,
            "episode": self.episode(person),
            "job": self.jobs.get(key),
            "employer": self.employers.get(key),
            "contact": self.contacts.get(key),
            "staff": person.service.staff.get(staff_id="ES01"),
        }[kind]

    def visible_person(self, role: str) -> Person:
        return self.person_b if role == Role.FIDELITY_REVIEWER else self.person_a

    def hidden_person(self, role: str) -> Person:
        return self.person_a if role == Role.FIDELITY_REVIEWER else self.person_b


def make_person(
    service: Service, team: ClinicalTeam, es: StaffMember, client_id: str, nhs_number: str
) -> Person:
    person = Person.objects.create(
        service=service,
        client_id=client_id,
        given_name="Test",
        family_name=client_id,
        nhs_number=nhs_number,
    )
    Episode.objects.create(
        service=service,
        person=person,
        episode_id=f"{client_id}-1",
        referral_date=date(2025, 1, 6),
        referral_source="self",
        employment_status_at_referral="unemployed",
        accepted_date=date(2025, 1, 8),
        employment_specialist=es,
        clinical_team=team,
    )
    return person


def make_user(username: str, role: str, **scope: object) -> User:
    user = User(username=username, role=role, first_name=username.title(), **scope)
    user.set_password(PASSWORD)
    user.full_clean()
    user.save()
    return user


@pytest.fixture
def world(db: None) -> World:
    network = Network.objects.create(code="net", name="Test Network")
    org1 = Organisation.objects.create(network=network, name="Trust One")
    org2 = Organisation.objects.create(network=network, name="Provider Two")
    service_a = Service.objects.create(organisation=org1, code="svc-a", name="Service A")
    service_b = Service.objects.create(organisation=org2, code="svc-b", name="Service B")
    team_a = ClinicalTeam.objects.create(service=service_a, name="Team A")
    team_b = ClinicalTeam.objects.create(service=service_b, name="Team B")
    es_a = StaffMember.objects.create(
        service=service_a,
        staff_id="ES01",
        name="Esme A",
        role=StaffRole.EMPLOYMENT_SPECIALIST,
        fte=Decimal("1"),
    )
    es_b = StaffMember.objects.create(
        service=service_b,
        staff_id="ES01",
        name="Esme B",
        role=StaffRole.EMPLOYMENT_SPECIALIST,
        fte=Decimal("1"),
    )
    w = World(
        network,
        org1,
        org2,
        service_a,
        service_b,
        team_a,
        team_b,
        make_person(service_a, team_a, es_a, "A001", "9990000018"),
        make_person(service_b, team_b, es_b, "B001", "9990000026"),
    )
    w.users = {
        Role.EMPLOYMENT_SPECIALIST: make_user(
            "specialist", Role.EMPLOYMENT_SPECIALIST, service=service_a
        ),
        Role.TEAM_LEADER: make_user("leader", Role.TEAM_LEADER, service=service_a),
        Role.SERVICE_MANAGER: make_user("manager", Role.SERVICE_MANAGER, organisation=org1),
        Role.CLINICIAN: make_user("clinician", Role.CLINICIAN, clinical_team=team_a),
        Role.COMMISSIONER: make_user("commissioner", Role.COMMISSIONER, network=network),
        Role.FIDELITY_REVIEWER: make_user("reviewer", Role.FIDELITY_REVIEWER),
        Role.IG_LEAD: make_user("iglead", Role.IG_LEAD, organisation=org1),
        Role.ADMINISTRATOR: make_user("admin", Role.ADMINISTRATOR),
    }
    for key, service, person in (("a", service_a, w.person_a), ("b", service_b, w.person_b)):
        w.employers[key] = Employer.objects.create(
            service=service, employer_id=f"EMP-{key}", name=f"Employer {key.upper()}"
        )
        w.jobs[key] = Job.objects.create(
            service=service,
            episode=w.episode(person),
            job_id=f"J-{key}",
            employer=w.employers[key],
            job_title="Barista",
            start_date=date(2025, 3, 3),
            competitive=True,
        )
        w.contacts[key] = Contact.objects.create(
            service=service,
            contact_id=f"C-{key}",
            date=date(2025, 1, 9),
            staff=service.staff.get(staff_id="ES01"),
            contact_with="client",
            episode=w.episode(person),
            mode="phone",
            purpose="engagement",
        )
    today = timezone.localdate()
    ReviewerAccess.objects.create(
        reviewer=w.users[Role.FIDELITY_REVIEWER],
        service=service_b,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=30),
    )
    return w


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def client_for(world: World):  # type: ignore[no-untyped-def]
    """client_for(Role.X) → a test client signed in as that role's user in the world."""
    return lambda role: signed_in(world.users[role])


@pytest.fixture
def specialist_client(client_for):  # type: ignore[no-untyped-def]
    return client_for(Role.EMPLOYMENT_SPECIALIST)


@pytest.fixture
def admin_client_(client_for):  # type: ignore[no-untyped-def]
    return client_for(Role.ADMINISTRATOR)


@pytest.fixture
def ig_client(client_for):  # type: ignore[no-untyped-def]
    return client_for(Role.IG_LEAD)
