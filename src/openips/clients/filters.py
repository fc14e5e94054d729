"""The filters above the clients list and the caseloads: service, employment specialist and
stage, offered from what the user may see. A value that was never offered is a 400 (core.params)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.db.models import Case, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.http import HttpRequest

from openips.clients import queries, search, stages
from openips.clients.codes import EmploymentStatus
from openips.clients.models import Episode
from openips.core.forms import field_as
from openips.core.params import BadParameter
from openips.organisations.models import Service, StaffMember, StaffRole

if TYPE_CHECKING:
    from openips.accounts.models import User
    from openips.clients.models import Person

# The stage of a person's latest episode, and of an open episode on a caseload (clients.stages).
CLIENT_STAGES = {s.value: s.label for s in stages.ORDER}
CASELOAD_STAGES = {s.value: s.label for s in stages.OPEN}


class ListFilters(forms.Form):
    service = forms.ChoiceField(label="Service", required=False)
    specialist = forms.ChoiceField(label="Employment specialist", required=False)
    stage = forms.ChoiceField(label="Stage", required=False)

    def __init__(
        self,
        data: dict[str, str],
        *,
        services: list[Service],
        specialists: list[StaffMember] | None,
        stages: dict[str, str],
    ) -> None:
        super().__init__(data)
        fields = self.fields
        if len(services) > 1:
            choices = [(str(s.pk), s.name) for s in services]
            field_as(self, "service", forms.ChoiceField).choices = [("", "All services"), *choices]
        else:
            del fields["service"]
        if specialists is not None:
            choices = [(str(s.pk), s.name) for s in specialists]
            field_as(self, "specialist", forms.ChoiceField).choices = [("", "Everyone"), *choices]
        else:
            del fields["specialist"]
        field_as(self, "stage", forms.ChoiceField).choices = [("", "Every stage"), *stages.items()]

    def read(self) -> dict[str, str]:
        """The filters chosen, as given; a value never offered is a bad request."""
        if not self.is_valid():
            raise BadParameter("Choose each filter from the options the list offers.")
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}


def filters_for(
    request: HttpRequest, user: User, stages: dict[str, str], *, by_specialist: bool = True
) -> tuple[ListFilters, list[Service]]:
    """The filter form for the user's own services and specialists (two queries)."""
    services = list(search.searchable_services(user).order_by("name"))
    specialists = (
        list(
            StaffMember.objects.filter(
                service__in=[s.pk for s in services], role=StaffRole.EMPLOYMENT_SPECIALIST
            ).order_by("name", "pk")
        )
        if by_specialist
        else None
    )
    data = {k: request.GET.get(k, "") for k in ("service", "specialist", "stage")}
    form = ListFilters(data, services=services, specialists=specialists, stages=stages)
    return form, services


def _stage_code() -> Case:
    """The latest episode's stage, in SQL, from the dates annotated by `people_listed`."""

    def at(stage: stages.Stage) -> Value:
        return Value(stages.ORDER.index(stage))

    employed = EmploymentStatus.EMPLOYED
    return Case(  # as stages.stage_of decides, in the same order
        When(latest_discharge__isnull=False, then=at(stages.Stage.DISCHARGED)),
        When(latest_accepted__isnull=True, then=at(stages.Stage.REFERRED)),
        *(
            When(latest_employment=employed, latest_retention=status, then=at(stage))
            for status, stage in stages.RETENTION_STAGES.items()
        ),
        When(latest_employment=employed, then=at(stages.Stage.RETENTION_AT_RISK)),  # none yet
        When(latest_in_work=True, then=at(stages.Stage.IN_WORK)),
        When(latest_profile__isnull=True, then=at(stages.Stage.ACCEPTED)),
        default=at(stages.Stage.JOB_SEEKING),
        output_field=IntegerField(),
    )


SORTS = {
    "name": ("family_name", "given_name", "client_id", "pk"),
    "client_id": ("client_id", "pk"),
    "service": ("latest_service", "family_name", "given_name", "pk"),
    "stage": ("stage_order", "family_name", "given_name", "pk"),
    "specialist": ("latest_specialist", "family_name", "given_name", "pk"),
}


def people_listed(
    user: User, people: QuerySet[Person], chosen: dict[str, str], sort: str, descending: bool
) -> QuerySet[Person]:
    """The clients list: filtered by their latest visible episode, and sorted."""
    latest = (
        Episode.objects.visible_to(user)
        .filter(person=OuterRef("pk"))
        .order_by("-referral_date", "-pk")
    )

    def of_latest(name: str) -> Subquery:
        return Subquery(latest.values(name)[:1])

    people = people.annotate(
        latest_accepted=of_latest("accepted_date"),
        latest_profile=of_latest("vocational_profile_date"),
        latest_discharge=of_latest("discharge_date"),
        latest_employment=of_latest("employment_status_at_referral"),
        latest_retention=Subquery(
            latest.annotate(retention=queries.latest_retention()).values("retention")[:1]
        ),
        latest_specialist_id=of_latest("employment_specialist_id"),
        latest_specialist=of_latest("employment_specialist__name"),
        # The service of the latest episode: a person may be with several of the trust's.
        latest_service_id=of_latest("service_id"),
        latest_service=of_latest("service__name"),
        latest_in_work=queries.has_open_job(user, "latest_id"),
    ).annotate(stage_order=_stage_code())
    if chosen.get("service"):
        people = people.filter(latest_service_id=int(chosen["service"]))
    if chosen.get("specialist"):
        people = people.filter(latest_specialist_id=int(chosen["specialist"]))
    if chosen.get("stage"):
        people = people.filter(stage_order=list(CLIENT_STAGES).index(chosen["stage"]))
    order = SORTS[sort]
    return people.order_by(*(f"-{f}" if descending else f for f in order[:1]), *order[1:])
