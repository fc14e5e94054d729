"""Fidelity reviews: independence of ratings, the stages, reviewer access for the review period,
the estimates page and data pack linking to their records, and the prompt when an estimate falls
below the last agreed rating."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from openips.accounts.models import ReviewerAccess
from openips.accounts.queries import services_with_client_access
from openips.accounts.roles import Role
from openips.audit.models import AuditAction, AuditEvent
from openips.fidelity import services
from openips.fidelity.estimates import Estimator
from openips.fidelity.models import AgreedRating, Rating, Review, ReviewStatus
from openips.fidelity.presenters import ReviewSheet
from openips.interchange.importer import import_folder
from openips.organisations.models import Service, StaffMember
from tests.conftest import World, make_user, signed_in
from tests.interchange.test_import_export import EXAMPLE

VISIT = date(2026, 1, 12)
PLANNED_ON = date(2025, 12, 1)


def all_items(rating: int, **special: int) -> dict[int, tuple[int, str]]:
    return {i: (special.get(f"i{i}", rating), "") for i in range(1, 26)}


def planned(world: World, *reviewers: str) -> Review:
    people = [make_user(name, Role.FIDELITY_REVIEWER) for name in reviewers]
    with time_machine.travel(PLANNED_ON):  # a visit is planned within a year of it
        return services.plan(
            world.users[Role.TEAM_LEADER],
            world.service_a,
            "external",
            VISIT,
            VISIT + timedelta(days=1),
            people,
        )


def test_reviewers_rate_on_their_own_until_both_have_rated(world: World) -> None:
    review = planned(world, "one", "two")
    one, two = review.reviewers.order_by("username")
    services.save_ratings(one, review, all_items(3, i15=4))
    review.refresh_from_db()
    assert review.status == ReviewStatus.IN_PROGRESS
    sheet = ReviewSheet(review, two)
    assert not sheet.shows_everyone
    assert [reviewer for reviewer, _ in sheet.rows[0].ratings] == [two]

    services.save_ratings(two, review, all_items(3, i15=2))
    sheet = ReviewSheet(review, two)
    assert sheet.shows_everyone
    assert [row.item.number for row in sheet.differences] == [15]


def test_a_review_moves_through_its_stages_and_freezes_ratings(world: World) -> None:
    review = planned(world, "one")
    (one,) = review.reviewers.all()
    with pytest.raises(services.ReviewError):
        services.agree(one, review, all_items(3))  # nobody has rated yet: still planned
    services.save_ratings(one, review, all_items(3))
    review.refresh_from_db()
    with pytest.raises(services.ReviewError, match="every item"):
        services.agree(one, review, dict.fromkeys(range(1, 25), (3, "")))
    assert review.agreed.count() == 0  # nothing half-saved
    services.agree(one, review, all_items(4))
    review.refresh_from_db()
    assert ReviewSheet(review, one).total == 100
    with pytest.raises(services.ReviewError, match="agreed"):
        services.save_ratings(one, review, all_items(1))
    assert set(Rating.objects.filter(review=review).values_list("rating", flat=True)) == {3}
    services.publish(one, review)
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED and review.published_on is not None


def test_a_reviewer_sees_the_service_only_for_the_review_period(world: World) -> None:
    with time_machine.travel(date(2025, 12, 1)):
        review = planned(world, "visitor")
    (visitor,) = review.reviewers.all()
    seen = {}
    days = (date(2025, 12, 14), date(2025, 12, 15), VISIT, VISIT + timedelta(29))
    days += (VISIT + timedelta(30),)
    for day in days:
        with time_machine.travel(day):
            seen[day] = list(services_with_client_access(visitor).values_list("code", flat=True))
    # From 28 days before the visit (whenever it was planned) to 28 days after it.
    assert list(seen.values()) == [[], ["svc-a"], ["svc-a"], ["svc-a"], []]
    assert AuditEvent.objects.filter(
        object_type="accounts.revieweraccess", service_id=review.service_id
    ).exists()
    assert Service.objects.get(code="svc-b") not in services_with_client_access(visitor)


def test_the_comparison_shows_the_previous_reviews_ratings(world: World) -> None:
    leader = world.users[Role.TEAM_LEADER]
    earlier = Review.objects.create(
        service=world.service_a,
        kind="self",
        scale_id="ips25-uk-1",
        visit_start=date(2025, 1, 6),
        visit_end=date(2025, 1, 7),
        planned_by=leader,
        status=ReviewStatus.PUBLISHED,
    )
    AgreedRating.objects.bulk_create(
        AgreedRating(review=earlier, item=i, rating=2, rationale="") for i in range(1, 26)
    )
    review = planned(world, "one")
    (one,) = review.reviewers.all()
    services.save_ratings(one, review, all_items(3))
    services.agree(one, review, all_items(3, i7=2))
    sheet = ReviewSheet(review, leader)
    assert [row.previous for row in sheet.rows] == [2] * 25
    chart = sheet.comparison_chart()
    assert chart is not None
    assert sorted(m.kind for m in chart.markers).count("special-high") == 24
    page = signed_in(leader).get(reverse("fidelity:report", args=[review.pk]))
    assert page.status_code == 200
    assert "Previous review" in page.content.decode()


@pytest.fixture
def example(db: None) -> Service:
    assert import_folder(EXAMPLE, "EXAMPLE").ok
    return Service.objects.get(code="EXAMPLE")


def manager_of(service: Service) -> Client:
    return signed_in(
        make_user("exmanager", Role.SERVICE_MANAGER, organisation=service.organisation)
    )


def test_every_estimate_links_to_the_records_behind_it(example: Service) -> None:
    client = manager_of(example)
    page = client.get(reverse("fidelity:estimates", args=[example.pk]), {"as_of": "2025-12-31"})
    html = page.content.decode()
    estimates = Estimator(example, date(2025, 12, 31)).all()
    links = re.findall(r'href="(/fidelity/services/\d+/estimates/(\d+)/\?as_of=2025-12-31)"', html)
    assert sorted(int(item) for _, item in links) == sorted(e.number for e in estimates)
    for href, item in links:
        estimate = next(e for e in estimates if e.number == int(item))
        records = client.get(href)
        assert records.status_code == 200
        rows = records.content.decode().count('<tr class="nhsuk-table__row">') - 1  # the header
        assert rows == len(estimate.records), item


def test_item_15_lists_the_longest_waits_first(example: Service) -> None:
    page = manager_of(example).get(
        reverse("fidelity:estimate_records", args=[example.pk, 15]), {"as_of": "2025-12-31"}
    )
    waits = [
        int(n)
        for n in re.findall(
            r'numeric">(\d+)(?: so far, no contact yet)?</td>', page.content.decode()
        )
    ]
    assert len(waits) > 2 and waits == sorted(waits, reverse=True)


def test_a_prompt_when_an_estimate_falls_below_the_last_agreed_rating(example: Service) -> None:
    client = manager_of(example)
    url = reverse("fidelity:estimates", args=[example.pk])
    assert (
        "Below the last agreed rating"
        not in client.get(url, {"as_of": "2025-12-31"}).content.decode()
    )
    review = Review.objects.create(
        service=example,
        kind="external",
        scale_id="ips25-uk-1",
        visit_start=date(2025, 6, 2),
        visit_end=date(2025, 6, 3),
        status=ReviewStatus.AGREED,
        planned_by=make_user("exleader", Role.TEAM_LEADER, service=example),
    )
    # Agreed 4 everywhere: the worked example's estimates are 5, 4, 4, 2, 2, 5 and 1 (scored items).
    AgreedRating.objects.bulk_create(
        AgreedRating(review=review, item=i, rating=4, rationale="") for i in range(1, 26)
    )
    html = client.get(url, {"as_of": "2025-12-31"}).content.decode()
    below = [
        e.name for e in Estimator(example, date(2025, 12, 31)).all() if e.score and e.score < 4
    ]
    assert len(below) == 3
    prompt = html[html.index("Below the last agreed rating") :][:800]
    assert all(name in prompt for name in below)
    assert "&lt;p&gt;" not in prompt and "<p>" in prompt  # a paragraph, escaped once
    above = [
        e.name for e in Estimator(example, date(2025, 12, 31)).all() if e.score and e.score >= 4
    ]
    assert not any(name in prompt for name in above)


def test_the_data_pack_is_the_estimates_before_the_visit_and_a_reviewers_look_is_audited(
    example: Service,
) -> None:
    reviewer = make_user("visitor", Role.FIDELITY_REVIEWER)
    with time_machine.travel(date(2026, 1, 2)):
        review = services.plan(
            make_user("exleader", Role.TEAM_LEADER, service=example),
            example,
            "external",
            date(2026, 1, 1),
            date(2026, 1, 2),
            [reviewer],
        )
        page = signed_in(reviewer).get(reverse("fidelity:data_pack", args=[review.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "as of 31 December 2025" in html
    for e in Estimator(example, date(2025, 12, 31)).all():
        assert f'id="item-{e.number}"' in html
    assert "Employment rate (out of work at referral)" in html
    assert "Item 23:" in html  # the follow-along evidence beside a reviewer-rated item
    looked = AuditEvent.objects.filter(actor=reviewer, action=AuditAction.VIEW)
    assert [e.changes.get("page") for e in looked] == ["data pack"]


@pytest.mark.parametrize(
    ("start", "end", "problem"),
    [
        (date(2099, 6, 1), date(2099, 6, 2), "within a year of today"),
        (date(2025, 12, 8), date(2026, 3, 1), "at most 14 days"),
        (date(2025, 12, 8), date(2025, 12, 7), "same as or after the first day"),
    ],
)
def test_a_visit_and_so_a_reviewers_access_is_bounded(
    world: World, start: date, end: date, problem: str
) -> None:
    reviewer = make_user("far", Role.FIDELITY_REVIEWER)
    with time_machine.travel(PLANNED_ON), pytest.raises(services.ReviewError, match=problem):
        services.plan(
            world.users[Role.TEAM_LEADER], world.service_a, "external", start, end, [reviewer]
        )
    assert not ReviewerAccess.objects.filter(reviewer=reviewer).exists()


def item_1_cells(html: str) -> tuple[str, str]:
    """Item 1's measured value and estimated rating, as the summary table shows them."""
    row = re.search(
        r"1\. Caseload size.*?</th>\s*<td[^>]*>([^<]*)</td>\s*<td[^>]*>([^<]*)</td>", html, re.S
    )
    assert row is not None
    return row.group(1), row.group(2)


