"""A referral received: saved through the clients app's referral services (which audit the
person and the episode as the referral page's do) with the sender's identifier beside it, all
in one transaction, or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from openips.accounts.models import User
from openips.clients import services as clients
from openips.clients.codes import ReferralSource
from openips.clients.models import Episode, Person
from openips.core import services as core
from openips.fhir.http import Issue, Refused
from openips.fhir.models import InboundReferral
from openips.fhir.referrals import Referral
from openips.organisations.models import ClinicalTeam, Organisation, Service

# What the referral page asks and a ServiceRequest does not say: it comes from the trust's
# clinical system, so from its secondary mental health services.
SOURCE = ReferralSource.SECONDARY_MENTAL_HEALTH


@dataclass(frozen=True)
class Received:
    inbound: InboundReferral
    created: bool  # False: the same request was received before, and nothing was saved now


def received_before(identifier: tuple[str, str]) -> InboundReferral | None:
    system, value = identifier
    return (
        InboundReferral.objects.filter(identifier_system=system, identifier_value=value)
        .select_related("episode")
        .first()
    )


def duplicates(service: Service, referral: Referral) -> list[Issue]:
    """The referral page's duplicate rules, with the NHS number answering its question "is this
    a different person?": a person the organisation knows by the NHS number gets a new episode
    on their record, unless one is open with this team already; someone of the same last name
    and birth date recorded without an NHS number may be the same person, for the team to check."""
    person = referral.person
    known = clients.known_by_nhs_number(service.organisation_id, person["nhs_number"])
    if known is not None:
        if Episode.objects.filter(person=known, service=service, discharge_date=None).exists():
            text = (
                f"This person already has an open referral with {service.name}: "
                "check with the employment team"
            )
            return [Issue("duplicate", text, "ServiceRequest.subject")]
        return []
    found = clients.possible_duplicates(
        service,
        nhs_number=person["nhs_number"],
        family_name=person["family_name"],
        date_of_birth=person["date_of_birth"],
    )
    if any(not p.nhs_number for p in found):
        text = (
            "This person may already be known to the service (the same last name and date of "
            "birth, recorded without an NHS number). Check with the employment team before "
            "referring them again"
        )
        return [Issue("duplicate", text, "ServiceRequest.subject")]
    return []


def receive(
    actor: User, referral: Referral, service: Service, team: ClinicalTeam | None
) -> Received:
    try:
        with transaction.atomic():
            # The organisation's lock, as a referral page's takes it: two requests for one
            # person, or one request sent twice at once, are decided one after the other.
            Organisation.objects.select_for_update().filter(pk=service.organisation_id).first()
            if (before := received_before(referral.identifier)) is not None:
                return Received(before, created=False)
            if issues := duplicates(service, referral):
                raise Refused(422, issues)
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
                identifier_system=system, identifier_value=value, episode=episode, created_by=actor
            )
            return Received(core.create(actor, inbound), created=True)
    except (IntegrityError, ValidationError):
        # The same identifier saved a moment ago, for another organisation's team.
        before = received_before(referral.identifier)
        if before is None:
            raise
        return Received(before, created=False)


def forget_senders_identifiers(sender: Any, person: Person, **kwargs: Any) -> None:
    """Anonymisation (governance.rights): the senders' identifiers of the person's referrals
    go with their other identifiers. Sending one again later would be a new referral."""
    InboundReferral.objects.filter(episode__person=person).delete()
