"""Hospital stays and outcome-measure scores, as the clinical record holds them: the
interchange's admissions.csv and measures.csv, record by record."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from ninja import Schema

from openips.accounts.models import User
from openips.accounts.queries import services_with_client_access
from openips.accounts.roles import Capability
from openips.api.resources import Resource, serve
from openips.clients.models import HospitalStay, MeasureScore


class AdmissionOut(Schema):
    id: int
    admission_id: str
    client_id: str
    admission_date: date
    discharge_date: date | None
    setting: str
    version: int

    @staticmethod
    def resolve_client_id(obj: HospitalStay) -> str:
        return obj.person.client_id


class MeasureOut(Schema):
    id: int
    measure_id: str
    episode_id: str
    measure: str
    date: date
    score: Decimal
    version: int

    @staticmethod
    def resolve_episode_id(obj: MeasureScore) -> str:
        return obj.episode.episode_id


def _stays(user: User) -> QuerySet[HospitalStay]:
    return HospitalStay.objects.visible_to(user).select_related("person").order_by("pk")


def _scores(user: User) -> QuerySet[MeasureScore]:
    return MeasureScore.objects.visible_to(user).select_related("episode").order_by("pk")


ADMISSIONS = Resource(
    one="admission",
    many="admissions",
    out=AdmissionOut,
    read=Capability.VIEW_CLIENTS,
    scope=_stays,
    write=Capability.RECORD_CASEWORK,
    services=services_with_client_access,
)
MEASURES = Resource(
    one="measure",
    many="measures",
    out=MeasureOut,
    read=Capability.VIEW_CLIENTS,
    scope=_scores,
    write=Capability.RECORD_CASEWORK,
    services=services_with_client_access,
)
router = serve(__name__, "hospital stays and outcome measures", ADMISSIONS, MEASURES)
