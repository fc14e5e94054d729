"""What an information-governance lead may search: the people and accounts of their organisation."""

from django.db.models import Q, QuerySet
from django.http import Http404

from openips.accounts.models import User
from openips.clients.models import Person
from openips.organisations.models import Service


def _services(ig_lead: User) -> QuerySet[Service]:
    if ig_lead.organisation_id is None:
        return Service.objects.none()
    return Service.objects.filter(organisation_id=ig_lead.organisation_id)


def people_for(ig_lead: User) -> QuerySet[Person]:
    return Person.objects.filter(service__in=_services(ig_lead))


def accounts_for(ig_lead: User) -> QuerySet[User]:
    org = ig_lead.organisation_id
    if org is None:
        return User.objects.none()
    return User.objects.filter(
        Q(organisation_id=org)
        | Q(service__organisation_id=org)
        | Q(clinical_team__service__organisation_id=org)
        | Q(review_access__service__organisation_id=org)
    ).distinct()


def person_in_scope(ig_lead: User, pk: int) -> Person:
    person = people_for(ig_lead).filter(pk=pk).first()
    if person is None:
        raise Http404("No such person")
    return person


def account_in_scope(ig_lead: User, pk: int) -> User:
    account = accounts_for(ig_lead).filter(pk=pk).first()
    if account is None:
        raise Http404("No such account")
    return account
