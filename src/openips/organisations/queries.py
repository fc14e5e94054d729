"""Which programme a service delivers: on a day, over a period, for many services at once.

Over a period a service delivers the programme in force on the period's last day (ADR 0033): a
dashboard or return for a period in which the programme changed is read by the rules the
service works to at its end. Services are read in scope by their callers; nothing here is
personal."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from openips.organisations import programmes
from openips.organisations.models import Service, ServiceProgramme
from openips.organisations.programmes import Programme


class Span(Protocol):
    """A period with a first and last day (outcomes.metrics.Period is one)."""

    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date: ...


def _id(service: Service | int) -> int:
    return service if isinstance(service, int) else service.pk


def programme_on(service: Service | int, day: date) -> Programme:
    """The programme the service delivers on `day`: one query."""
    code = (
        ServiceProgramme.objects.filter(service_id=_id(service), valid_from__lte=day)
        .order_by("-valid_from")
        .values_list("programme", flat=True)
        .first()
    )
    return programmes.rules(code) if code is not None else programmes.default()


def programme_over(service: Service | int, period: Span) -> Programme:
    """The programme in force over a period: the one on its last day."""
    return programme_on(service, period.end)


@dataclass(frozen=True)
class Change:
    """On `day` the service moved from one programme to another."""

    day: date
    before: Programme
    after: Programme


@dataclass(frozen=True)
class InForce:
    """The programme a period is read by (the one on its last day) and each change of
    programme after the period's first day, in date order: what a page needs to say that its
    figures span a change and whose rules it reads them by."""

    programme: Programme
    changes: tuple[Change, ...]


def in_force_over(service: Service | int, period: Span) -> InForce:
    """programme_over, with the changes within the period: one query. It reads every row up to
    the period's end, a handful for any service."""
    rows = (
        ServiceProgramme.objects.filter(service_id=_id(service), valid_from__lte=period.end)
        .order_by("valid_from")
        .values_list("valid_from", "programme")
    )
    current, changes = programmes.default(), []
    for day, code in rows:
        found = programmes.rules(code)
        if day > period.start and found.code != current.code:
            changes.append(Change(day, current, found))
        current = found
    return InForce(current, tuple(changes))


def programmes_on(services: Iterable[Service | int], day: date) -> dict[int, Programme]:
    """Each service's programme on `day`, in one query whatever the number of services. Give
    it services already read (a list, or their ids): a queryset not yet read is one more."""
    ids = {_id(s) for s in services}
    found: dict[int, Programme] = dict.fromkeys(ids, programmes.default())
    rows = (
        ServiceProgramme.objects.filter(service_id__in=ids, valid_from__lte=day)
        .order_by("service_id", "valid_from")
        .values_list("service_id", "programme")
    )
    for service_id, code in rows:  # the latest row of each service comes last
        found[service_id] = programmes.rules(code)
    return found


def programmes_over(services: Iterable[Service | int], period: Span) -> dict[int, Programme]:
    """Each service's programme over a period (on its last day), in one query."""
    return programmes_on(services, period.end)


def with_programme(services: QuerySet[Service], day: date) -> QuerySet[Service]:
    """The services, each with `programme_code`, its programme on `day`, read in the same
    query: a list of services keeps its one query."""
    latest = (
        ServiceProgramme.objects.filter(service=OuterRef("pk"), valid_from__lte=day)
        .order_by("-valid_from")
        .values("programme")[:1]
    )
    return services.annotate(programme_code=Coalesce(Subquery(latest), Value(programmes.DEFAULT)))


def history(service: Service) -> QuerySet[ServiceProgramme]:
    """Every programme the service has had recorded, the latest first, with who recorded it."""
    return service.programmes.select_related("recorded_by__staff_member").order_by("-valid_from")
