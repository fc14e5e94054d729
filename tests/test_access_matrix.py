"""Every URL × every role (and an anonymous visitor). A URL without a rule here fails the suite.

Each rule says which roles may use the page. For pages about one record it also says which record
each role may open; the other record, in an organisation the role does not serve, must be 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from openips.accounts.models import GrantStatus, RoleGrant
from openips.accounts.roles import Role
from openips.accounts.tokens import create_token
from openips.fidelity.models import Action, Rating, Review
from openips.interchange.models import Download, DownloadStatus, ImportJob, ImportStatus
from openips.interchange.schema import KEYS
from tests.benefits.factories import make_estimate
from tests.conftest import World, make_user, signed_in
from tests.fhir.conftest import as_json, referral

ALL_ROLES = frozenset(Role.values)
CASEWORK_ROLES = frozenset({Role.EMPLOYMENT_SPECIALIST, Role.TEAM_LEADER})
EMPLOYER_ROLES = frozenset(
    {Role.EMPLOYMENT_SPECIALIST, Role.TEAM_LEADER, Role.SERVICE_MANAGER, Role.FIDELITY_REVIEWER}
)
CLIENT_ROLES = frozenset(
    {
        Role.EMPLOYMENT_SPECIALIST,
        Role.TEAM_LEADER,
        Role.SERVICE_MANAGER,
        Role.CLINICIAN,
        Role.FIDELITY_REVIEWER,
    }
)
MANAGER = frozenset({Role.SERVICE_MANAGER})
REVIEWER_ROLES = frozenset({Role.TEAM_LEADER, Role.SERVICE_MANAGER, Role.FIDELITY_REVIEWER})
RETURN_ROLES = frozenset({Role.TEAM_LEADER, Role.SERVICE_MANAGER, Role.COMMISSIONER})
OUTCOME_ROLES = frozenset(
    {Role.EMPLOYMENT_SPECIALIST, Role.TEAM_LEADER, Role.SERVICE_MANAGER, Role.FIDELITY_REVIEWER}
)
STAFF_ROLES = frozenset({Role.TEAM_LEADER, Role.SERVICE_MANAGER})
Kwargs = Callable[[World, str], dict[str, Any] | None]


@dataclass(frozen=True)
class Rule:
    allowed: frozenset[str] = frozenset()
    public: bool = False
    method: str = "get"
    ok_status: int = 200
    api: bool = False  # the API answers an anonymous caller 401 instead of redirecting
    own: Kwargs | None = None  # the record this role may open
    foreign: Kwargs | None = None  # a record outside this role's scope: must be 404
    body: Callable[[str], dict[str, Any]] | None = None  # API writes: JSON for a service code
    foreign_body: bool = False  # the body names a service outside the role's scope: 404
    query: str = ""  # a search's parameters, after the address


def person(which: str) -> Kwargs:
    return lambda w, role: {"pk": getattr(w, f"{which}_person")(role).pk}


def visible(kind: str) -> Kwargs:
    return lambda w, role: {"pk": w.visible(role, kind).pk}


def hidden(kind: str) -> Kwargs:
    return lambda w, role: {"pk": w.hidden(role, kind).pk}


def scoped(allowed: frozenset[str], kind: str, api: bool = False) -> Rule:
    return Rule(allowed, own=visible(kind), foreign=hidden(kind), api=api)


def employed_at_referral(which: str) -> Kwargs:
    """The visible or hidden episode, made one of a client employed at referral (job retention):
    the page for their changes in work opens only for one."""

    def made(w: World, role: str) -> dict[str, Any]:
        from openips.clients.models import Episode

        episode = getattr(w, which)(role, "episode")
        Episode.objects.filter(pk=episode.pk).update(employment_status_at_referral="employed")
        return {"pk": episode.pk}

    return made


def employment_record(which: str) -> Kwargs:
    """An episode's Talking Therapies employment record at assessment, in or out of scope."""
    return lambda w, role: {"pk": getattr(w, which)(role, "episode").pk, "moment": "assessment"}


