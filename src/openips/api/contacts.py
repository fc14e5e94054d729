from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from ninja import Schema

from openips.accounts.models import User
from openips.accounts.queries import services_with_client_access
from openips.accounts.roles import Capability
from openips.api.resources import Resource, serve
from openips.casework.models import Contact


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


def _contacts(user: User) -> QuerySet[Contact]:
    return (
        Contact.objects.visible_to(user)
        .select_related("staff", "episode", "employer")
        .order_by("pk")
    )


CONTACTS = Resource(
    one="contact",
    many="contacts",
    out=ContactOut,
    read=Capability.RECORD_CASEWORK,
    scope=_contacts,
    write=Capability.RECORD_CASEWORK,
    services=services_with_client_access,
)
router = serve(__name__, "contacts", CONTACTS)
