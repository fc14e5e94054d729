from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from ninja import Schema

from openips.accounts.models import User
from openips.accounts.queries import services_with_client_access
from openips.accounts.roles import Capability, Role
from openips.api.resources import Resource, serve
from openips.clients.models import Episode


def _of_person(name: str) -> staticmethod[[Episode, Any], Any]:
    """A resolver for one of the person's own details; a clinician's team gets the summary the
    record page shows them, without identifiers or contact details (it keeps its own clinical
    record)."""

    def resolve(obj: Episode, context: Any) -> Any:
        request = (context or {}).get("request")
        user = getattr(request, "auth", None)
        if user is not None and user.role == Role.CLINICIAN:
            return None if name in ("date_of_birth", "message_consent") else ""
        return getattr(obj.person, name)

    return staticmethod(resolve)


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

    resolve_nhs_number = _of_person("nhs_number")
    resolve_date_of_birth = _of_person("date_of_birth")
    resolve_gender = _of_person("gender")
    resolve_ethnicity = _of_person("ethnicity")
    resolve_phone = _of_person("phone")
    resolve_email = _of_person("email")
    resolve_address = _of_person("address")
    resolve_postcode = _of_person("postcode")
    resolve_preferred_contact = _of_person("preferred_contact")
    resolve_message_consent = _of_person("message_consent")

    @staticmethod
    def resolve_client_id(obj: Episode) -> str:
        return obj.person.client_id

    @staticmethod
    def resolve_employment_specialist(obj: Episode) -> str | None:
        return obj.employment_specialist.staff_id if obj.employment_specialist else None

    @staticmethod
    def resolve_clinical_team(obj: Episode) -> str | None:
        return obj.clinical_team.name if obj.clinical_team else None


def _episodes(user: User) -> QuerySet[Episode]:
    return (
        Episode.objects.visible_to(user)
        .select_related("person", "employment_specialist", "clinical_team")
        .order_by("pk")
    )


EPISODES = Resource(
    one="episode",
    many="episodes",
    out=EpisodeOut,
    read=Capability.VIEW_CLIENTS,
    scope=_episodes,
    write=Capability.RECORD_CASEWORK,
    services=services_with_client_access,
)
router = serve(__name__, "episodes", EPISODES)