def stay(which: str) -> Kwargs:
    """A hospital stay of the visible or hidden person."""

    def made(w: World, role: str) -> dict[str, Any]:
        from tests.factories import HospitalStayFactory

        return {"pk": HospitalStayFactory(person=getattr(w, f"{which}_person")(role)).pk}

    return made


def measure_score(which: str) -> Kwargs:
    """An outcome-measure score of the visible or hidden person's episode."""

    def made(w: World, role: str) -> dict[str, Any]:
        from tests.factories import MeasureScoreFactory

        return {"pk": MeasureScoreFactory(episode=getattr(w, which)(role, "episode")).pk}

    return made


def a_study(w: World, role: str, *, named: bool = False) -> Any:
    from datetime import date

    from openips.research import services as research

    admin = w.users[Role.ADMINISTRATOR]
    study = research.create_study(
        admin,
        [w.service_a],
        name="A study",
        reference="R1",
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
    )
    if named:
        today = timezone.localdate()
        research.grant(admin, study, w.users[role], today, today)
    return study


def study_access(w: World, role: str) -> dict[str, Any]:
    study = a_study(w, role, named=True)
    return {"pk": study.pk, "access": study.accesses.get().pk}


def staff_outside_view(w: World, role: str) -> dict[str, Any] | None:
    """Commissioners and administrators see every service's staff: nothing is outside."""
    if role in {Role.COMMISSIONER, Role.ADMINISTRATOR}:
        return None
    return {"pk": w.hidden(role, "staff").pk}


def estimate(which: str) -> Kwargs:
    """A saved estimate on the visible or hidden episode, made by that service's specialist."""

    def make(w: World, role: str) -> dict[str, Any]:
        person = getattr(w, f"{which}_person")(role)
        specialist = person.service.staff.get(staff_id="ES01")
        author = specialist.user or make_user(
            f"es-{person.service.code}", Role.EMPLOYMENT_SPECIALIST, service=person.service
        )
        if specialist.user is None:
            specialist.user = author
            specialist.save()
        return {"pk": make_estimate(w.episode(person), author).pk}

    return make


def second_record(w: World, which: str, role: str) -> Any:
    """Another record in the same service as the visible or hidden person, to merge."""
    from openips.clients.models import Person
    from tests.conftest import make_person

    person = getattr(w, f"{which}_person")(role)
    code = f"{person.client_id}-TWIN"
    found = Person.objects.filter(service=person.service, client_id=code).first()
    if found is not None:
        return found
    es = person.service.staff.get(staff_id="ES01")
    team = person.service.clinical_teams.first()
    return make_person(person.service, team, es, code, "")


def merge_pair(which: str) -> Kwargs:
    def pair(w: World, role: str) -> dict[str, Any]:
        kept = getattr(w, f"{which}_person")(role)
        return {"pk": kept.pk, "other": second_record(w, which, role).pk}

    return pair


def a_merge(which: str) -> Kwargs:
    def made(w: World, role: str) -> dict[str, Any]:
        from openips.clients.services import merge

        kept = getattr(w, f"{which}_person")(role)
        done = merge(w.users[Role.ADMINISTRATOR], kept, second_record(w, which, role))
        return {"pk": kept.pk, "merge": done.pk}

    return made


def own_token(w: World, role: str) -> dict[str, Any]:
    return {"pk": create_token(w.users[role], "mine")[0].pk}


def someone_elses_token(w: World, role: str) -> dict[str, Any]:
    other = Role.IG_LEAD if role != Role.IG_LEAD else Role.CLINICIAN
    return {"pk": create_token(w.users[other], "theirs")[0].pk}


def pending_grant(w: World, role: str) -> dict[str, Any]:
    """A request to make the clinician a service manager, waiting for approval (one at a time)."""
    grant, _ = RoleGrant.objects.get_or_create(
        user=w.users[Role.CLINICIAN],
        status=GrantStatus.PENDING,
        defaults={
            "role": Role.SERVICE_MANAGER,
            "organisation": w.org1,
            "reaches": w.org1,
            "requested_by": w.users[Role.ADMINISTRATOR],
        },
    )
    return {"pk": grant.pk}


