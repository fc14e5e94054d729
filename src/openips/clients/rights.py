"""Data-subject rights: everything held about one person, and anonymisation once the
retention period after their last discharge has passed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.forms.models import model_to_dict

from openips.accounts.models import User
from openips.audit.models import AuditAction
from openips.audit.services import forget_earlier_values, record
from openips.benefits.models import Estimate
from openips.casework.models import Contact, Intervention, VocationalProfile
from openips.clients.models import Episode, Handover, Person
from openips.core.dates import add_years
from openips.employment.models import Job

PERSON_FIELDS = [
    "client_id",
    "given_name",
    "family_name",
    "nhs_number",
    "date_of_birth",
    "gender",
    "ethnicity",
]


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (v.isoformat() if isinstance(v, date) else str(v) if isinstance(v, Decimal) else v)
        for k, v in values.items()
    }


def everything_held(actor: User, person: Person) -> dict[str, Any]:
    """A subject access bundle: every record about the person, as plain JSON-ready values."""
    episodes = list(
        Episode.objects.filter(person=person).select_related(
            "employment_specialist", "clinical_team"
        )
    )
    held: list[dict[str, Any]] = []
    bundle = {
        "schema": "openips.subject-access/1",
        "person": _plain(model_to_dict(person, fields=PERSON_FIELDS)),
        "service": person.service.name,
        "episodes": held,
    }
    for episode in episodes:
        item = _plain(
            model_to_dict(
                episode,
                exclude=[
                    "id",
                    "service",
                    "person",
                    "employment_specialist",
                    "clinical_team",
                    "version",
                ],
            )
        )
        item["employment_specialist"] = str(episode.employment_specialist or "")
        item["clinical_team"] = str(episode.clinical_team or "")
        item["contacts"] = [
            _plain(
                {
                    **model_to_dict(
                        c,
                        fields=[
                            "contact_id",
                            "date",
                            "contact_with",
                            "mode",
                            "setting",
                            "minutes",
                            "purpose",
                            "attended",
                            "matches_preferences",
                            "notes",
                        ],
                    ),
                    "staff": c.staff.name,
                    "employer": c.employer.name if c.employer else "",
                    "deleted": c.deletion_summary,  # deleted contacts are still held
                }
            )
            for c in Contact.with_deleted.filter(episode=episode)
            .select_related("staff", "employer")
            .order_by("date", "pk")
        ]
        item["jobs"] = [
            _plain(
                {
                    **model_to_dict(j, exclude=["id", "service", "episode", "employer", "version"]),
                    "employer": j.employer.name if j.employer else "",
                }
            )
            for j in Job.objects.filter(episode=episode).select_related("employer")
        ]
        item["vocational_profiles"] = [
            _plain(model_to_dict(p, exclude=["id", "episode", "recorded_by"]))
            for p in VocationalProfile.objects.filter(episode=episode)
        ]
        item["benefit_estimates"] = [
            _plain(
                {
                    "date": e.contact.date,
                    "tax_year": e.tax_year,
                    "scenario": e.scenario,
                    "income_now": e.income_now,
                    "income_in_work": e.income_in_work,
                }
            )
            for e in Estimate.objects.filter(episode=episode).select_related("contact")
        ]
        item["handovers"] = [
            _plain(
                {
                    "date": h.handed_over_at.date(),
                    "from": str(h.from_staff or ""),
                    "to": str(h.to_staff),
                }
            )
            for h in Handover.objects.filter(episode=episode).select_related(
                "from_staff", "to_staff"
            )
        ]
        item["interventions"] = [
            _plain(model_to_dict(i, exclude=["id", "episode"]))
            for i in Intervention.objects.filter(episode=episode)
        ]
        held.append(item)
    record(
        AuditAction.EXPORT,
        actor=actor,
        obj=person,
        details={"subject_access": {"episodes": len(episodes)}},
    )
    return bundle


def retention_ends(person: Person) -> date | None:
    """The day after which the person may be anonymised; None while any episode is open."""
    discharges = list(
        Episode.objects.filter(person=person).values_list("discharge_date", flat=True)
    )
    if not discharges or any(d is None for d in discharges):
        return None
    last = max(d for d in discharges if d is not None)
    years: int = settings.RETENTION_YEARS_AFTER_DISCHARGE
    return add_years(last, years)


class RetentionNotOver(Exception):
    pass


@transaction.atomic
def anonymise(actor: User, person: Person, today: date) -> Person:
    """Remove what identifies the person; keep the anonymous records that outcome figures count."""
    ends = retention_ends(person)
    if ends is None or today <= ends:
        raise RetentionNotOver(ends)
    person.client_id = f"ANON{person.pk}"
    person.given_name = person.family_name = person.nhs_number = ""
    person.date_of_birth = None
    person.save()
    Episode.objects.filter(person=person).update(care_coordinator="")
    # Deleted contacts too: they are hidden, not gone.
    Contact.with_deleted.filter(episode__person=person).update(notes="", deletion_note="")
    Estimate.objects.filter(episode__person=person).update(scenario={})  # the household's details
    Intervention.objects.filter(episode__person=person).update(description="")
    VocationalProfile.objects.filter(episode__person=person).update(
        preferred_jobs="",
        preferred_hours="",
        preferred_places="",
        work_history="",
        education="",
        skills_and_strengths="",
        barriers="",
        disclosure_preference="",
    )
    forget_earlier_values(person.pk)  # the only personal values beside the trail (ADR 0020)
    record(
        AuditAction.ANONYMISE,
        actor=actor,
        obj=person,
        details={"retention_ended": ends},
    )
    return person
