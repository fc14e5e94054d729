from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from openips.accounts.queries import services_in_view
from openips.accounts.roles import Capability
from openips.core.api import Page, caller, record_id, responses
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
