from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from ninja import Schema

from openips.accounts.models import User
from openips.accounts.queries import services_in_view
from openips.accounts.roles import Capability
from openips.api.resources import Resource, serve
from openips.organisations.models import StaffMember


class StaffOut(Schema):
    id: int
    service: str
    staff_id: str
    name: str
    role: str
    fte: Decimal | None
    start_date: date | None
    end_date: date | None
    version: int

    @staticmethod
    def resolve_service(obj: StaffMember) -> str:
        return obj.service.code


def _staff(user: User) -> QuerySet[StaffMember]:
    return (
        StaffMember.objects.filter(service__in=services_in_view(user))
        .select_related("service")
        .order_by("pk")
    )


STAFF = Resource(
    one="staff",
    many="staff",
    out=StaffOut,
    read=Capability.VIEW_SERVICES,
    scope=_staff,
    write=Capability.MANAGE_STAFF,
    services=services_in_view,
    list_url_name="staff_list",
    about_people=False,
)
router = serve(__name__, "staff", STAFF)
