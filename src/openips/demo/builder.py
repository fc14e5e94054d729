"""Builds the demonstration network: 2 organisations, 5 services (three IPS teams in secondary
care, one IPS in Primary Care, one Talking Therapies employment service), staff, clients and a
user for every role. Deterministic for a given seed, and safe to run again (it adds nothing
twice)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from openips.accounts.models import ReviewerAccess, User
from openips.accounts.roles import Role
from openips.demo.health import record_estimates, record_health
from openips.demo.journeys import FAMILY, GIVEN, build_journeys, record_work_since_referral
from openips.organisations.models import (
    ClinicalTeam,
    Network,
    Organisation,
    Service,
    ServiceProgramme,
    StaffMember,
    StaffRole,
)
from openips.research import services as research

DEMO_PASSWORD = "openips-demo"  # noqa: S105  (synthetic demo accounts only)
NETWORK = ("east-midlands", "East Midlands IPS Network")
ORGANISATIONS = [
    (
        "Sherwood Valley NHS Foundation Trust",
        "RX0",
        [
            (
                "sherwood-north",
                "Sherwood IPS North",
                ["Mansfield CMHT", "Early Intervention North"],
                "ips_smi",
            ),
            (
                "sherwood-south",
                "Sherwood IPS South",
                ["Nottingham South CMHT", "Recovery Team South"],
                "ips_smi",
            ),
            (
                "sherwood-primary-care",
                "Sherwood IPS in Primary Care",
                ["Mansfield GP practices", "Ashfield Primary Care Network"],
                "ips_primary_care",
            ),
        ],
    ),
    (
        "Trentside Employment Partnership",
        "TEP",
        [
            (
                "trentside",
                "Trentside IPS",
                ["Newark CMHT", "Talking Therapies Trentside"],
                "ips_smi",
            ),
            (
                "trentside-talking-therapies",
                "Trentside Talking Therapies Employment Advice",
                ["Talking Therapies Newark", "Talking Therapies Southwell"],
                "talking_therapies_employment",
            ),
        ],
    ),
]
# Services beyond secondary care deliver their programme from before the demo's first referral.
PROGRAMME_SINCE_DAYS = 800


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    attached_to: str


def build(seed: int = 2026) -> list[DemoAccount]:
    with transaction.atomic():
        network, created = Network.objects.get_or_create(
            code=NETWORK[0], defaults={"name": NETWORK[1]}
        )
        if created:
            _build_network(network, random.Random(seed))
    return [
        DemoAccount(u.username, u.get_role_display(), u.scope_label)
        for u in User.objects.filter(username__startswith="demo-")
        .order_by("pk")
        .select_related("network", "organisation", "service", "clinical_team")
    ]


def _build_network(network: Network, rng: random.Random) -> None:
    services: list[Service] = []
    organisations: list[Organisation] = []
    for org_name, ods, service_specs in ORGANISATIONS:
        org = Organisation.objects.create(network=network, name=org_name, ods_code=ods)
        organisations.append(org)
        for code, name, teams, programme in service_specs:
            service = Service.objects.create(
                organisation=org, code=code, name=name, mhsds_team_id=f"IPS-{code.upper()}"
            )
            services.append(service)
            if programme != "ips_smi":  # a service with no programme recorded is IPS in SMI
                since = timezone.localdate() - timedelta(days=PROGRAMME_SINCE_DAYS)
                ServiceProgramme.objects.create(
                    service=service, programme=programme, valid_from=since
                )
            for team in teams:
                ClinicalTeam.objects.create(service=service, name=team)
            _build_service(service, rng, programme)

    first = services[0]
    _user(
        "demo-es",
        Role.EMPLOYMENT_SPECIALIST,
        "Sam",
        "Specialist",
        service=first,
        staff=first.staff.filter(role=StaffRole.EMPLOYMENT_SPECIALIST).first(),
    )
    _user(
        "demo-team-leader",
        Role.TEAM_LEADER,
        "Tara",
        "Leader",
        service=first,
        staff=first.staff.filter(role=StaffRole.TEAM_LEADER).first(),
    )
    _user("demo-manager", Role.SERVICE_MANAGER, "Morgan", "Manager", organisation=organisations[0])
    _user(
        "demo-clinician",
        Role.CLINICIAN,
        "Chris",
        "Clinician",
        clinical_team=first.clinical_teams.first(),
    )
    _user("demo-commissioner", Role.COMMISSIONER, "Kim", "Commissioner", network=network)
    reviewer = _user("demo-reviewer", Role.FIDELITY_REVIEWER, "Robin", "Reviewer")
    today = timezone.localdate()
    ReviewerAccess.objects.create(
        reviewer=reviewer,
        service=next(s for s in services if s.code == "trentside"),
        starts_on=today - timedelta(days=7),
        ends_on=today + timedelta(days=60),
    )
    _user("demo-ig-lead", Role.IG_LEAD, "Iris", "Governance", organisation=organisations[0])
    _user("demo-admin", Role.ADMINISTRATOR, "Alex", "Administrator")
    leader = User.objects.get(username="demo-team-leader")
    _research_study(services, reviewer)
    for service in services:
        record_work_since_referral(service, leader, rng, today)
        record_health(service, rng, today)
        record_estimates(service, leader, rng, today)


def _research_study(services: list[Service], researcher: User) -> None:
    """An approved evaluation of the whole demo network, its extract for the demo reviewer."""
    admin = User.objects.get(username="demo-admin")
    today = timezone.localdate()
    study = research.create_study(
        admin,
        services,
        name="Work held over five years",
        reference="IRAS 999001",
        start=today - timedelta(days=6 * 365),
        end=today,
    )
    research.grant(admin, study, researcher, today, today + timedelta(days=365))


def _user(
    username: str,
    role: str,
    first: str,
    last: str,
    staff: StaffMember | None = None,
    **scope: object,
) -> User:
    user = User(
        username=username,
        role=role,
        first_name=first,
        last_name=last,
        email=f"{username}@example.nhs.uk",
        **scope,
    )
    user.set_password(DEMO_PASSWORD)
    user.full_clean()
    user.save()
    if staff is not None:
        # The signed-in person is this staff member: the pages name them as they signed in.
        staff.user = user
        staff.name = user.get_full_name()
        staff.save(update_fields=["user", "name"])
    return user


def _build_service(service: Service, rng: random.Random, programme: str) -> None:
    today = timezone.localdate()
    specialists = [
        StaffMember.objects.create(
            service=service,
            staff_id=f"ES{n:02d}",
            name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
            role=StaffRole.EMPLOYMENT_SPECIALIST,
            # The first specialist is part-time, so a full caseload shows above 20 per FTE.
            fte=Decimal("0.5") if n == 1 else rng.choice([Decimal("1"), Decimal("0.8")]),
            start_date=today - timedelta(days=rng.randrange(600, 1500)),
            # Ofcom's numbers for drama, so no real line is rung.
            work_phone=f"0115 496 0{service.pk % 100:02d}{n}",
            work_email=f"es{n:02d}.{service.code}@example.nhs.uk",
        )
        for n in range(1, 4)
    ]
    StaffMember.objects.create(
        service=service,
        staff_id="TL01",
        name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
        role=StaffRole.TEAM_LEADER,
        fte=Decimal("1"),
    )
    build_journeys(service, specialists, rng, today, programme)
