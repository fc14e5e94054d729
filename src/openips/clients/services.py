"""Writes to people and episodes. Every one is audited; edits carry the version they began from."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from openips.accounts.models import User
from openips.audit.models import AuditAction
from openips.audit.services import record
from openips.clients import identifiers
from openips.clients.models import (
    Episode,
    Handover,
    HospitalStay,
    Person,
    PersonMerge,
    RetentionChange,
)
from openips.core import services as core
from openips.organisations.models import Service, StaffMember

UNDO_DAYS = 30


def possible_duplicates(
    service: Service, *, nhs_number: str, family_name: str, date_of_birth: date | None
) -> list[Person]:
    """People already known to the service: same NHS number, or same last name and birth date."""
    match = Q(pk__in=[])
    if nhs_number:
        match |= Q(nhs_number=nhs_number)
    if date_of_birth:
        match |= Q(family_name__iexact=family_name, date_of_birth=date_of_birth)
    return list(Person.objects.filter(match, service=service, merged_into=None)[:5])


def holder_of(
    organisation_id: int, nhs_number: str, *, besides: int | None = None
) -> Person | None:
    """The person of the organisation who holds this NHS number, if anyone does."""
    if not nhs_number:
        return None
    found = Person.objects.filter(
        organisation_id=organisation_id, nhs_number=nhs_number, merged_into=None
    )
    if besides is not None:
        found = found.exclude(pk=besides)
    return found.select_related("service").first()


def known_by_nhs_number(organisation_id: int, nhs_number: str) -> Person | None:
    """Whose record a referral with this NHS number belongs on: its holder's, or, when only a
    merged record had it, the record that one was merged into."""
    holder = holder_of(organisation_id, nhs_number)
    if holder is not None or not nhs_number:
        return holder
    kept = (
        Person.objects.filter(
            organisation_id=organisation_id, nhs_number=nhs_number, merged_into__isnull=False
        )
        .values_list("merged_into_id", flat=True)
        .first()
    )
    return Person.objects.select_related("service").filter(pk=kept).first() if kept else None


def _next_episode_id(person: Person, service: Service) -> str:
    """Episode ids are unique within the service the episode is with."""
    taken = set(Episode.objects.filter(service=service).values_list("episode_id", flat=True))
    n = person.episodes.count() + 1
    while f"{person.client_id}-{n}" in taken:
        n += 1
    return f"{person.client_id}-{n}"


@transaction.atomic
def refer_new_person(
    actor: User, service: Service, person_data: dict[str, Any], episode_data: dict[str, Any]
) -> Episode:
    """A referral of someone not yet known here. An NHS number the organisation already holds
    is that person's: the referral becomes a new episode on their record (ADR 0021)."""
    # The organisation's lock first, so a referral of the same person a moment earlier has
    # committed before the NHS number is looked up (else the second would hit the constraint).
    client_id = identifiers.allocate(service.organisation_id)
    known = known_by_nhs_number(service.organisation_id, person_data.get("nhs_number", ""))
    if known is not None:
        return refer_again(actor, known, episode_data, service=service)
    person = core.create(actor, Person(service=service, client_id=client_id, **person_data))
    return refer_again(actor, person, episode_data)


@transaction.atomic
def refer_again(
    actor: User, person: Person, episode_data: dict[str, Any], *, service: Service | None = None
) -> Episode:
    """A new referral episode for someone already known (re-referral), in their service unless
    another of the organisation's services refers them."""
    service = service or person.service
    episode = Episode(
        service=service,
        person=person,
        episode_id=_next_episode_id(person, service),
        **episode_data,
    )
    return core.create(actor, episode)


def change_details(actor: User, person: Person, *, started_from: int, **details: Any) -> Person:
    """Correct who the person is and how to reach them; the NHS number stays theirs alone.
    Consent given again ends an earlier stop to messages."""
    for name, value in details.items():
        setattr(person, name, value)
    if person.message_consent:
        person.messages_stopped_at = person.messages_stopped_by = None
    return core.update(actor, person, started_from=started_from)


def stop_messages(actor: User, person: Person, *, started_from: int) -> Person:
    """The person wants no more messages: consent withdrawn, with when and who heard it."""
    person.message_consent = False
    person.messages_stopped_at = timezone.now()
    person.messages_stopped_by = actor
    return core.update(actor, person, started_from=started_from)


class MergeRefused(Exception):
    pass


