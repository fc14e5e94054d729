from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from ninja import Schema

from openips.accounts.models import User
from openips.accounts.queries import services_with_client_access
from openips.accounts.roles import Capability
from openips.api.resources import Resource, serve
from openips.employment.models import Employer, Job


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


def _employers(user: User) -> QuerySet[Employer]:
    return Employer.objects.filter(service__in=services_with_client_access(user)).order_by("pk")


def _jobs(user: User) -> QuerySet[Job]:
    return Job.objects.visible_to(user).select_related("episode", "employer").order_by("pk")


EMPLOYERS = Resource(
    one="employer",
    many="employers",
    out=EmployerOut,
    read=Capability.VIEW_EMPLOYERS,
    scope=_employers,
    write=Capability.RECORD_CASEWORK,
    services=services_with_client_access,
    about_people=False,
)
JOBS = Resource(
    one="job",
    many="jobs",
    out=JobOut,
    read=Capability.VIEW_CLIENTS,
    scope=_jobs,
    write=Capability.RECORD_CASEWORK,
    services=services_with_client_access,
)
router = serve(__name__, "employers and jobs", EMPLOYERS, JOBS)