def test_a_data_pack_before_its_day_shows_the_live_caseload_estimate(example: Service) -> None:
    today = date(2026, 1, 2)  # the records run to 31 December 2025; the visit is a month away
    leader = make_user("exleader", Role.TEAM_LEADER, service=example)
    with time_machine.travel(today):
        review = services.plan(leader, example, "external", date(2026, 2, 2), date(2026, 2, 3), [])
        pack = signed_in(leader).get(reverse("fidelity:data_pack", args=[review.pk]))
        live = signed_in(leader).get(reverse("fidelity:estimates", args=[example.pk]))
    assert pack.status_code == live.status_code == 200
    pack_html, live_html = pack.content.decode(), live.content.decode()
    caseload = Estimator(example, today).caseload()
    assert caseload.value and caseload.value > 15  # people seen in December count as active
    shown = (f"{caseload.value:,.1f}", str(caseload.score))
    assert item_1_cells(pack_html) == item_1_cells(live_html) == shown
    assert "as they stand today, 2 January 2026" in pack_html
    # Beside it, the outcome that item 1 counts, so the pack's figures agree with each other.
    active = re.search(
        r"Active caseload \(seen in the last 4 weeks\)</dt>\s*<dd[^>]*>(\d+)", pack_html
    )
    assert active is not None and int(active.group(1)) == len(caseload.records)


