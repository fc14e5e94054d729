"""Scoped reads of casework records."""

from __future__ import annotations

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from openips.accounts.models import User
from openips.accounts.queries import services_with_client_access
from openips.audit.models import AuditAction
from openips.audit.services import record
from openips.casework.codes import ContactWith, Mode
from openips.casework.models import Appointment, Contact, live_contacts
from openips.clients.models import Episode
from openips.employment.models import Employer


def contact_for(user: User, pk: int) -> tuple[Contact, Episode]:
    """A live contact about a client the user may see, and the client's episode; 404 whether
    missing, deleted, out of scope or general employer work (which has no episode). Opening it
    opens the client's record, so the view is on their trail."""
    contact = (
        Contact.objects.visible_to(user)
        .filter(pk=pk, episode__isnull=False)
        .select_related("episode__person", "episode__service", "staff", "employer")
        .first()
    )
    if contact is None or contact.episode is None:
        raise Http404("No such contact")
    record(AuditAction.VIEW, actor=user, obj=contact)
    return contact, contact.episode


def appointment_for(user: User, pk: int) -> Appointment:
    """A planned (or past) appointment of a client the user may see; 404 otherwise. Opening it
    opens the client's record, so the view is on their trail."""
    appointment = (
        Appointment.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("episode__person", "episode__service", "staff")
        .first()
    )
    if appointment is None:
        raise Http404("No such appointment")
    record(AuditAction.VIEW, actor=user, obj=appointment)
    return appointment


def employers_for(user: User) -> QuerySet[Employer]:
    """Employers of the services whose records the user may open, with their contact history."""
    live = live_contacts()  # a join: the default manager's filter does not reach it
    employer_f2f = live & Q(
        contacts__mode=Mode.FACE_TO_FACE,
        contacts__attended=True,
        contacts__contact_with=ContactWith.EMPLOYER,
    )
    return Employer.objects.filter(service__in=services_with_client_access(user)).annotate(
        face_to_face=Count("contacts", filter=employer_f2f),
        last_contact=Max("contacts__date", filter=live),
        job_count=Count("jobs", distinct=True),
    )


def employer_for(user: User, pk: int) -> Employer:
    employer = employers_for(user).filter(pk=pk).first()
    if employer is None:
        raise Http404("No such employer")
    return employer
