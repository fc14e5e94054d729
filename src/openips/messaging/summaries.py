"""The weekly email to each employment specialist and team leader: how many of their caseload's
prompts are due or overdue, by kind, and a link to the caseload. Counts only, no names."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse

from openips.accounts.models import User
from openips.accounts.roles import Role
from openips.casework.caseload import PromptKind, caseload
from openips.core.formatting import format_date
from openips.messaging.backends import Backend, backend
from openips.messaging.catalogue import WEEKLY_SUMMARY_EMAIL
from openips.messaging.sending import Outgoing, send
from openips.organisations.models import StaffMember

ROLES = (Role.EMPLOYMENT_SPECIALIST, Role.TEAM_LEADER)


def address_of(user: User, staff: StaffMember | None) -> str:
    return (user.email or (staff.work_email if staff else "")).strip()


def summary_for(user: User, staff: StaffMember | None, today: date) -> Outgoing | None:
    """None for someone with no address, or nothing due: no email saying there is nothing."""
    to = address_of(user, staff)
    if not to or (user.role == Role.EMPLOYMENT_SPECIALIST and staff is None):
        return None
    own = staff if user.role == Role.EMPLOYMENT_SPECIALIST else None  # a leader: the team's
    rows, _ = caseload(user, today, own)
    prompts = [p for row in rows for p in row.prompts]
    if not prompts:
        return None
    kinds = Counter(p.kind for p in prompts)
    year, week, _ = today.isocalendar()
    monday = today - timedelta(days=today.weekday())
    page = "casework:caseload" if own else "casework:team_caseload"
    personalisation = WEEKLY_SUMMARY_EMAIL.personalise(
        first_name=user.first_name.strip() or user.get_username(),
        week_of=format_date(monday),
        total=str(len(prompts)),
        urgent=str(sum(p.urgent for p in prompts)),
        link=settings.OPENIPS_SITE_URL.rstrip("/") + reverse(page),
        **{kind.value: str(kinds[kind.value]) for kind in PromptKind},
    )
    return Outgoing(
        key=f"weekly_summary:{user.pk}:{year}-W{week:02d}",
        template=WEEKLY_SUMMARY_EMAIL,
        to=to,
        personalisation=personalisation,
        user=user,
        service_id=user.service_id,
    )


def send_summaries(today: date, via: Backend | None = None) -> int:
    """One summary a person an ISO week; the number this run sent."""
    users = User.objects.filter(is_active=True, role__in=ROLES).order_by("pk")
    staff = {s.user_id: s for s in StaffMember.objects.filter(user__in=users, end_date=None)}
    via = via or backend()
    sent = 0
    for user in users:
        out = summary_for(user, staff.get(user.pk), today)
        if out is not None and send(out, via) is not None:
            sent += 1
    return sent
