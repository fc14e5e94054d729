"""Anonymisation once the retention period has passed, across every service: the nightly
scheduled job, and `openips retention` for a person to see (and, with --apply, do) it by hand.
Who is due is found in one query; each person is then anonymised by `rights.anonymise`, which
checks the period again and audits it, in a transaction of its own."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import CharField, Count, F, Max, Q, Value
from django.db.models.functions import Cast, Concat

from openips.clients.models import Person
from openips.core.dates import add_years
from openips.governance.rights import RetentionNotOver, anonymise

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    person_id: int
    service: str
    client_id: str
    last_discharge: date


def due(today: date) -> list[Due]:
    """People whose every episode ended more than the retention period ago, not yet anonymised.
    Records merged into another go with the record they were merged into."""
    # add_years(today, -N) < last discharge ⟺ today ≤ the day the period ends (leap days too)
    latest = add_years(today, -settings.RETENTION_YEARS_AFTER_DISCHARGE)
    people = (
        Person.objects.filter(merged_into=None)
        .annotate(
            anonymous_id=Concat(Value("ANON"), Cast("pk", CharField())),
            open=Count("episodes", filter=Q(episodes__discharge_date=None)),
            last=Max("episodes__discharge_date"),
        )
        .exclude(client_id=F("anonymous_id"))
        .filter(open=0, last__lt=latest)
        .order_by("service__code", "client_id")
        .values_list("pk", "service__code", "client_id", "last")
    )
    return [Due(*row) for row in people]


def anonymise_due(today: date) -> list[Due]:
    """Anonymise everyone due; returns who was. Safe to run twice at once: a person already
    anonymised by the other run is no longer due, and is skipped."""
    done = []
    for person in due(today):
        record = Person.objects.filter(pk=person.person_id, merged_into=None).first()
        if record is None or record.client_id == f"ANON{record.pk}":
            continue
        try:
            anonymise(None, record, today)
        except RetentionNotOver:
            continue  # an episode was reopened since the list was made
        done.append(person)
    log.info("anonymised %d people past the retention period", len(done))
    return done
