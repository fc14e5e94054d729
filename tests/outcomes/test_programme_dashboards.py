"""A dashboard reads the benchmarks of the service's programme on its as-of day, and names the
programme under its heading; every programme's measures are measures the metrics count."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from openips.accounts.roles import Role
from openips.organisations.models import ServiceProgramme
from openips.organisations.programmes import PROGRAMMES
from openips.outcomes.metrics import Period, outcome_metrics
from tests.conftest import World, signed_in


def dashboard(world: World, role: str, name: str, as_of: str, **kwargs: int) -> str:
    response = signed_in(world.users[role]).get(reverse(name, kwargs=kwargs), {"as_of": as_of})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_dashboard_follows_the_programme_in_force_on_its_day(world: World) -> None:
    ServiceProgramme.objects.create(
        service=world.service_a, programme="ips_primary_care", valid_from=date(2025, 4, 1)
    )
    pk = world.service_a.pk
    before = dashboard(world, Role.TEAM_LEADER, "outcomes:service", "2025-03-31", pk=pk)
    assert '<p class="nhsuk-body-l" id="programme">IPS in secondary mental health</p>' in before
    assert "IPS Grow: 40%" in before
    after = dashboard(world, Role.TEAM_LEADER, "outcomes:service", "2025-06-30", pk=pk)
    assert '<p class="nhsuk-body-l" id="programme">IPS in Primary Care</p>' in after
    # IPS in Primary Care holds none of IPS Grow's benchmarks for IPS in secondary care.
    assert "IPS Grow: " not in after and "IPS Learning Community" not in after
    own = dashboard(world, Role.EMPLOYMENT_SPECIALIST, "outcomes:index", "2025-06-30")
    assert "Your outcomes" in own and "IPS in Primary Care" in own


@pytest.mark.parametrize("code", list(PROGRAMMES))
def test_every_programmes_measures_are_counted_by_the_metrics(code: str) -> None:
    counted = outcome_metrics([], [], Period(date(2025, 1, 1), date(2025, 3, 31)))
    programme = PROGRAMMES[code]
    assert set(programme.kpis) <= counted.keys()
    assert set(programme.benchmarks) <= set(programme.kpis)
