"""What an information-governance lead may search and see: the people, accounts and events of
their own organisation, never another's."""

from collections import defaultdict

from django.apps import apps
from django.db.models import Q, QuerySet
from django.http import Http404

from openips.accounts.models import User
from openips.audit.models import AuditAction, AuditEvent, EarlierValue
from openips.clients.models import Person
from openips.organisations.models import Service

# Events about a whole service (an export, an import) touch every person in it.
SERVICE_WIDE = (AuditAction.EXPORT, AuditAction.IMPORT)


def services_for(ig_lead: User) -> QuerySet[Service]:
    if ig_lead.organisation_id is None:
        return Service.objects.none()
    return Service.objects.filter(organisation_id=ig_lead.organisation_id)


def people_for(ig_lead: User) -> QuerySet[Person]:
    return Person.objects.filter(service__in=services_for(ig_lead))


def _members(org: int) -> Q:
    """Accounts attached to the organisation, to one of its services or to one of its teams."""
    return (
        Q(organisation_id=org)
        | Q(service__organisation_id=org)
        | Q(clinical_team__service__organisation_id=org)
    )


def events_for(ig_lead: User) -> QuerySet[AuditEvent]:
    """Events about the organisation's services or people, or an account of its own with no
    service or person (a sign-in). An account reaching beyond it (a reviewer of services in two
    organisations, say) shows here only what it did here."""
    org = ig_lead.organisation_id
    if org is None:
        return AuditEvent.objects.none()
    services = services_for(ig_lead).values("pk")
    own_accounts = User.objects.filter(_members(org)).values("pk")
    return AuditEvent.objects.filter(
        Q(service_id__in=services)
        | Q(person_id__in=people_for(ig_lead).values("pk"))
        | Q(service_id__isnull=True, person_id__isnull=True, actor__in=own_accounts)
    )


def events_about(person: Person, *merged: Person) -> QuerySet[AuditEvent]:
    """Everything that touched the person (and any records of theirs merged into this one):
    their own events and their services' exports."""
    people = [person, *merged]
    return AuditEvent.objects.filter(
        Q(person_id__in=[p.pk for p in people])
        | Q(
            person_id__isnull=True,
            service_id__in={p.service_id for p in people},
            action__in=SERVICE_WIDE,
        )
    )


def client_ids(ig_lead: User, events: list[AuditEvent]) -> dict[int, str]:
    """Each event's person as their client id today (so an anonymised person shows as such)."""
    ids = {e.person_id for e in events if e.person_id is not None}
    return dict(people_for(ig_lead).filter(pk__in=ids).values_list("pk", "client_id"))


def earlier_values(events: list[AuditEvent]) -> dict[int, list[EarlierValue]]:
    """The earlier values kept beside these events, in one query."""
    found: dict[int, list[EarlierValue]] = defaultdict(list)
    for value in EarlierValue.objects.filter(event__in=[e.pk for e in events]):
        found[value.event_id].append(value)
    return found


def deletion_reasons(events: list[AuditEvent]) -> dict[int, str]:
    """Why each deleted record was deleted: the reason lives on the record, not in the trail.
    The trail names records by type and id only, so this asks each kind of record for its
    `deletion_summary` (one query per kind of record on the page)."""
    wanted: dict[str, dict[str, int]] = defaultdict(dict)
    for e in events:
        if e.action == AuditAction.DELETE and e.object_type:
            wanted[e.object_type][e.object_id] = e.pk
    found = {}
    for label, ids in wanted.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):  # a kind of record the product no longer has
            continue
        if not hasattr(model, "deletion_summary"):
            continue
        for obj in model._base_manager.filter(pk__in=list(ids)):
            if summary := getattr(obj, "deletion_summary", ""):
                found[ids[str(obj.pk)]] = summary
    return found


def accounts_for(ig_lead: User) -> QuerySet[User]:
    org = ig_lead.organisation_id
    if org is None:
        return User.objects.none()
    # Reviewers of its services too, past ones included: their trail here shows only what they
    # did here (events_for).
    return User.objects.filter(
        _members(org) | Q(review_access__service__organisation_id=org)
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
