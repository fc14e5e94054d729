from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from openips.accounts.queries import services_with_client_access
from openips.accounts.roles import Capability, Role
from openips.api.base import Page, caller, record_id, responses, viewed
from openips.clients.models import Episode
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
    def resolve_nhs_number(obj: Episode, context: Any) -> str:
        return _of_person(obj, context, "nhs_number")  # type: ignore[no-any-return]

    @staticmethod
    def resolve_date_of_birth(obj: Episode, context: Any) -> date | None:
        return _of_person(obj, context, "date_of_birth")  # type: ignore[no-any-return]

    @staticmethod
    def resolve_gender(obj: Episode, context: Any) -> str:
        return _of_person(obj, context, "gender")  # type: ignore[no-any-return]

    @staticmethod
    def resolve_ethnicity(obj: Episode, context: Any) -> str:
        return _of_person(obj, context, "ethnicity")  # type: ignore[no-any-return]

    @staticmethod
    def resolve_phone(obj: Episode, context: Any) -> str:
        return _of_person(obj, context, "phone")  # type: ignore[no-any-return]

    @staticmethod
    def resolve_email(obj: Episode, context: Any) -> str:
        return _of_person(obj, context, "email")  # type: ignore[no-any-return]

    @staticmethod
    def resolve_address(obj: Episode, context: Any) -> str:
        return _of_person(obj, context, "address")  # type: ignore[no-any-return]

    @staticmethod
    def resolve_postcode(obj: Episode, context: Any) -> str:
        return _of_person(obj, context, "postcode")  # type: ignore[no-any-return]

    @staticmethod
    def resolve_preferred_contact(obj: Episode, context: Any) -> str:
        return _of_person(obj, context, "preferred_contact")  # type: ignore[no-any-return]

    @staticmethod
    def resolve_message_consent(obj: Episode, context: Any) -> bool | None:
        return _of_person(obj, context, "message_consent")  # type: ignore[no-any-return]

    @staticmethod
    def resolve_employment_specialist(obj: Episode) -> str | None:
        return obj.employment_specialist.staff_id if obj.employment_specialist else None

    @staticmethod
    def resolve_clinical_team(obj: Episode) -> str | None:
        return obj.clinical_team.name if obj.clinical_team else None


def _of_person(episode: Episode, context: Any, name: str) -> Any:
    """The person's own details; a clinician's team gets the summary the record page shows them,
    without identifiers or contact details (it keeps its own clinical record)."""
    request = (context or {}).get("request")
    user = getattr(request, "auth", None)
    if user is not None and user.role == Role.CLINICIAN:
        return None if name in ("date_of_birth", "message_consent") else ""
    return getattr(episode.person, name)


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
