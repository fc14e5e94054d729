"""A review as its pages show it: each item with every reviewer's rating (once all have rated),
where they differ, the agreed rating, the previous review's, and the total and band; and the
estimates as the estimates page and the data pack show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from openips.accounts.models import User
from openips.accounts.roles import Role
from openips.core.dates import add_days
from openips.core.formatting import format_date
from openips.fidelity.estimates import Estimate
from openips.fidelity.models import AgreedRating, Rating, Review, ReviewStatus
from openips.fidelity.scale import Item, Scale, scales
from openips.fidelity.services import ACCESS_WEEKS, ITEMS, access_window, complete_reviewers
from openips.organisations.queries import programme_on
from openips.outcomes.charts import Chart, Line, Marker
from openips.outcomes.charts import Scale as Axis
from openips.outcomes.presenters import ROWS, shown


@dataclass
class ItemRow:
    item: Item
    ratings: list[tuple[User, Rating | None]]
    differs: bool
    agreed: AgreedRating | None
    previous: int | None
    modified: str = ""  # how the service's programme reads the item, if differently


class ReviewSheet:
    def __init__(self, review: Review, viewer: User) -> None:
        self.review = review
        self.scale: Scale = scales()[review.scale_id]
        self.reviewers = list(
            review.reviewers.select_related("staff_member").order_by("last_name", "username")
        )
        ratings = {(r.reviewer_id, r.item): r for r in review.ratings.all()}
        complete = complete_reviewers(review)
        self.all_rated = bool(self.reviewers) and complete >= {r.pk for r in self.reviewers}
        agreed_stage = review.status in (ReviewStatus.AGREED, ReviewStatus.PUBLISHED)
        # Reviewers rate independently: until all have rated, each sees only their own.
        self.shows_everyone = self.all_rated or agreed_stage
        shown = (
            self.reviewers if self.shows_everyone else [r for r in self.reviewers if r == viewer]
        )
        agreed = {a.item: a for a in review.agreed.all()}
        self.previous = (
            Review.objects.filter(
                service=review.service,
                status__in=[ReviewStatus.AGREED, ReviewStatus.PUBLISHED],
                visit_start__lt=review.visit_start,
            )
            .order_by("-visit_start")
            .first()
        )
        before = dict(self.previous.agreed.values_list("item", "rating")) if self.previous else {}
        # The programme in force on the visit's first day decides how items are read.
        self.programme = programme_on(review.service_id, review.visit_start)
        self.modified = self.programme.modified_items
        self.rows = []
        for number in ITEMS:
            mine = [(r, ratings.get((r.pk, number))) for r in shown]
            values = {
                ratings[(r.pk, number)].rating for r in self.reviewers if (r.pk, number) in ratings
            }
            self.rows.append(
                ItemRow(
                    self.scale.item(number),
                    mine,
                    self.shows_everyone and len(values) > 1,
                    agreed.get(number),
                    before.get(number),
                    self.modified.get(number, ""),
                )
            )
        self.rated_by_viewer = sum(1 for (rid, _), _r in ratings.items() if rid == viewer.pk)
        self.total = sum(a.rating for a in agreed.values()) if len(agreed) == len(ITEMS) else None
        self.band = self.scale.band(self.total) if self.total is not None else None
        self.differences = [row for row in self.rows if row.differs]

    def comparison_chart(self) -> Chart | None:
        if self.total is None or self.previous is None:
            return None
        c = Chart(
            "Agreed ratings, item by item, against the previous review",
            "Each item's agreed rating in this review (filled markers) and the previous review "
            "(the grey line).",
            "Item",
            "Rating",
        )
        x = Axis(1, 25, c.left + 8, c.right - 8)
        y = Axis(1, 5, c.bottom, c.top)
        c.y_ticks = [(y(t), str(t)) for t in range(1, 6)]
        c.x_ticks = [(x(i), str(i)) for i in ITEMS]
        c.lines.append(
            Line(
                " ".join(f"{x(r.item.number)},{y(r.previous)}" for r in self.rows if r.previous),
                "limit",
            )
        )
        for row in self.rows:
            if row.agreed:
                kind = (
                    "common"
                    if row.previous is None or row.agreed.rating == row.previous
                    else ("special-high" if row.agreed.rating > row.previous else "special-low")
                )
                c.markers.append(
                    Marker(
                        x(row.item.number),
                        y(row.agreed.rating),
                        kind,
                        f"Item {row.item.number}: {row.agreed.rating} "
                        f"(before: {row.previous or 'not rated'})",
                    )
                )
        return c


def access_rule() -> str:
    """What the plan page says of reviewers' access, from the numbers access_window uses."""
    weeks = f"{ACCESS_WEEKS} weeks" if ACCESS_WEEKS != 1 else "1 week"
    return (
        f"Fidelity reviewers can open the service's records from {weeks} before the first day "
        f"of the visit until {weeks} after its last day, and everything they open is recorded."
    )


