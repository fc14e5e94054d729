"""The commissioner's network page: every rate beside its counts is worked out from the counts
as the page shows them (rounded to 5), or withheld when one of them is; never the exact rate,
which beside rounded counts would read as a contradiction and give the exact counts away."""

from __future__ import annotations

import re
from datetime import date

from django.urls import reverse

from openips.accounts.roles import Role
from openips.clients.models import Episode, Person
from openips.employment.models import Job
from openips.organisations.models import Service
from tests.conftest import World, signed_in
from tests.outcomes.test_network_disclosure import populate

COLUMNS = (
    "referrals",
    "served",
    "into_work",
    "employment_rate",
    "job_starts",
    "cohort",
    "sustained",
    "sustained_rate",
)


def jobs_reaching_13_weeks(service: Service, cohort: int, sustained: int, tag: str) -> None:
    """`cohort` jobs started on 3 March 2025 (13 weeks on: 2 June), `sustained` still held."""
    for n in range(cohort):
        person = Person.objects.create(service=service, client_id=f"{tag}-{n}")
        episode = Episode.objects.create(
            service=service,
            person=person,
            episode_id=f"{tag}-{n}",
            referral_date=date(2024, 11, 4),
            referral_source="self",
            employment_status_at_referral="employed",
            accepted_date=date(2024, 11, 11),
            vocational_profile_date=date(2024, 11, 18),
        )
        Job.objects.create(
            service=service,
            episode=episode,
            job_id=f"{tag}-{n}",
            job_title="Porter",
            start_date=date(2025, 3, 3),
            end_date=None if n < sustained else date(2025, 4, 30),
            start_confirmed=True,
            competitive=True,
        )


def rows(world: World) -> dict[str, dict[str, str]]:
    page = signed_in(world.users[Role.COMMISSIONER]).get(
        reverse("outcomes:network"), {"as_of": "2025-12-31"}
    )
    assert page.status_code == 200
    html = page.content.decode()
    found = {}
    for name in ("Service A", "Service B", "Network"):
        row = re.search(
            rf'<th scope="row" class="nhsuk-table__header">{name}</th>(.*?)</tr>', html, re.S
        )
        assert row is not None, name
        cells = re.findall(r'<td class="nhsuk-table__cell[^"]*">([^<]*)</td>', row.group(1))
        found[name] = dict(zip(COLUMNS, cells, strict=False))
    return found


def consistent(row: dict[str, str], part: str, whole: str, rate: str) -> None:
    if "*" in (row[part], row[whole]):
        assert row[rate] == "*", row
    else:
        assert row[rate] == f"{int(row[part]) / int(row[whole]):.0%}", row


def test_a_sustained_rate_is_worked_out_from_the_rounded_counts_shown_beside_it(
    world: World,
) -> None:
    # Each service of the world already has one job start reaching 13 weeks, still held.
    jobs_reaching_13_weeks(world.service_a, cohort=12, sustained=11, tag="a")
    jobs_reaching_13_weeks(world.service_b, cohort=29, sustained=29, tag="b")
    found = rows(world)
    shown = found["Service A"]
    # Exactly 12 of 13 (92%); shown as 10 of 15, so the rate shown is 10 / 15.
    assert (shown["sustained"], shown["cohort"]) == ("10", "15")
    assert shown["sustained_rate"] == "67%"
    # The network: exactly 42 of 43 (98%), shown as 40 of 45.
    assert (found["Network"]["sustained"], found["Network"]["cohort"]) == ("40", "45")
    assert found["Network"]["sustained_rate"] == "89%"
    for row in found.values():
        consistent(row, "sustained", "cohort", "sustained_rate")


def test_a_rate_is_withheld_when_a_count_it_comes_from_is(world: World) -> None:
    jobs_reaching_13_weeks(world.service_a, cohort=20, sustained=19, tag="a")
    populate(world.service_a, 43, 16, "pa")
    populate(world.service_b, 12, 5, "pb")  # 5 into work: withheld
    # B's cohort: these 4, the world's job and the 5 starts above (13 weeks on is 1 September);
    # 1 + 1 + 5 = 7 of them still held: withheld.
    jobs_reaching_13_weeks(world.service_b, cohort=4, sustained=1, tag="b")
    found = rows(world)
    assert found["Service B"]["cohort"] == "10", found
    assert found["Service B"]["sustained"] == "*" and found["Service B"]["sustained_rate"] == "*"
    assert found["Service B"]["into_work"] == "*" and found["Service B"]["employment_rate"] == "*"
    for row in found.values():
        consistent(row, "sustained", "cohort", "sustained_rate")
        consistent(row, "into_work", "served", "employment_rate")
