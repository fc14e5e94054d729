"""A referral received: saved through the clients app's referral services (which audit the
person and the episode as the referral page's do) with the sender's identifier beside it, all
in one transaction, or not at all. Nothing here speaks HTTP: the view answers each outcome."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from openips.accounts.models import User
from openips.accounts.roles import Role
from openips.clients import services as clients
from openips.clients.codes import ReferralSource
from openips.clients.models import Episode, Person
from openips.core import services as core
from openips.fhir.models import InboundReferral
from openips.fhir.referrals import Referral
from openips.organisations.models import ClinicalTeam, Organisation, Service

# What the referral page asks and a ServiceRequest does not say: it comes from the trust's
# clinical system, so from its secondary mental health services.
SOURCE = ReferralSource.SECONDARY_MENTAL_HEALTH


class Duplicate(Exception):
    """The referral is not taken: its person may be known to the team already. The message
    says so in the words the referral page would use for the sender's role."""


@dataclass(frozen=True)
class Received:
    inbound: InboundReferral
    created: bool  # False: the identifier was received before, and nothing was saved now
    # Received before: whether it was for the same person (NHS number) and the same team.
    same: bool = True


def received_before(organisation_id: int, identifier: tuple[str, str]) -> InboundReferral | None:
    system, value = identifier
    return (
        InboundReferral.objects.filter(
            organisation_id=organisation_id, identifier_system=system, identifier_value=value
        )
        .select_related("episode__person")
        .first()
    )


def same_referral(before: InboundReferral, referral: Referral, service: Service) -> bool:
    episode = before.episode
    return (
        episode.service_id == service.pk
        and episode.person.nhs_number == referral.person["nhs_number"]
    )


# As the referral page words a possible duplicate for a clinician (clients.edit_views.refer),
# who is shown no one outside their team, so neither which record matched nor how.
FOR_A_CLINICIAN = (
    "This person may already be known to the service. Check with the employment team before "
    "referring them again"
)


def duplicate(actor: User, service: Service, referral: Referral) -> str:
    """The referral page's duplicate rules, with the NHS number answering its question "is this
    a different person?": a person the organisation knows by the NHS number gets a new episode
    on their record, unless one is open with this team already; someone of the same last name
    and birth date recorded without an NHS number may be the same person, for the team to
    check. Why the referral is refused, or "" if it is not."""
    person = referral.person
    known = clients.known_by_nhs_number(service.organisation_id, person["nhs_number"])
    if known is not None:
        if not Episode.objects.filter(person=known, service=service, discharge_date=None).exists():
            return ""
        why = (
            f"This person already has an open referral with {service.name}: "
            "check with the employment team"
        )
    else:
        found = clients.possible_duplicates(
            service,
            nhs_number=person["nhs_number"],
            family_name=person["family_name"],
            date_of_birth=person["date_of_birth"],
        )
        if all(p.nhs_number for p in found):
            return ""
        why = (
            "This person may already be known to the service (the same last name and date of "
            "birth, recorded without an NHS number). Check with the employment team before "
            "referring them again"
        )
    return FOR_A_CLINICIAN if actor.role == Role.CLINICIAN else why


def receive(
    actor: User, referral: Referral, service: Service, team: ClinicalTeam | None
) -> Received:
    """The referral saved, or the one received before with its identifier in the team's
    organisation. Raises Duplicate, saving nothing, for a person the team may know already."""
    with transaction.atomic():
        # The organisation's lock, as a referral page's takes it: two requests for one person,
        # or one request sent twice at once, are decided one after the other. Identifiers are
        # the organisation's senders' own, so two trusts' may coincide.
        Organisation.objects.select_for_update().filter(pk=service.organisation_id).first()
        before = received_before(service.organisation_id, referral.identifier)
        if before is not None:
            return Received(before, created=False, same=same_referral(before, referral, service))
        if why := duplicate(actor, service, referral):
            raise Duplicate(why)
        episode = clients.refer_new_person(
            actor,
            service,
            referral.person,
            {
                "referral_date": referral.referral_date,
                "referral_source": SOURCE,
                "employment_status_at_referral": referral.employment_status,
                "clinical_team": team,
                "care_coordinator": referral.requester,
            },
        )
        system, value = referral.identifier
        inbound = InboundReferral(
            organisation_id=service.organisation_id,
            identifier_system=system,
            identifier_value=value,
            episode=episode,
            created_by=actor,
        )
        return Received(core.create(actor, inbound), created=True)


def forget_senders_identifiers(sender: Any, person: Person, **kwargs: Any) -> None:
    """Anonymisation (governance.rights): the senders' identifiers of the person's referrals
    go with their other identifiers. Sending one again later would be a new referral."""
    InboundReferral.objects.filter(episode__person=person).delete()