NEW_RECORDS: dict[str, Callable[[str], dict[str, Any]]] = {
    "episodes": lambda code: {
        "service": code,
        "episode_id": "NEW-1",
        "client_id": "N001",
        "referral_date": "2025-02-03",
        "referral_source": "self",
        "employment_status_at_referral": "unemployed",
    },
    "contacts": lambda code: {
        "service": code,
        "contact_id": "NEW-C",
        "date": "2025-02-03",
        "staff_id": "ES01",
        "contact_with": "employer",
        "mode": "phone",
        "purpose": "job_development",
    },
    "employers": lambda code: {"service": code, "employer_id": "NEW-E", "name": "Bakery"},
    "jobs": lambda code: {
        "service": code,
        "job_id": "NEW-J",
        "episode_id": "A001-1",
        "job_title": "Baker",
        "start_date": "2025-02-03",
        "competitive": True,
    },
    "admissions": lambda code: {
        "service": code,
        "admission_id": "NEW-H",
        "client_id": "A001",
        "admission_date": "2024-11-04",
        "discharge_date": "2024-11-20",
        "setting": "mental_health_inpatient",
    },
    "measures": lambda code: {
        "service": code,
        "measure_id": "NEW-M",
        "episode_id": "A001-1",
        "measure": "reqol_10",
        "date": "2025-02-03",
        "score": "20",
    },
    "staff": lambda code: {
        "service": code,
        "staff_id": "ES09",
        "name": "New Specialist",
        "role": "employment_specialist",
        "fte": "0.5",
    },
}


def edited(table: str) -> Callable[[str], dict[str, Any]]:
    """A valid edit of the world's record: the new record's body less its id, at version 1.
    The referral date stays (the episode's acceptance, not sent, must still follow it), and so
    does the person: an episode cannot move to another."""

    def body(code: str) -> dict[str, Any]:
        values = NEW_RECORDS[table](code)
        del values["service"], values[KEYS[table]]
        values.pop("referral_date", None)
        values.pop("client_id", None)
        return values | {"version": 1}

    return body


def creating(allowed: frozenset[str], table: str) -> Rule:
    return Rule(
        allowed, method="post", ok_status=201, api=True, body=NEW_RECORDS[table], foreign_body=True
    )


def editing(allowed: frozenset[str], table: str, kind: str) -> Rule:
    return Rule(
        allowed,
        method="put",
        api=True,
        own=visible(kind),
        foreign=hidden(kind),
        body=edited(table),
    )


def service_of(which: str, **extra: str) -> Kwargs:
    return lambda w, role: {"pk": getattr(w, f"service_{which}").pk, **extra}


def import_into(which: str) -> Kwargs:
    def kwargs(w: World, role: str) -> dict[str, Any]:
        job = ImportJob.objects.create(
            service=getattr(w, f"service_{which}"),
            uploaded_by=w.users[Role.SERVICE_MANAGER],
            file_name="records.zip",
            status=ImportStatus.REFUSED,
        )
        return {"pk": job.pk}

    return kwargs


def download_of(which: str) -> Kwargs:
    """A workbook this role's user asked for, ready, of service a (theirs) or b (not)."""

    def kwargs(w: World, role: str) -> dict[str, Any]:
        download = Download(
            service=getattr(w, f"service_{which}"),
            requested_by=w.users[role],
            status=DownloadStatus.READY,
            ready_at=timezone.now(),
        )
        download.file.save("book.xlsx", ContentFile(b"PK"), save=False)
        download.save()
        return {"pk": download.pk}

    return kwargs