def test_the_pack_keeps_the_day_before_the_visit_once_it_has_come(example: Service) -> None:
    leader = make_user("exleader", Role.TEAM_LEADER, service=example)
    with time_machine.travel(date(2025, 12, 20)):
        review = services.plan(leader, example, "self", date(2026, 1, 1), date(2026, 1, 2), [])
    with time_machine.travel(date(2026, 1, 20)):
        pack = signed_in(leader).get(reverse("fidelity:data_pack", args=[review.pk]))
    html = pack.content.decode()
    assert "as of 31 December 2025, the day before the visit" in html
    caseload = Estimator(example, date(2025, 12, 31)).caseload()
    assert item_1_cells(html) == (f"{caseload.value:,.1f}", str(caseload.score))


def test_a_specialist_above_20_per_post_is_flagged_on_the_estimates_and_the_pack(
    example: Service,
) -> None:
    # On 31 December 2025 ES01 has 25 active clients on 0.8 of a post: 31.3, while the
    # service's 35 over 1.8 posts is 19.4, a 5.
    StaffMember.objects.filter(service=example, staff_id="ES01").update(name="Specialist <1>")
    leader = make_user("exleader", Role.TEAM_LEADER, service=example)
    page = signed_in(leader).get(
        reverse("fidelity:estimates", args=[example.pk]), {"as_of": "2025-12-31"}
    )
    html = page.content.decode()
    assert item_1_cells(html) == ("19.4", "5")
    assert "1 employment specialist carries more than 20 active clients per full-time post" in html
    assert "<p>Specialist &lt;1&gt; (ES01): 31.2. The estimated rating follows" in html
    assert "1 above 20 per post" in html
    assert "&lt;p&gt;" not in html
    assert "Specialist <1>" not in html
    flagged = html[html.index("Per full-time post") :]
    assert "Specialist 3 (ES03)" in flagged and flagged.count("nhsuk-tag--red") == 1
    with time_machine.travel(date(2025, 12, 20)):
        review = services.plan(leader, example, "self", date(2026, 1, 1), date(2026, 1, 2), [])
    with time_machine.travel(date(2026, 1, 5)):
        pack = signed_in(leader).get(reverse("fidelity:data_pack", args=[review.pk]))
    assert "1 employment specialist carries more than 20" in pack.content.decode()


