"""A specialist's week: their contacts, and the team's face-to-face employer contacts against
the IPS target of 6 per specialist per week (fidelity item 17)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q

from openips.casework.codes import ContactWith, Mode
from openips.casework.models import Contact, live_contacts
from openips.organisations.models import StaffMember, StaffRole

EMPLOYER_CONTACT_TARGET = 6


def week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


@dataclass
class TeamMemberWeek:
    staff: StaffMember
    employer_face_to_face: int

    @property
    def met_target(self) -> bool:
        return self.employer_face_to_face >= EMPLOYER_CONTACT_TARGET


def team_week(service_id: int, monday: date) -> list[TeamMemberWeek]:
    sunday = monday + timedelta(days=6)
    counted = live_contacts() & Q(
        contacts__contact_with=ContactWith.EMPLOYER,
        contacts__mode=Mode.FACE_TO_FACE,
        contacts__attended=True,
        contacts__date__range=(monday, sunday),
    )
    specialists = StaffMember.objects.filter(
        service_id=service_id,
        role=StaffRole.EMPLOYMENT_SPECIALIST,
        end_date__isnull=True,
    ).annotate(employer_f2f=Count("contacts", filter=counted))
    return [TeamMemberWeek(s, s.employer_f2f) for s in specialists]


def my_contacts(staff: StaffMember, monday: date) -> list[Contact]:
    return list(
        Contact.objects.filter(staff=staff, date__range=(monday, monday + timedelta(days=6)))
        .select_related("employer", "episode__person")
        .order_by("date", "pk")
    )
