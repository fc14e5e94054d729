from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from openips.accounts.queries import services_with_client_access
from openips.accounts.roles import Capability
from openips.clients.models import Episode
from openips.core.api import Page, caller, record_id, responses, viewed
from openips.interchange import api as writes

router = Router(tags=["episodes"])


class EpisodeOut(Schema):
    """Every column an update takes, so what is read can be sent back unchanged."""

    id: int
    episode_id: str
    client_id: str
    nhs_number: str
    date_of_birth: date | None
    gender: str
    ethnicity: str
    referral_date: date
    referral_source: str
    employment_status_at_referral: str
    accepted_date: date | None
    employment_specialist: str | None
    clinical_team: str | None
    vocational_profile_date: date | None
    discharge_date: date | None
    discharge_reason: str
    phone: str
    email: str
    address: str
    postcode: str
    preferred_contact: str
    message_consent: bool | None
    version: int

    @staticmethod
    def resolve_client_id(obj: Episode) -> str:
        return obj.person.client_id

    @staticmethod
    def resolve_nhs_number(obj: Episode) -> str:
        return obj.person.nhs_number

    @staticmethod
    def resolve_date_of_birth(obj: Episode) -> date | None:
        return obj.person.date_of_birth

    @staticmethod
    def resolve_gender(obj: Episode) -> str:
        return obj.person.gender

    @staticmethod
    def resolve_ethnicity(obj: Episode) -> str:
        return obj.person.ethnicity

    @staticmethod
    def resolve_phone(obj: Episode) -> str:
        return obj.person.phone

    @staticmethod
    def resolve_email(obj: Episode) -> str:
        return obj.person.email

    @staticmethod
    def resolve_address(obj: Episode) -> str:
        return obj.person.address

    @staticmethod
    def resolve_postcode(obj: Episode) -> str:
        return obj.person.postcode

    @staticmethod
    def resolve_preferred_contact(obj: Episode) -> str:
        return obj.person.preferred_contact

    @staticmethod
    def resolve_message_consent(obj: Episode) -> bool | None:
        return obj.person.message_consent

    @staticmethod
    def resolve_employment_specialist(obj: Episode) -> str | None:
        return obj.employment_specialist.staff_id if obj.employment_specialist else None

    @staticmethod
    def resolve_clinical_team(obj: Episode) -> str | None:
        return obj.clinical_team.name if obj.clinical_team else None


def _episodes(request: HttpRequest) -> QuerySet[Episode]:
    user = caller(request, Capability.VIEW_CLIENTS)
    return (
        Episode.objects.visible_to(user)
        .select_related("person", "employment_specialist", "clinical_team")
        .order_by("pk")
    )


@router.get("/episodes", response=responses(list[EpisodeOut]), url_name="episodes")
@paginate(Page)
def list_episodes(request: HttpRequest) -> QuerySet[Episode]:
    return _episodes(request)


@router.get("/episodes/{pk}", response=responses(EpisodeOut), url_name="episode")
def get_episode(request: HttpRequest, pk: int = record_id()) -> Episode:
    return viewed(request, get_object_or_404(_episodes(request), pk=pk))


EpisodeNew = writes.input_schema("episodes", "EpisodeNew", update=False)
EpisodeUpdate = writes.input_schema("episodes", "EpisodeUpdate", update=True)


@router.post("/episodes", response=responses(EpisodeOut, 201))
def create_episode(request: HttpRequest, payload: EpisodeNew) -> Status[Episode]:  # type: ignore[valid-type]
    user = caller(request, Capability.RECORD_CASEWORK)
    return writes.create(request, services_with_client_access(user), "episodes", payload)


@router.put("/episodes/{pk}", response=responses(EpisodeOut, edits=True))
def update_episode(request: HttpRequest, payload: EpisodeUpdate, pk: int = record_id()) -> Episode:  # type: ignore[valid-type]
    caller(request, Capability.RECORD_CASEWORK)
    current = get_object_or_404(_episodes(request), pk=pk)
    return writes.update(request, current, "episodes", payload)  # type: ignore[no-any-return]
