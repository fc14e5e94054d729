"""The savings estimate: nights before and during valued at each sourced unit cost with the sum
shown, the benefits and tax of the saved better-off estimates of people who started work, the
caveat and the trial figures beside them; small numbers withheld for a commissioner; a unit
cost without its source refused."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from openips.accounts.roles import Role
from openips.benefits.fiscal import fiscal_change
from openips.casework.services import delete_contact
from openips.clients.models import Episode
from openips.outcomes import savings
from tests.benefits.factories import make_estimate
from tests.conftest import World, signed_in
from tests.factories import HospitalStayFactory

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace("&#39;", "'")


def costs(**overrides: Any) -> dict[str, Any]:
    entry = {
        "name": "A night on a mental health ward",
        "unit": "pounds per bed day",
        "low": {"value": "300", "price_year": "2011/12", "source": "Reference costs"},
        "central": {"value": "500", "price_year": "2024/25", "source": "An ICS"},
        "high": {"value": "600", "price_year": "2021/22", "source": "A trust"},
    }
    return {"parameters": {"bed_day": entry | overrides}}


def test_every_unit_cost_needs_its_value_price_year_and_source_in_order() -> None:
    found = savings.parse(costs(), "costs.json")["bed_day"]
    assert [v.amount for v in found.values.values()] == [300, 500, 600]
    no_source = costs(central={"value": "500", "price_year": "2024/25", "source": " "})
    with pytest.raises(
        savings.UnitCostError, match=r"bed_day.central: every value needs its source"
    ):
        savings.parse(no_source, "costs.json")
    no_year = costs(low={"value": "300", "source": "Reference costs"})
    with pytest.raises(savings.UnitCostError, match="needs its price_year"):
        savings.parse(no_year, "costs.json")
    muddled = costs(high={"value": "400", "price_year": "2021/22", "source": "A trust"})
    with pytest.raises(savings.UnitCostError, match="must be in order"):
        savings.parse(muddled, "costs.json")
    # The file the product reads keeps these rules.
    held = savings.parameters()[savings.BED_DAY]
    assert all(v.source and v.price_year for v in held.values.values())


def test_the_page_shows_the_arithmetic_the_range_and_every_source(world: World) -> None:
    # Person A, accepted 8 January 2025: 10 nights in October 2024 before, 4 in March after.
    HospitalStayFactory(person=world.person_a)
    HospitalStayFactory(
        person=world.person_a, admission_date=date(2025, 3, 1), discharge_date=date(2025, 3, 5)
    )
    tl = signed_in(world.users[Role.TEAM_LEADER])
    url = reverse("outcomes:savings", args=[world.service_a.pk])
    shown = text(tl.get(url, {"as_of": "2026-01-31"}).content.decode())
    bed_day = savings.parameters()[savings.BED_DAY].values
    low, central, high = (bed_day[k].amount for k in ("low", "central", "high"))
    assert (
        "10 nights in the year before acceptance − 4 in the year from it = 6 fewer nights" in shown
    )
    assert f"6 nights × £{central:,.0f} = £{6 * central:,.0f}" in shown
    assert (
        f"Between £{6 * low:,.0f} and £{6 * high:,.0f}, £{6 * central:,.0f} at the central" in shown
    )
    for value in bed_day.values():
        assert value.source in shown and f"({value.price_year} prices)" in shown
    assert "no control group" in shown and "overstates" in shown
    assert "20% of people offered IPS were readmitted" in shown and "31%" in shown


def test_the_benefits_and_tax_come_from_the_estimates_of_people_who_started_work(
    world: World,
) -> None:
    episode = world.episode(world.person_a)  # a job started on 3 March 2025
    es = world.users[Role.EMPLOYMENT_SPECIALIST]
    world.service_a.staff.filter(staff_id="ES01").update(user=es)
    estimate = make_estimate(episode, es, date(2025, 2, 20))
    change = fiscal_change(estimate)
    assert change is not None and change.benefits_saved > 0 and change.tax_gained >= 0
    period = savings.Period(date(2025, 1, 1), date(2025, 12, 31))
    found = savings.build(Episode.objects.filter(service=world.service_a), period)
    assert (found.purse.started, found.purse.estimated) == (1, 1)
    assert found.purse.benefits_saved == change.benefits_saved * 12
    assert found.purse.tax_gained == change.tax_gained * 12
    shown = text(
        signed_in(world.users[Role.TEAM_LEADER])
        .get(reverse("outcomes:savings", args=[world.service_a.pk]), {"as_of": "2025-12-31"})
        .content.decode()
    )
    assert "1 people started a job in the period; 1 of them have" in shown
    assert f"down by £{change.benefits_saved * 12:,.0f}" in shown
    # An estimate saved with a contact deleted as recorded by mistake no longer counts.
    delete_contact(es, estimate.contact, started_from=estimate.contact.version, reason="duplicate")
    gone = savings.build(Episode.objects.filter(service=world.service_a), period)
    assert (gone.purse.started, gone.purse.estimated) == (1, 0)


def test_a_commissioner_sees_small_numbers_withheld(world: World) -> None:
    HospitalStayFactory(person=world.person_a)
    commissioner = signed_in(world.users[Role.COMMISSIONER])
    shown = text(
        commissioner.get(
            reverse("outcomes:network_savings"), {"as_of": "2026-01-31"}
        ).content.decode()
    )
    assert "Small numbers are withheld" in shown
    assert "The nights are withheld: fewer than 8 people, so they are not valued." in shown
    assert "× £" not in shown