def printed_window(html: str) -> tuple[date, date]:
    found = re.search(
        r"can open the service(?:'|&#39;)s records from ([\w ]+?) to ([\w ]+?),", html
    )
    assert found is not None
    return tuple(  # type: ignore[return-value]
        datetime.strptime(text, "%d %B %Y").date()  # noqa: DTZ007 (dates)
        for text in found.groups()
    )


def test_a_reviewers_access_is_exactly_the_window_the_review_page_prints(world: World) -> None:
    leader = signed_in(world.users[Role.TEAM_LEADER])
    plan_page = leader.get(reverse("fidelity:plan")).content.decode()
    assert "from 4 weeks before the first day of the visit until 4 weeks after its last day" in (
        plan_page
    )
    review = planned(world, "visitor")  # visit 12 and 13 January 2026, planned 1 December
    (visitor,) = review.reviewers.all()
    with time_machine.travel(PLANNED_ON):
        html = leader.get(reverse("fidelity:review", args=[review.pk])).content.decode()
    first, last = printed_window(html)
    assert (first, last) == (VISIT - timedelta(weeks=4), VISIT + timedelta(days=1, weeks=4))
    access = ReviewerAccess.objects.get(reviewer=visitor)  # what the scoped queries check
    assert (access.starts_on, access.ends_on) == (first, last)
    record = reverse("record:person", args=[world.person_a.pk])
    pack = reverse("fidelity:data_pack", args=[review.pk])
    seen = {}
    for day in (first - timedelta(days=1), first, last, last + timedelta(days=1)):
        with time_machine.travel(day):
            client = signed_in(visitor)
            seen[day] = (client.get(record).status_code, client.get(pack).status_code)
    assert list(seen.values()) == [(404, 404), (200, 200), (200, 200), (404, 404)]


def test_planning_says_when_the_reviewers_access_runs(world: World) -> None:
    visitor = make_user("visitor", Role.FIDELITY_REVIEWER)
    leader = signed_in(world.users[Role.TEAM_LEADER])
    fields = {"service": world.service_a.pk, "kind": "external", "reviewers": [visitor.pk]}
    for name, day in (("visit_start", VISIT), ("visit_end", VISIT + timedelta(days=1))):
        fields |= {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}
    with time_machine.travel(PLANNED_ON):
        response = leader.post(reverse("fidelity:plan"), fields, follow=True)
    html = response.content.decode()
    assert "Review planned." in html
    assert printed_window(html) == (date(2025, 12, 15), date(2026, 2, 10))
    access = ReviewerAccess.objects.get(reviewer=visitor)
    assert (access.starts_on, access.ends_on) == (date(2025, 12, 15), date(2026, 2, 10))
    self_review = planned(world)  # nobody from outside: nobody's access to print
    got = signed_in(world.users[Role.TEAM_LEADER]).get(
        reverse("fidelity:review", args=[self_review.pk])
    )
    page = got.content.decode()
    assert got.status_code == 200, got.status_code
    assert "No fidelity reviewer is on this review" in page


def test_a_review_names_its_reviewers_by_name_and_role(world: World) -> None:
    review = planned(world, "rvone", "rvtwo")
    for reviewer in review.reviewers.all():
        services.save_ratings(reviewer, review, all_items(3))
    page = signed_in(world.users[Role.TEAM_LEADER]).get(
        reverse("fidelity:review", args=[review.pk])
    )
    text = page.content.decode()
    assert "Rvone, Fidelity reviewer; Rvtwo, Fidelity reviewer" in text
    assert ">rvone<" not in text and "rvone, rvtwo" not in text
