"""A time-limited programme cannot meet IPS-25 item 23 (time-unlimited follow-along supports) as
written: the review and the live estimate say it is modified rather than let it read as a
failure, and switching the service back to IPS in secondary care restores the plain item."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from openips.accounts.roles import Role
from openips.fidelity.estimates import Estimator, evidence
from openips.fidelity.forms import RatingsForm
from openips.fidelity.presenters import ReviewSheet
from openips.fidelity.scale import scales
from openips.organisations.models import Service
from openips.organisations.services import set_programme
from tests.conftest import World, make_user, signed_in
from tests.fidelity.test_reviews import VISIT, example, planned  # noqa: F401 (a fixture)

AS_OF = date(2025, 12, 31)
MODIFIED = "Modified for a time-limited programme"


def item_23(found: list) -> list[str]:  # type: ignore[type-arg]
    return [e.text for e in found if e.item == 23]


def test_the_live_estimate_says_item_23_is_modified(example: Service) -> None:  # noqa: F811
    plain = item_23(evidence(Estimator(example, AS_OF)))
    assert plain and not any(MODIFIED in t for t in plain)
    admin = make_user("programme-admin", Role.ADMINISTRATOR)
    set_programme(admin, example, "ips_primary_care", date(2025, 1, 1))
    (text,) = item_23(evidence(Estimator(example, AS_OF)))
    assert text.startswith(MODIFIED) and plain[0] in text  # the note, then the evidence
    manager = signed_in(
        make_user("estimates-manager", Role.SERVICE_MANAGER, organisation=example.organisation)
    )
    url = reverse("fidelity:estimates", args=[example.pk])
    page = manager.get(url, {"as_of": AS_OF.isoformat()}).content.decode()
    assert "IPS in Primary Care, which reads item 23 differently" in page
    set_programme(admin, example, "ips_smi", date(2025, 6, 1))  # switched back
    assert item_23(evidence(Estimator(example, AS_OF))) == plain


def test_the_review_asks_for_item_23_to_be_rated_as_the_programme_delivers_it(
    world: World,
) -> None:
    admin = world.users[Role.ADMINISTRATOR]
    set_programme(admin, world.service_a, "ips_primary_care", date(2025, 1, 1))
    review = planned(world, "one")
    sheet = ReviewSheet(review, world.users[Role.TEAM_LEADER])
    modified = {row.item.number: row.modified for row in sheet.rows if row.modified}
    assert list(modified) == [23] and modified[23].startswith(MODIFIED)
    form = RatingsForm(scale=scales()[review.scale_id], modified=sheet.modified)
    assert "rate it as this programme delivers it" in form.fields["rating_23"].help_text
    assert "programme" not in form.fields["rating_22"].help_text
    page = signed_in(world.users[Role.TEAM_LEADER]).get(
        reverse("fidelity:review", args=[review.pk])
    )
    assert "IPS in Primary Care: items read differently: 23" in page.content.decode()
    set_programme(admin, world.service_a, "ips_smi", VISIT)
    assert not any(row.modified for row in ReviewSheet(review, admin).rows)