def review_of(which: str, rated: bool = False) -> Kwargs:
    """A review of the service this role sees (or does not), with a reviewer for each role
    that can be one; `rated`: every reviewer has rated every item."""

    def kwargs(w: World, role: str) -> dict[str, Any]:
        person = w.visible_person(role) if which == "visible" else w.hidden_person(role)
        reviewers = [w.users[r] for r in sorted(REVIEWER_ROLES)]
        review = Review.objects.create(
            service=person.service,
            kind="external",
            scale_id="ips25-uk-1",
            visit_start=date(2025, 6, 2),
            visit_end=date(2025, 6, 3),
            planned_by=w.users[Role.TEAM_LEADER],
            status="in_progress" if rated else "planned",
        )
        review.reviewers.set(reviewers)
        if rated:
            Rating.objects.bulk_create(
                Rating(review=review, reviewer=r, item=i, rating=3)
                for r in reviewers
                for i in range(1, 26)
            )
        return {"pk": review.pk}

    return kwargs


def action_of(which: str) -> Kwargs:
    def kwargs(w: World, role: str) -> dict[str, Any]:
        review = Review.objects.get(pk=review_of(which)(w, role)["pk"])
        action = Action.objects.create(
            review=review, item=15, action="Weekly job search", owner="TL", due=date(2025, 9, 1)
        )
        return {"pk": action.pk}

    return kwargs


def appointment(which: str) -> Kwargs:
    """An appointment planned for today with the visible or hidden person."""

    def made(w: World, role: str) -> dict[str, Any]:
        from openips.casework.models import Appointment

        person = getattr(w, f"{which}_person")(role)
        planned = Appointment.objects.create(
            service=person.service,
            episode=w.episode(person),
            staff=person.service.staff.get(staff_id="ES01"),
            date=timezone.localdate(),
            time=time(10, 30),
            mode="face_to_face",
            purpose="engagement",
        )
        return {"pk": planned.pk}

    return made


def fhir_search(kind: str) -> Rule:
    """A FHIR search by the world's person A's NHS number: empty for a role that sees B."""
    name = "identifier" if kind == "patient" else "patient.identifier"
    query = f"?{name}=https://fhir.nhs.uk/Id/nhs-number|9990000018"
    return Rule(CLIENT_ROLES, api=True, query=query)


FHIR_RULES: dict[str, Rule] = {
    "fhir:metadata": Rule(public=True, api=True),
    "fhir:unknown": Rule(public=True, api=True, ok_status=404),  # an OperationOutcome
    "fhir:servicerequest_create": Rule(
        CASEWORK_ROLES | {Role.CLINICIAN},
        method="post",
        ok_status=201,
        api=True,
        body=lambda code: as_json(referral(service=code)),
        foreign_body=True,
    ),
    "fhir:servicerequest": scoped(CLIENT_ROLES, "episode", api=True),
    "fhir:task": scoped(CLIENT_ROLES, "episode", api=True),
    "fhir:task_search": Rule(CLIENT_ROLES, api=True, query="?based-on=ServiceRequest/1"),
    "fhir:patient": scoped(CLIENT_ROLES, "person", api=True),
    "fhir:episodeofcare": scoped(CLIENT_ROLES, "episode", api=True),
    "fhir:observation": scoped(CLIENT_ROLES, "episode", api=True),
    "fhir:encounter": scoped(CLIENT_ROLES, "contact", api=True),
} | {
    f"fhir:{kind}_search": fhir_search(kind)
    for kind in ("patient", "episodeofcare", "encounter", "observation")
}


def ig_person(in_scope: bool) -> Kwargs:
    return lambda w, role: {"pk": (w.person_a if in_scope else w.person_b).pk}


