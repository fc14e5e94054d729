from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from openips.accounts.queries import services_with_client_access
from openips.accounts.roles import Capability
from openips.api.base import Page, caller, record_id, responses, viewed
from openips.employment.models import Employer, Job
from openips.interchange import api as writes

router = Router(tags=["employers and jobs"])


class EmployerOut(Schema):
    id: int
    employer_id: str
    name: str
    sector: str
    postcode_district: str
    version: int


class JobOut(Schema):
    id: int
    job_id: str
    episode_id: str
    employer_id: str | None
    job_title: str
    job_type: str
    start_date: date
    start_confirmed: bool
    end_date: date | None
    end_reason: str
    hours_per_week: Decimal | None
    hourly_pay: Decimal | None
    competitive: bool
    permanent: bool | None
    version: int

    @staticmethod
    def resolve_episode_id(obj: Job) -> str:
        return obj.episode.episode_id

    @staticmethod
    def resolve_employer_id(obj: Job) -> str | None:
        return obj.employer.employer_id if obj.employer else None


def _employers(request: HttpRequest) -> QuerySet[Employer]:
    user = caller(request, Capability.VIEW_EMPLOYERS)
    return Employer.objects.filter(service__in=services_with_client_access(user)).order_by("pk")


def _jobs(request: HttpRequest) -> QuerySet[Job]:
    user = caller(request, Capability.VIEW_CLIENTS)
    return Job.objects.visible_to(user).select_related("episode", "employer").order_by("pk")


@router.get("/employers", response=responses(list[EmployerOut]), url_name="employers")
@paginate(Page)
def list_employers(request: HttpRequest) -> QuerySet[Employer]:
    return _employers(request)


@router.get("/employers/{pk}", response=responses(EmployerOut), url_name="employer")
def get_employer(request: HttpRequest, pk: int = record_id()) -> Employer:
    return get_object_or_404(_employers(request), pk=pk)


@router.get("/jobs", response=responses(list[JobOut]), url_name="jobs")
@paginate(Page)
def list_jobs(request: HttpRequest) -> QuerySet[Job]:
    return _jobs(request)


@router.get("/jobs/{pk}", response=responses(JobOut), url_name="job")
def get_job(request: HttpRequest, pk: int = record_id()) -> Job:
    return viewed(request, get_object_or_404(_jobs(request), pk=pk))


EmployerNew = writes.input_schema("employers", "EmployerNew", update=False)
EmployerUpdate = writes.input_schema("employers", "EmployerUpdate", update=True)
JobNew = writes.input_schema("jobs", "JobNew", update=False)
JobUpdate = writes.input_schema("jobs", "JobUpdate", update=True)


@router.post("/employers", response=responses(EmployerOut, 201))
def create_employer(request: HttpRequest, payload: EmployerNew) -> Status[Employer]:  # type: ignore[valid-type]
    user = caller(request, Capability.RECORD_CASEWORK)
    return writes.create(request, services_with_client_access(user), "employers", payload)


@router.put("/employers/{pk}", response=responses(EmployerOut, edits=True))
def update_employer(
    request: HttpRequest,
    payload: EmployerUpdate,  # type: ignore[valid-type]
    pk: int = record_id(),
) -> Employer:
    caller(request, Capability.RECORD_CASEWORK)
    current = get_object_or_404(_employers(request), pk=pk)
    return writes.update(request, current, "employers", payload)  # type: ignore[no-any-return]


@router.post("/jobs", response=responses(JobOut, 201))
def create_job(request: HttpRequest, payload: JobNew) -> Status[Job]:  # type: ignore[valid-type]
    user = caller(request, Capability.RECORD_CASEWORK)
    return writes.create(request, services_with_client_access(user), "jobs", payload)


@router.put("/jobs/{pk}", response=responses(JobOut, edits=True))
def update_job(request: HttpRequest, payload: JobUpdate, pk: int = record_id()) -> Job:  # type: ignore[valid-type]
    caller(request, Capability.RECORD_CASEWORK)
    current = get_object_or_404(_jobs(request), pk=pk)
    return writes.update(request, current, "jobs", payload)  # type: ignore[no-any-return]
