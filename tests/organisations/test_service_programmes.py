"""Which programme a service delivers on a day and over a period, for one service or many in
one query, and setting it: audited, corrected in place, nothing saved when refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent, EarlierValue
from openips.organisations import queries
from openips.organisations.models import Service, ServiceProgramme
from openips.organisations.programmes import ProgrammeError
from openips.organisations.services import AlreadyInForce, set_programme
from openips.outcomes.metrics import Period
from tests.conftest import World

pytestmark = pytest.mark.django_db

APRIL = date(2026, 4, 1)


def test_a_service_with_nothing_recorded_delivers_ips_smi(world: World) -> None:
    assert queries.programme_on(world.service_a, APRIL).code == "ips_smi"
    assert queries.programme_on(world.service_a.pk, date(1990, 1, 1)).code == "ips_smi"


def test_the_programme_changes_on_the_day_it_applies_from(world: World) -> None:
    admin = world.users[Role.ADMINISTRATOR]
    set_programme(admin, world.service_a, "ips_primary_care", APRIL)
    a = world.service_a
    assert queries.programme_on(a, APRIL - timedelta(days=1)).code == "ips_smi"
    assert queries.programme_on(a, APRIL).code == "ips_primary_care"
    assert queries.programme_on(a, date(2030, 1, 1)).code == "ips_primary_care"
    assert queries.programme_on(world.service_b, APRIL).code == "ips_smi"


def test_over_a_period_the_programme_is_the_one_on_its_last_day(world: World) -> None:
    set_programme(world.users[Role.ADMINISTRATOR], world.service_a, "ips_primary_care", APRIL)
    quarter_changed_in = Period(date(2026, 1, 1), date(2026, 6, 30))
    quarter_before = Period(date(2026, 1, 1), date(2026, 3, 31))
    assert queries.programme_over(world.service_a, quarter_changed_in).code == "ips_primary_care"
    assert queries.programme_over(world.service_a, quarter_before).code == "ips_smi"


def test_many_services_programmes_are_read_in_one_query(world: World) -> None:
    admin = world.users[Role.ADMINISTRATOR]
    extra = [
        Service.objects.create(organisation=world.org1, code=f"svc-{n}", name=f"Service {n}")
        for n in range(5)
    ]
    set_programme(admin, world.service_a, "ips_primary_care", date(2025, 4, 1))
    set_programme(admin, world.service_a, "talking_therapies_employment", APRIL)
    set_programme(admin, extra[0], "ips_primary_care", date(2027, 1, 1))  # not yet in June
    services = [world.service_a, world.service_b, *extra]
    with CaptureQueriesContext(connection) as ctx:
        found = queries.programmes_over(services, Period(date(2026, 4, 1), date(2026, 6, 30)))
    assert len(ctx.captured_queries) == 1
    assert found[world.service_a.pk].code == "talking_therapies_employment"
    assert {found[s.pk].code for s in [world.service_b, *extra]} == {"ips_smi"}
    earlier = queries.programmes_on([s.pk for s in services], date(2025, 12, 31))
    assert earlier[world.service_a.pk].code == "ips_primary_care"


def test_a_list_of_services_reads_each_ones_programme_in_the_same_query(world: World) -> None:
    set_programme(world.users[Role.ADMINISTRATOR], world.service_b, "ips_primary_care", APRIL)
    with CaptureQueriesContext(connection) as ctx:
        codes = {
            s.code: s.programme_code
            for s in queries.with_programme(Service.objects.all(), date(2026, 5, 1))
        }
    assert len(ctx.captured_queries) == 1
    assert codes == {"svc-a": "ips_smi", "svc-b": "ips_primary_care"}


def test_setting_a_programme_is_recorded_and_audited(world: World) -> None:
    admin = world.users[Role.ADMINISTRATOR]
    row = set_programme(admin, world.service_a, "ips_primary_care", APRIL)
    assert (row.recorded_by, row.valid_from, row.programme) == (admin, APRIL, "ips_primary_care")
    event = AuditEvent.objects.get(object_type="organisations.serviceprogramme")
    assert event.action == AuditAction.CREATE
    assert event.actor == admin and event.service_id == world.service_a.pk
    assert event.changes == {"fields": ["programme", "valid_from"]}


def test_a_second_setting_for_the_same_day_corrects_it_and_keeps_the_earlier(
    world: World,
) -> None:
    admin = world.users[Role.ADMINISTRATOR]
    set_programme(admin, world.service_a, "ips_primary_care", APRIL)
    set_programme(admin, world.service_a, "talking_therapies_employment", APRIL)
    assert list(world.service_a.programmes.values_list("programme", flat=True)) == [
        "talking_therapies_employment"
    ]
    update = AuditEvent.objects.get(action=AuditAction.UPDATE)
    assert update.changes == {"fields": ["programme"]}
    kept = EarlierValue.objects.get(event=update)
    assert (kept.field, kept.value) == ("programme", "IPS in Primary Care")


def test_the_programme_already_in_force_is_refused_with_nothing_saved(world: World) -> None:
    admin = world.users[Role.ADMINISTRATOR]
    with pytest.raises(AlreadyInForce) as refused:
        set_programme(admin, world.service_a, "ips_smi", APRIL)
    assert refused.value.programme.code == "ips_smi"
    set_programme(admin, world.service_a, "ips_primary_care", APRIL)
    with pytest.raises(AlreadyInForce):
        set_programme(admin, world.service_a, "ips_primary_care", date(2026, 5, 1))
    assert ServiceProgramme.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="organisations.serviceprogramme").count() == 1


def test_an_unknown_programme_or_a_date_beyond_a_year_is_refused(world: World) -> None:
    admin = world.users[Role.ADMINISTRATOR]
    with pytest.raises(ProgrammeError):
        set_programme(admin, world.service_a, "ips_cobol", APRIL)
    too_far = timezone.localdate() + timedelta(days=400)
    with pytest.raises(ValidationError, match="no more than a year from today"):
        set_programme(admin, world.service_a, "ips_primary_care", too_far)
    assert not ServiceProgramme.objects.exists()
    assert not AuditEvent.objects.filter(object_type="organisations.serviceprogramme").exists()


def test_the_history_lists_the_latest_first_with_who_recorded_it(world: World) -> None:
    admin = world.users[Role.ADMINISTRATOR]
    set_programme(admin, world.service_a, "ips_primary_care", date(2025, 4, 1))
    set_programme(admin, world.service_a, "talking_therapies_employment", APRIL)
    with CaptureQueriesContext(connection) as ctx:
        rows = [(r.programme, r.recorded_by.username) for r in queries.history(world.service_a)]
    assert rows == [("talking_therapies_employment", "admin"), ("ips_primary_care", "admin")]
    assert len(ctx.captured_queries) == 1


def test_in_force_over_a_period_names_each_change_after_its_first_day(world: World) -> None:
    a = world.service_a
    for code, day in (
        ("ips_primary_care", date(2025, 4, 1)),  # the period's first day: no change within it
        ("talking_therapies_employment", date(2025, 9, 1)),
        ("ips_smi", date(2026, 2, 1)),
        ("ips_primary_care", date(2026, 4, 1)),  # after the period
    ):
        ServiceProgramme.objects.create(service=a, programme=code, valid_from=day)
    with CaptureQueriesContext(connection) as ctx:
        found = queries.in_force_over(a, Period(date(2025, 4, 1), date(2026, 3, 31)))
    assert len(ctx.captured_queries) == 1
    assert found.programme.code == "ips_smi"
    assert [(c.day, c.before.code, c.after.code) for c in found.changes] == [
        (date(2025, 9, 1), "ips_primary_care", "talking_therapies_employment"),
        (date(2026, 2, 1), "talking_therapies_employment", "ips_smi"),
    ]
    unchanged = queries.in_force_over(world.service_b, Period(date(2025, 4, 1), date(2026, 3, 31)))
    assert unchanged.programme.code == "ips_smi" and unchanged.changes == ()
