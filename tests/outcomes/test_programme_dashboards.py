"""A dashboard reads the measures and benchmarks of the service's programme on its as-of day,
names the programme, and says so when its periods span a change; every programme's measures are
measures the metrics count and the presenters word."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from openips.accounts.roles import Role
from openips.clients.models import Episode
from openips.organisations.models import ServiceProgramme
from openips.organisations.programmes import PROGRAMMES
from openips.outcomes.dashboard import last_12_months, monthly_job_outcomes, months_back
from openips.outcomes.metrics import Period, outcome_metrics
from openips.outcomes.presenters import LABELS, ROWS, shown
from openips.outcomes.report import Facts
from tests.conftest import World, signed_in
from tests.factories import EpisodeFactory, JobFactory, PersonFactory


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


# A service's rows follow its programme's kpis.

AS_OF = "2025-06-30"  # 2025/26 Q1; the last 12 months from 1 July 2024


def rows(html: str) -> list[str]:
    """The measures of the summary table, in order."""
    table = html[html.index("Outcomes against the benchmarks</caption>") :]
    table = table[: table.index("</table>")]
    return re.findall(r'<th scope="row" class="nhsuk-table__header">([^<]+)</th>', table)


def main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def qualifying_job(world: World) -> None:
    """One person of ES01 in work 20 hours a week at £13 an hour from 3 March 2025: the job
    outcome is 90 days on, 1 June 2025, 144 days after acceptance on 8 January."""
    person = PersonFactory(service=world.service_a, date_of_birth=date(1990, 1, 1))
    episode = EpisodeFactory(
        person=person,
        employment_specialist=world.service_a.staff.get(staff_id="ES01"),
        vocational_profile_date=date(2025, 1, 20),
    )
    JobFactory(
        episode=episode,
        start_date=date(2025, 3, 3),
        hours_per_week=Decimal("20"),
        hourly_pay=Decimal("13.00"),
    )


def switch(world: World, code: str, day: date) -> None:
    ServiceProgramme.objects.create(service=world.service_a, programme=code, valid_from=day)


@pytest.mark.django_db
def test_a_primary_care_service_shows_its_kpis_and_job_outcomes(world: World) -> None:
    qualifying_job(world)
    switch(world, "ips_primary_care", date(2024, 4, 1))  # before the last 12 months
    pk = world.service_a.pk
    html = dashboard(world, Role.TEAM_LEADER, "outcomes:service", AS_OF, pk=pk)
    assert rows(html) == [LABELS[k] for k in PROGRAMMES["ips_primary_care"].kpis]
    assert "Jobs sustained 52 weeks" not in rows(html) and "In work at referral" not in rows(html)
    outcome = re.search(
        r"Job outcomes \(7 hours a week or more in 13 of 16 weeks\)</th>\s*"
        r"<td[^>]*>([^<]*)</td>\s*<td[^>]*>([^<]*)</td>\s*<td[^>]*>([^<]*)</td>",
        html,
    )
    assert outcome is not None
    expected = "1 (1 at 16 hours or more); median 144 days from acceptance"
    quarter, year, benchmark = outcome.groups()
    assert (quarter, year) == (expected, expected)  # in the quarter and the 12 months
    # Read beside the programme's own benchmark, the trial evidence for primary care.
    assert benchmark == PROGRAMMES["ips_primary_care"].benchmarks["job_outcomes"].text
    assert "Health-led Trials" in benchmark
    assert "The measures and benchmarks of IPS in Primary Care." in html
    assert 'id="programme-changes"' not in html  # no change within the last 12 months
    # Job outcomes month by month, and specialist by specialist.
    assert "Job outcomes each month (7 hours a week or more)" in html
    by_es = html[html.index('id="by-specialist"') :]
    by_es = by_es[: by_es.index("</table>")]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", by_es)
    assert cells[:4] == ["ES01", "1", "1", "144"]
    # The specialist's own dashboard: the same measures for their caseload, no colleagues.
    es = world.service_a.staff.get(staff_id="ES01")
    es.user = world.users[Role.EMPLOYMENT_SPECIALIST]
    es.save()
    own = dashboard(world, Role.EMPLOYMENT_SPECIALIST, "outcomes:index", AS_OF)
    assert rows(own) == rows(html)
    assert expected in own and 'id="by-specialist"' not in own


@pytest.mark.django_db
def test_switching_back_restores_the_page(world: World) -> None:
    qualifying_job(world)
    pk = world.service_a.pk
    today = main(dashboard(world, Role.TEAM_LEADER, "outcomes:service", AS_OF, pk=pk))
    assert rows(today) == [label for _, label in ROWS]
    assert "The measures and benchmarks of IPS in secondary mental health." in today
    assert "Job outcomes" not in today and 'id="by-specialist"' not in today
    switch(world, "ips_primary_care", date(2023, 4, 1))
    moved = main(dashboard(world, Role.TEAM_LEADER, "outcomes:service", AS_OF, pk=pk))
    assert moved != today and "Job outcomes" in moved
    switch(world, "ips_smi", date(2024, 4, 1))  # back, before the last 12 months
    assert main(dashboard(world, Role.TEAM_LEADER, "outcomes:service", AS_OF, pk=pk)) == today


@pytest.mark.django_db
def test_over_a_change_the_page_says_whose_measures_it_shows(world: World) -> None:
    qualifying_job(world)
    switch(world, "ips_primary_care", date(2025, 1, 1))
    pk = world.service_a.pk
    html = dashboard(world, Role.TEAM_LEADER, "outcomes:service", AS_OF, pk=pk)
    note = html[html.index('id="programme-changes"') :]
    note = re.sub(r"\s+", " ", unescape(note[: note.index("</div>")]))
    assert (
        "The service changed programme on 1 January 2025, from IPS in secondary mental health "
        "to IPS in Primary Care. Figures for a period over a change show the measures of the "
        "programme in force on the period's last day: here IPS in Primary Care, in force on "
        "30 June 2025."
    ) in note
    assert rows(html) == [LABELS[k] for k in PROGRAMMES["ips_primary_care"].kpis]
    # Back to IPS in secondary mental health in May: both changes named, its rows again.
    switch(world, "ips_smi", date(2025, 5, 1))
    html = dashboard(world, Role.TEAM_LEADER, "outcomes:service", AS_OF, pk=pk)
    assert (
        "on 1 January 2025, from IPS in secondary mental health to IPS in Primary Care, and "
        in html
    )
    assert "on 1 May 2025, from IPS in Primary Care to IPS in secondary mental health." in html
    assert rows(html) == [label for _, label in ROWS]
    # A period that ends before the change is read by the earlier programme, with no note.
    before = dashboard(world, Role.TEAM_LEADER, "outcomes:service", "2024-12-31", pk=pk)
    assert rows(before) == [label for _, label in ROWS] and "programme-changes" not in before


@pytest.mark.parametrize("code", list(PROGRAMMES))
def test_every_programmes_measures_have_a_label(code: str) -> None:
    assert set(PROGRAMMES[code].kpis) <= LABELS.keys()


def test_the_job_outcome_is_worded_with_its_16_hours_and_median() -> None:
    def worded(outcomes: int | str, at_16: int | str, median: float | str | None) -> str:
        value = {
            "outcomes": outcomes,
            "outcomes_16_hours": at_16,
            "median_days_from_acceptance": median,
        }
        return shown("job_outcomes", {"job_outcomes": value})

    assert worded(6, 4, 207) == "6 (4 at 16 hours or more); median 207 days from acceptance"
    assert worded(2, 0, 152.5) == "2 (0 at 16 hours or more); median 152.5 days from acceptance"
    assert worded(1, 1, None) == "1 (1 at 16 hours or more)"  # never accepted: not timed
    assert worded(0, 0, None) == "0"
    assert worded("*", "*", "*") == "* (* at 16 hours or more); median * days from acceptance"


@pytest.mark.django_db
def test_the_monthly_job_outcomes_count_as_the_metrics_do_month_by_month(world: World) -> None:
    qualifying_job(world)
    for start, hours in (
        (date(2024, 11, 4), "8"),
        (date(2025, 1, 31), "30"),
        (date(2025, 4, 2), "7"),
    ):
        person = PersonFactory(service=world.service_a, date_of_birth=date(1985, 6, 1))
        JobFactory(
            episode=EpisodeFactory(person=person),
            start_date=start,
            hours_per_week=Decimal(hours),
            hourly_pay=Decimal("12.50"),
        )
    as_of = date(2025, 6, 30)
    facts = Facts(Episode.objects.all(), last_12_months(as_of))
    months = months_back(as_of, 24)
    each = [outcome_metrics(facts.episodes, facts.jobs, m)["job_outcomes"] for m in months]
    assert monthly_job_outcomes(facts, months) == [e["outcomes"] for e in each]
    assert sum(e["outcomes"] for e in each) == 3  # the April start reaches it on 1 July