RULES: dict[str, Rule] = {
    "accounts:home": Rule(ALL_ROLES),
    "core:healthz": Rule(public=True),
    "core:accessibility": Rule(public=True),
    "accounts:sign_in": Rule(public=True),
    # Single sign-on is off in the test settings, so both are missing (tests/accounts/test_sso.py).
    "sso:start": Rule(public=True, ok_status=404),
    "sso:callback": Rule(public=True, ok_status=404),
    "accounts:sign_out": Rule(ALL_ROLES, method="post", ok_status=302),
    "accounts:two_factor_setup": Rule(ALL_ROLES),
    "accounts:two_factor_verify": Rule(ALL_ROLES),
    "accounts:account": Rule(ALL_ROLES),
    "accounts:password_change": Rule(ALL_ROLES),
    "accounts:token_revoke": Rule(
        ALL_ROLES, method="post", ok_status=302, own=own_token, foreign=someone_elses_token
    ),
    "research:mine": Rule(ALL_ROLES),
    "research:studies": Rule(frozenset({Role.ADMINISTRATOR})),
    "research:study_create": Rule(frozenset({Role.ADMINISTRATOR})),
    "research:study": Rule(
        frozenset({Role.ADMINISTRATOR}),
        own=lambda w, role: {"pk": a_study(w, role).pk},
        foreign=lambda w, role: {"pk": 10**9},
    ),
    "research:revoke": Rule(
        frozenset({Role.ADMINISTRATOR}), method="post", ok_status=302, own=study_access
    ),
    # Given per person and study, never by role: any role once named, and a study they are
    # not named on does not exist for them.
    "research:extract": Rule(
        ALL_ROLES,
        own=lambda w, role: {"pk": a_study(w, role, named=True).pk},
        foreign=lambda w, role: {"pk": a_study(w, role).pk},
    ),
    "accounts:users": Rule(frozenset({Role.ADMINISTRATOR})),
    "accounts:user_create": Rule(frozenset({Role.ADMINISTRATOR})),
    "accounts:user_edit": Rule(
        frozenset({Role.ADMINISTRATOR}),
        own=lambda w, role: {"pk": w.users[Role.CLINICIAN].pk},
        foreign=lambda w, role: {"pk": 10**9},
    ),
    "accounts:grant": Rule(
        frozenset({Role.ADMINISTRATOR}), own=pending_grant, foreign=lambda w, role: {"pk": 10**9}
    ),
    "clients:list": Rule(CLIENT_ROLES),
    "clients:search": Rule(CLIENT_ROLES),
    "record:person": Rule(CLIENT_ROLES, own=person("visible"), foreign=person("hidden")),
    "clients:refer": Rule(CASEWORK_ROLES | {Role.CLINICIAN}),
    "casework:caseload": Rule(CASEWORK_ROLES),
    "casework:team_caseload": Rule(CASEWORK_ROLES),
    "casework:my_week": Rule(CASEWORK_ROLES),
    "clients:refer_again": scoped(CASEWORK_ROLES, "person"),
    "clients:change_details": scoped(CASEWORK_ROLES, "person"),
    "clients:merge": scoped(MANAGER, "person"),
    "clients:merge_confirm": Rule(MANAGER, own=merge_pair("visible"), foreign=merge_pair("hidden")),
    "clients:merge_undo": Rule(
        MANAGER, method="post", ok_status=302, own=a_merge("visible"), foreign=a_merge("hidden")
    ),
    "clients:accept": scoped(CASEWORK_ROLES, "episode"),
    "clients:discharge": scoped(CASEWORK_ROLES, "episode"),
    "clients:context": scoped(CASEWORK_ROLES, "episode"),
    "clients:reassign": scoped(STAFF_ROLES, "episode"),
    "clients:retention_change": Rule(
        CASEWORK_ROLES, own=employed_at_referral("visible"), foreign=employed_at_referral("hidden")
    ),
    "clients:stay_create": scoped(CASEWORK_ROLES, "person"),
    "clients:stay_change": Rule(CASEWORK_ROLES, own=stay("visible"), foreign=stay("hidden")),
    "clients:measure_create": scoped(CASEWORK_ROLES, "episode"),
    "clients:measure_change": Rule(
        CASEWORK_ROLES, own=measure_score("visible"), foreign=measure_score("hidden")
    ),
    "casework:contact_create": scoped(CASEWORK_ROLES, "episode"),
    "casework:appointment_create": scoped(CASEWORK_ROLES, "episode"),
    "casework:appointment_outcome": Rule(
        CASEWORK_ROLES, own=appointment("visible"), foreign=appointment("hidden")
    ),
    "casework:appointment_cancel": Rule(
        CASEWORK_ROLES, own=appointment("visible"), foreign=appointment("hidden")
    ),
    "clients:stop_messages": Rule(
        CASEWORK_ROLES,
        method="post",
        ok_status=302,
        own=person("visible"),
        foreign=person("hidden"),
    ),
    # GOV.UK Notify's delivery receipts: no session, a bearer token instead (401 without it).
    "messaging:notify_receipts": Rule(public=True, method="post", ok_status=401),
    "casework:contact_change": scoped(CASEWORK_ROLES, "contact"),
    "casework:contact_delete": scoped(CASEWORK_ROLES, "contact"),
    "casework:profile": scoped(CASEWORK_ROLES, "episode"),
    "casework:intervention_create": scoped(CASEWORK_ROLES, "episode"),
    "benefits:estimate": scoped(CASEWORK_ROLES, "episode"),
    "benefits:saved": Rule(CASEWORK_ROLES, own=estimate("visible"), foreign=estimate("hidden")),
    "employment:job_start": scoped(CASEWORK_ROLES, "episode"),
    "employment:job_end": scoped(CASEWORK_ROLES, "job"),
    "employment:job_change": scoped(CASEWORK_ROLES, "job"),
    "employment:employment_record": Rule(
        CASEWORK_ROLES, own=employment_record("visible"), foreign=employment_record("hidden")
    ),
    "casework:lead_create": Rule(
        CASEWORK_ROLES,
        method="post",
        ok_status=200,
        own=visible("employer"),
        foreign=hidden("employer"),
    ),
    "casework:employers": Rule(EMPLOYER_ROLES),
    "casework:employer": scoped(EMPLOYER_ROLES, "employer"),
    "casework:employer_create": Rule(CASEWORK_ROLES),
    "accounts:services": Rule(ALL_ROLES),
    # Administrators see every service: none is outside, so a missing one stands for it.
    "accounts:service_programme": Rule(
        frozenset({Role.ADMINISTRATOR}),
        own=service_of("a"),
        foreign=lambda w, role: {"pk": 10**9},
    ),
    "api:api-root": Rule(public=True, api=True, ok_status=404),  # nothing lives at the root
    "api:openapi-json": Rule(public=True, api=True),
    "api:episodes": Rule(CLIENT_ROLES, api=True),
    "api:episode": scoped(CLIENT_ROLES, "episode", api=True),
    "api:contacts": Rule(CASEWORK_ROLES, api=True),
    "api:contact": scoped(CASEWORK_ROLES, "contact", api=True),
    "api:employers": Rule(EMPLOYER_ROLES, api=True),
    "api:employer": scoped(EMPLOYER_ROLES, "employer", api=True),
    "api:jobs": Rule(CLIENT_ROLES, api=True),
    "api:job": scoped(CLIENT_ROLES, "job", api=True),
    "api:admissions": Rule(CLIENT_ROLES, api=True),
    "api:admission": Rule(CLIENT_ROLES, api=True, own=stay("visible"), foreign=stay("hidden")),
    "api:measures": Rule(CLIENT_ROLES, api=True),
    "api:measure": Rule(
        CLIENT_ROLES, api=True, own=measure_score("visible"), foreign=measure_score("hidden")
    ),
    "api:staff_list": Rule(ALL_ROLES, api=True),
    "api:staff": Rule(ALL_ROLES, api=True, own=visible("staff"), foreign=staff_outside_view),
    "api:create_episode": creating(CASEWORK_ROLES, "episodes"),
    "api:update_episode": editing(CASEWORK_ROLES, "episodes", "episode"),
    "api:create_contact": creating(CASEWORK_ROLES, "contacts"),
    "api:update_contact": editing(CASEWORK_ROLES, "contacts", "contact"),
    "api:create_employer": creating(CASEWORK_ROLES, "employers"),
    "api:update_employer": editing(CASEWORK_ROLES, "employers", "employer"),
    "api:create_job": creating(CASEWORK_ROLES, "jobs"),
    "api:update_job": editing(CASEWORK_ROLES, "jobs", "job"),
    "api:create_admission": creating(CASEWORK_ROLES, "admissions"),
    "api:update_admission": Rule(
        CASEWORK_ROLES,
        method="put",
        api=True,
        own=stay("visible"),
        foreign=stay("hidden"),
        body=edited("admissions"),
    ),
    "api:create_measure": creating(CASEWORK_ROLES, "measures"),
    "api:update_measure": Rule(
        CASEWORK_ROLES,
        method="put",
        api=True,
        own=measure_score("visible"),
        foreign=measure_score("hidden"),
        body=edited("measures"),
    ),
    "api:create_staff": creating(STAFF_ROLES, "staff"),
    "api:update_staff": editing(STAFF_ROLES, "staff", "staff"),
    "interchange:service_data": Rule(MANAGER, own=service_of("a"), foreign=service_of("b")),
    "interchange:export": Rule(
        MANAGER, own=service_of("a", format="zip"), foreign=service_of("b", format="zip")
    ),
    "interchange:import_job": Rule(MANAGER, own=import_into("a"), foreign=import_into("b")),
    "interchange:ask_for_workbook": Rule(
        MANAGER, method="post", ok_status=302, own=service_of("a"), foreign=service_of("b")
    ),
    "interchange:download": Rule(MANAGER, own=download_of("a"), foreign=download_of("b")),
    "interchange:download_file": Rule(MANAGER, own=download_of("a"), foreign=download_of("b")),
    "mhsds:extract": Rule(MANAGER, own=service_of("a"), foreign=service_of("b")),
    "mhsds:reconcile": Rule(MANAGER, own=service_of("a"), foreign=service_of("b")),
    "mhsds:settings": Rule(MANAGER, own=service_of("a"), foreign=service_of("b")),
    "outcomes:index": Rule(OUTCOME_ROLES),
    "outcomes:service": Rule(
        OUTCOME_ROLES,
        own=lambda w, role: {"pk": w.visible(role, "person").service_id},
        foreign=lambda w, role: {"pk": w.hidden(role, "person").service_id},
    ),
    "outcomes:long_term": Rule(
        OUTCOME_ROLES,
        own=lambda w, role: {"pk": w.visible(role, "person").service_id},
        foreign=lambda w, role: {"pk": w.hidden(role, "person").service_id},
    ),
    "outcomes:network": Rule(frozenset({Role.COMMISSIONER})),
    "outcomes:network_savings": Rule(frozenset({Role.COMMISSIONER})),
    "outcomes:savings": Rule(
        OUTCOME_ROLES,
        own=lambda w, role: {"pk": w.visible(role, "person").service_id},
        foreign=lambda w, role: {"pk": w.hidden(role, "person").service_id},
    ),
    "outcomes:returns": Rule(RETURN_ROLES),
    "outcomes:return_download": Rule(
        RETURN_ROLES,
        own=lambda w, role: {"kind": "ips-grow", "quarter": "2024-25-Q4", "format": "csv"},
    ),
    "fidelity:index": Rule(OUTCOME_ROLES),
    "fidelity:plan": Rule(STAFF_ROLES),
    "fidelity:review": Rule(OUTCOME_ROLES, own=review_of("visible"), foreign=review_of("hidden")),
    "fidelity:report": Rule(OUTCOME_ROLES, own=review_of("visible"), foreign=review_of("hidden")),
    "fidelity:data_pack": Rule(
        OUTCOME_ROLES, own=review_of("visible"), foreign=review_of("hidden")
    ),
    "fidelity:rate": Rule(REVIEWER_ROLES, own=review_of("visible"), foreign=review_of("hidden")),
    "fidelity:agree": Rule(
        REVIEWER_ROLES, own=review_of("visible", rated=True), foreign=review_of("hidden", True)
    ),
    "fidelity:publish": Rule(
        REVIEWER_ROLES,
        method="post",
        ok_status=302,
        own=review_of("visible"),
        foreign=review_of("hidden"),
    ),
    "fidelity:action_create": Rule(
        REVIEWER_ROLES, method="post", own=review_of("visible"), foreign=review_of("hidden")
    ),
    "fidelity:action_status": Rule(
        REVIEWER_ROLES,
        method="post",
        ok_status=302,
        own=action_of("visible"),
        foreign=action_of("hidden"),
    ),
    "fidelity:estimates": Rule(
        OUTCOME_ROLES,
        own=lambda w, role: {"pk": w.visible(role, "person").service_id},
        foreign=lambda w, role: {"pk": w.hidden(role, "person").service_id},
    ),
    "fidelity:estimate_records": Rule(
        OUTCOME_ROLES,
        own=lambda w, role: {"pk": w.visible(role, "person").service_id, "item": 15},
        foreign=lambda w, role: {"pk": w.hidden(role, "person").service_id, "item": 15},
    ),
    "governance:search": Rule(frozenset({Role.IG_LEAD})),
    "governance:person": Rule(
        frozenset({Role.IG_LEAD}), own=ig_person(True), foreign=ig_person(False)
    ),
    "governance:subject_access": Rule(
        frozenset({Role.IG_LEAD}), own=ig_person(True), foreign=ig_person(False)
    ),
    "governance:anonymise": Rule(
        frozenset({Role.IG_LEAD}),
        method="post",
        ok_status=302,
        own=ig_person(True),
        foreign=ig_person(False),
    ),
    "governance:access_grants": Rule(frozenset({Role.IG_LEAD})),
    "governance:user": Rule(
        frozenset({Role.IG_LEAD}),
        own=lambda w, role: {"pk": w.users[Role.EMPLOYMENT_SPECIALIST].pk},
        foreign=lambda w, role: {"pk": w.users[Role.COMMISSIONER].pk},
    ),
    **FHIR_RULES,
}