def access_dates(review: Review, reviewers: list[User]) -> str:
    """The review's own access window, as the review page and the planning message print it."""
    if not any(r.role == Role.FIDELITY_REVIEWER for r in reviewers):
        return "No fidelity reviewer is on this review, so none has access for it."
    window = access_window(review.visit_start, review.visit_end)
    return (
        f"Fidelity reviewers on this review can open the service's records from "
        f"{format_date(window.first)} to {format_date(window.last)}, both days included."
    )


# Items measured as a share of people, jobs or staff; the rest are counts or days.
SHARE_ITEMS = frozenset({4, 12, 19, 20, 21, 24})
PACK_SIZE = 10  # records per item in the data pack; the item's own page lists them all
PACK_OUTCOMES = (
    "referrals_received",
    "referrals_accepted",
    "caseload_open_at_end",
    "caseload_active_at_end",  # what item 1 counts: open and seen in the last 4 weeks
    "job_starts",
    "employment_rate_out_of_work",
    "sustained_13_weeks",
    "days_to_first_employer_contact",
    "discharges",
)


def measured(e: Estimate) -> str:
    if e.value is None:
        return "no data"
    return f"{e.value:.0%}" if e.number in SHARE_ITEMS else f"{e.value:,.1f}"


def caseload_limit(e: Estimate) -> str:
    """The top anchor's limit for item 1 (20), as the page words it."""
    return "" if e.caseload_limit is None else f"{e.caseload_limit:g}"


def over_limit_heading(e: Estimate) -> str:
    n = len(e.over_limit)
    who = "employment specialist carries" if n == 1 else "employment specialists carry"
    return f"{n} {who} more than {caseload_limit(e)} active clients per full-time post"


def over_limit_text(e: Estimate) -> str:
    """Who is above the limit, beside the service's figure that the score rests on."""
    each = "; ".join(
        f"{c.name} ({c.staff_id}): {c.per_post:,.1f}" for c in e.over_limit if c.per_post
    )
    return (
        f"{each}. The estimated rating follows the service's figure of {measured(e)} per "
        "full-time post; reviewers should look at each specialist's caseload."
    )


def paragraph(text: str) -> Markup:
    """Text for a callout's `html`, escaped once (names come from the records)."""
    return Markup("<p>{}</p>").format(text)


# What the estimates page and the data pack format with (the macros in _caseloads.jinja too).
HELPERS = {
    "measured": measured,
    "caseload_limit": caseload_limit,
    "over_limit_heading": over_limit_heading,
    "over_limit_text": over_limit_text,
    "paragraph": paragraph,
}


def pack_as_of(visit_start: date, today: date) -> date:
    """The day a data pack reads the records as of: the day before the visit, or today while
    that day is still to come. The records hold nothing dated after today, so a later day
    would count no one as seen in the last 4 weeks and score caseload size as 5 (or 0 per
    post)."""
    return min(add_days(visit_start, -1), today)


def pack_outcomes(metrics: dict[str, Any]) -> list[tuple[str, str]]:
    """The outcome figures reviewers read beside the estimates, worded as on the dashboard."""
    labels = dict(ROWS)
    return [(labels[key], shown(key, metrics)) for key in PACK_OUTCOMES]
