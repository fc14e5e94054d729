from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from openips.accounts.queries import services_with_client_access
from openips.accounts.roles import Capability
from openips.api.base import Page, caller, record_id, responses, viewed
from openips.casework.models import Contact
from openips.interchange import api as writes

router = Router(tags=["contacts"])


class ContactOut(Schema):
    id: int
    contact_id: str
    date: date
    staff_id: str
    contact_with: str
    episode_id: str | None
    employer_id: str | None
    mode: str
    setting: str
    minutes: int | None
    purpose: str
    attended: bool
    matches_preferences: bool | None
    version: int

    @staticmethod
    def resolve_staff_id(obj: Contact) -> str:
        return obj.staff.staff_id

    @staticmethod
    def resolve_episode_id(obj: Contact) -> str | None:
        return obj.episode.episode_id if obj.episode else None

    @staticmethod
    def resolve_employer_id(obj: Contact) -> str | None:
        return obj.employer.employer_id if obj.employer else None


def _contacts(request: HttpRequest) -> QuerySet[Contact]:
    user = caller(request, Capability.RECORD_CASEWORK)
    return (
        Contact.objects.visible_to(user)
        .select_related("staff", "episode", "employer")
        .order_by("pk")
    )


@router.get("/contacts", response=responses(list[ContactOut]), url_name="contacts")
@paginate(Page)
def list_contacts(request: HttpRequest) -> QuerySet[Contact]:
    return _contacts(request)


@router.get("/contacts/{pk}", response=responses(ContactOut), url_name="contact")
def get_contact(request: HttpRequest, pk: int = record_id()) -> Contact:
    return viewed(request, get_object_or_404(_contacts(request), pk=pk))


ContactNew = writes.input_schema("contacts", "ContactNew", update=False)
ContactUpdate = writes.input_schema("contacts", "ContactUpdate", update=True)


@router.post("/contacts", response=responses(ContactOut, 201))
def create_contact(request: HttpRequest, payload: ContactNew) -> Status[Contact]:  # type: ignore[valid-type]
    user = caller(request, Capability.RECORD_CASEWORK)
    return writes.create(request, services_with_client_access(user), "contacts", payload)


@router.put("/contacts/{pk}", response=responses(ContactOut, edits=True))
def update_contact(request: HttpRequest, payload: ContactUpdate, pk: int = record_id()) -> Contact:  # type: ignore[valid-type]
    current = get_object_or_404(_contacts(request), pk=pk)
    return writes.update(request, current, "contacts", payload)  # type: ignore[no-any-return]
