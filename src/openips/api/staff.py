from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from openips.accounts.queries import services_in_view
from openips.accounts.roles import Capability
from openips.api.base import Page, caller, record_id, responses
from openips.interchange import api as writes
from openips.organisations.models import StaffMember

router = Router(tags=["staff"])


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


def _staff(request: HttpRequest) -> QuerySet[StaffMember]:
    user = caller(request, Capability.VIEW_SERVICES)
    return (
        StaffMember.objects.filter(service__in=services_in_view(user))
        .select_related("service")
        .order_by("pk")
    )


@router.get("/staff", response=responses(list[StaffOut]), url_name="staff_list")
@paginate(Page)
def list_staff(request: HttpRequest) -> QuerySet[StaffMember]:
    return _staff(request)


@router.get("/staff/{pk}", response=responses(StaffOut), url_name="staff")
def get_staff(request: HttpRequest, pk: int = record_id()) -> StaffMember:
    return get_object_or_404(_staff(request), pk=pk)


StaffNew = writes.input_schema("staff", "StaffNew", update=False)
StaffUpdate = writes.input_schema("staff", "StaffUpdate", update=True)


@router.post("/staff", response=responses(StaffOut, 201))
def create_staff(request: HttpRequest, payload: StaffNew) -> Status[StaffMember]:  # type: ignore[valid-type]
    user = caller(request, Capability.MANAGE_STAFF)
    return writes.create(request, services_in_view(user), "staff", payload)


@router.put("/staff/{pk}", response=responses(StaffOut, edits=True))
def update_staff(request: HttpRequest, payload: StaffUpdate, pk: int = record_id()) -> StaffMember:  # type: ignore[valid-type]
    caller(request, Capability.MANAGE_STAFF)
    current = get_object_or_404(_staff(request), pk=pk)
    return writes.update(request, current, "staff", payload)  # type: ignore[no-any-return]