def url_names(patterns: list[Any] | None = None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= url_names(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern):
            assert entry.name, f"URL pattern {entry.pattern} has no name, so it cannot have a rule"
            names.add(namespace + entry.name)
    return names


def test_every_url_has_an_access_rule() -> None:
    names = url_names()
    assert names - RULES.keys() == set(), "add a rule to RULES for each new URL"
    assert RULES.keys() - names == set(), "RULES names a URL that no longer exists"


def fetch(client: Client, rule: Rule, url: str, service: str = "svc-a") -> Any:
    url += rule.query
    if rule.body is None:
        return getattr(client, rule.method)(url)
    return getattr(client, rule.method)(
        url, data=rule.body(service), content_type="application/json"
    )


@pytest.mark.parametrize("name", sorted(RULES))
def test_anonymous(name: str, world: World) -> None:
    rule = RULES[name]
    kwargs = rule.own(world, Role.IG_LEAD) if rule.own else {}
    response = fetch(Client(), rule, reverse(name, kwargs=kwargs))
    if rule.public:
        assert response.status_code == rule.ok_status
    elif rule.api:
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign_in") + "?next=")


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
@pytest.mark.parametrize("name", sorted(name for name, rule in RULES.items() if not rule.public))
def test_signed_in(name: str, role: str, world: World) -> None:
    rule = RULES[name]
    client = signed_in(world.users[role])
    own = rule.own(world, role) if rule.own else {}
    response = fetch(client, rule, reverse(name, kwargs=own))
    if role not in rule.allowed:
        assert response.status_code == 403, f"{role} must not reach {name}"
        return
    assert response.status_code == rule.ok_status, f"{role} should reach {name}"
    if rule.foreign_body:
        response = fetch(signed_in(world.users[role]), rule, reverse(name), service="svc-b")
        assert response.status_code == 404, f"{role} must get 404 writing to another service"
    outside = rule.foreign(world, role) if rule.foreign else None
    if outside is not None:
        response = fetch(signed_in(world.users[role]), rule, reverse(name, kwargs=outside))
        assert response.status_code == 404, f"{role} must get 404 for a record outside their scope"
