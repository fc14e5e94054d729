"""Writes to people and episodes. Every one is audited; edits carry the version they began from."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q

from openips.accounts.models import User
from openips.clients.models import Episode, Handover, Person
from openips.core import services as core
from openips.organisations.models import Service, StaffMember


def possible_duplicates(
    service: Service, *, nhs_number: str, family_name: str, date_of_birth: date | None
) -> list[Person]:
    """People already known to the service: same NHS number, or same last name and birth date."""
    match = Q(pk__in=[])
    if nhs_number:
        match |= Q(nhs_number=nhs_number)
    if date_of_birth:
        match |= Q(family_name__iexact=family_name, date_of_birth=date_of_birth)
    return list(Person.objects.filter(match, service=service)[:5])


def _next_episode_id(person: Person) -> str:
    return f"{person.client_id}-{person.episodes.count() + 1}"


@transaction.atomic
def refer_new_person(
    actor: User, service: Service, person_data: dict[str, Any], episode_data: dict[str, Any]
) -> Episode:
    person = core.create(
        actor, Person(service=service, client_id=f"C{uuid.uuid4().hex[:8].upper()}", **person_data)
    )
    return refer_again(actor, person, episode_data)


@transaction.atomic
def refer_again(actor: User, person: Person, episode_data: dict[str, Any]) -> Episode:
    """A new referral episode for someone already known (re-referral)."""
    episode = Episode(
        service=person.service, person=person, episode_id=_next_episode_id(person), **episode_data
    )
    return core.create(actor, episode)


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