@transaction.atomic
def merge(actor: User, kept: Person, duplicate: Person) -> PersonMerge:
    """Move the duplicate's episodes and hospital stays to the kept record and mark the
    duplicate merged."""
    pair = {
        p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[kept.pk, duplicate.pk])
    }
    kept, duplicate = pair[kept.pk], pair[duplicate.pk]
    if kept.pk == duplicate.pk or kept.organisation_id != duplicate.organisation_id:
        raise MergeRefused("Choose another record of the same person in your organisation")
    if kept.merged_into_id or duplicate.merged_into_id:
        raise MergeRefused("That record has already been merged")
    moved = list(Episode.objects.filter(person=duplicate))
    Episode.objects.filter(pk__in=[e.pk for e in moved]).update(person=kept)
    stays = list(HospitalStay.objects.filter(person=duplicate))  # the person's, so theirs too
    HospitalStay.objects.filter(pk__in=[s.pk for s in stays]).update(person=kept)
    duplicate.merged_into = kept
    duplicate.version += 1
    duplicate.save(update_fields=["merged_into", "version"])
    merged = PersonMerge.objects.create(kept=kept, duplicate=duplicate, merged_by=actor)
    merged.episodes.set(moved)
    merged.stays.set(stays)
    details = {"merge": merged.pk, "episodes_moved": len(moved), "stays_moved": len(stays)}
    record(AuditAction.MERGE, actor=actor, obj=kept, details=details)
    record(AuditAction.MERGE, actor=actor, obj=duplicate, details=details)
    return merged


def undo_deadline(merged: PersonMerge) -> Any:
    return merged.merged_at + timedelta(days=UNDO_DAYS)


@transaction.atomic
def undo_merge(actor: User, merged: PersonMerge) -> PersonMerge:
    """Give the duplicate back exactly the episodes and stays that moved, within UNDO_DAYS."""
    merged = PersonMerge.objects.select_for_update().get(pk=merged.pk)
    if merged.undone_at is not None:
        raise MergeRefused("This merge has already been undone")
    if timezone.now() > undo_deadline(merged):
        raise MergeRefused(
            f"A merge can be undone for {UNDO_DAYS} days only. This one was made on "
            f"{timezone.localtime(merged.merged_at):%-d %B %Y}"
        )
    duplicate = Person.objects.select_for_update().get(pk=merged.duplicate_id)
    if holder_of(duplicate.organisation_id, duplicate.nhs_number, besides=duplicate.pk):
        raise MergeRefused(
            "The kept record now has the merged record's NHS number. "
            "Change the kept record's NHS number before undoing the merge"
        )
    moved = list(merged.episodes.values_list("pk", flat=True))
    Episode.objects.filter(pk__in=moved, person_id=merged.kept_id).update(person=duplicate)
    stays = merged.stays.values_list("pk", flat=True)
    HospitalStay.objects.filter(pk__in=stays, person_id=merged.kept_id).update(person=duplicate)
    duplicate.merged_into = None
    duplicate.version += 1
    duplicate.save(update_fields=["merged_into", "version"])
    merged.undone_at = timezone.now()
    merged.save(update_fields=["undone_at"])
    details = {"merge": merged.pk, "episodes_moved": len(moved)}
    record(AuditAction.UNDO_MERGE, actor=actor, obj=merged.kept, details=details)
    record(AuditAction.UNDO_MERGE, actor=actor, obj=duplicate, details=details)
    return merged


def accept(
    actor: User,
    episode: Episode,
    *,
    started_from: int,
    accepted_date: date,
    employment_specialist: StaffMember,
) -> Episode:
    episode.accepted_date = accepted_date
    episode.employment_specialist = employment_specialist
    return core.update(actor, episode, started_from=started_from)


def discharge(
    actor: User, episode: Episode, *, started_from: int, discharge_date: date, discharge_reason: str
) -> Episode:
    """Always a decision with a reason; never automatic because of time (principle 8)."""
    episode.discharge_date = discharge_date
    episode.discharge_reason = discharge_reason
    return core.update(actor, episode, started_from=started_from)


def update_context(
    actor: User,
    episode: Episode,
    *,
    started_from: int,
    clinical_team: Any,
    care_coordinator: str,
    consent_to_share_with_employers: bool | None,
) -> Episode:
    episode.clinical_team = clinical_team
    episode.care_coordinator = care_coordinator
    episode.consent_to_share_with_employers = consent_to_share_with_employers
    return core.update(actor, episode, started_from=started_from)


@transaction.atomic
def reassign(
    actor: User, episode: Episode, *, started_from: int, employment_specialist: StaffMember
) -> Episode:
    """Hand the episode over to another specialist's caseload; the handover joins its timeline."""
    handed_from = episode.employment_specialist
    episode.employment_specialist = employment_specialist
    core.update(actor, episode, started_from=started_from)
    core.create(
        actor,
        Handover(episode=episode, from_staff=handed_from, to_staff=employment_specialist, by=actor),
    )
    return episode


def record_retention_change(
    actor: User, episode: Episode, *, status: str, date: date
) -> RetentionChange:
    """A change in the work of a client employed at referral (a RetentionStatus), from `date`
    (ADR 0034). Checked
    by the model (an open episode employed at referral, not before the referral) and audited
    in one transaction: refused, nothing is saved."""
    return core.create(
        actor, RetentionChange(episode=episode, status=status, date=date, recorded_by=actor)
    )
