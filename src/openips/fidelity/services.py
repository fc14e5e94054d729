"""Every write of a fidelity review, audited, in one transaction each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from openips.accounts.models import ReviewerAccess, User
from openips.accounts.roles import Role
from openips.audit.models import AuditAction
from openips.audit.services import record
from openips.core import services
from openips.core.dates import add_days
from openips.fidelity.models import Action, AgreedRating, Rating, Review, ReviewStatus
from openips.fidelity.scale import default
from openips.organisations.models import Service

ITEMS = range(1, 26)
ACCESS_WEEKS = 4  # reviewers prepare before the visit and write up after
ACCESS_MARGIN = 7 * ACCESS_WEEKS  # days
# A reviewer's access to a service's records is bounded by the visit: so the visit is bounded too.
MAX_VISIT_DAYS = 14
PLANNING_HORIZON = timedelta(days=365)


class ReviewError(Exception):
    pass


@dataclass(frozen=True)
class AccessWindow:
    """The days, both included, on which a fidelity reviewer may open the records of the
    service under review."""

    first: date
    last: date

    def allows(self, day: date) -> bool:
        return self.first <= day <= self.last


def access_window(visit_start: date, visit_end: date) -> AccessWindow:
    """The one definition of a reviewer's access: from ACCESS_WEEKS weeks before the visit's
    first day to ACCESS_WEEKS weeks after its last. `plan` stores exactly this as the
    reviewer's `ReviewerAccess` (which the scoped queries check, both days included), and the
    plan and review pages print it."""
    return AccessWindow(add_days(visit_start, -ACCESS_MARGIN), add_days(visit_end, ACCESS_MARGIN))


def visit_problem(start: date, end: date, today: date) -> tuple[str, str] | None:
    """The field and why a visit cannot be planned on these days, or None. Forms and `plan`
    both ask."""
    if not today - PLANNING_HORIZON <= start <= today + PLANNING_HORIZON:
        return "visit_start", "The first day must be within a year of today"
    if end < start:
        return "visit_end", "The last day must be the same as or after the first day"
    if (end - start).days + 1 > MAX_VISIT_DAYS:
        return "visit_end", f"A review visit can last at most {MAX_VISIT_DAYS} days"
    return None


@transaction.atomic
def plan(
    actor: User,
    service: Service,
    kind: str,
    visit_start: date,
    visit_end: date,
    reviewers: list[User],
) -> Review:
    if problem := visit_problem(visit_start, visit_end, timezone.localdate()):
        raise ReviewError(problem[1])
    review = services.create(
        actor,
        Review(
            service=service,
            kind=kind,
            scale_id=default().id,
            visit_start=visit_start,
            visit_end=visit_end,
            planned_by=actor,
        ),
    )
    review.reviewers.set(reviewers)
    window = access_window(visit_start, visit_end)
    for reviewer in reviewers:
        if reviewer.role == Role.FIDELITY_REVIEWER:
            # Access to the service's records only for the review period, on the trail of
            # the service (so its IG lead sees it).
            access = ReviewerAccess.objects.create(
                reviewer=reviewer,
                service=service,
                starts_on=window.first,
                ends_on=window.last,
            )
            record(AuditAction.CREATE, actor=actor, obj=access, fields=["starts_on", "ends_on"])
    return review


def _move(review: Review, status: str, *changed: str) -> None:
    """The review's next stage; its version moves on so an edit begun before fails its check."""
    review.status = status
    review.version += 1
    review.save(update_fields=["status", "version", *changed])


def complete_reviewers(review: Review) -> set[int]:
    """The reviewers who have rated all 25 items."""
    counts: dict[int, int] = {}
    for reviewer_id in review.ratings.values_list("reviewer_id", flat=True):
        counts[reviewer_id] = counts.get(reviewer_id, 0) + 1
    return {r for r, n in counts.items() if n == len(ITEMS)}


@transaction.atomic
def save_ratings(actor: User, review: Review, ratings: dict[int, tuple[int, str]]) -> None:
    if review.status not in (ReviewStatus.PLANNED, ReviewStatus.IN_PROGRESS):
        raise ReviewError("Ratings can no longer change: the review has been agreed")
    for item, (rating, evidence) in ratings.items():
        Rating.objects.update_or_create(
            review=review,
            reviewer=actor,
            item=item,
            defaults={"rating": rating, "evidence": evidence},
        )
    if review.status == ReviewStatus.PLANNED:
        _move(review, ReviewStatus.IN_PROGRESS)
    record(
        AuditAction.UPDATE,
        actor=actor,
        obj=review,
        details={"ratings": {str(i): r for i, (r, _) in ratings.items()}},
    )


@transaction.atomic
def agree(actor: User, review: Review, agreed: dict[int, tuple[int, str]]) -> None:
    if review.status != ReviewStatus.IN_PROGRESS:
        raise ReviewError("Only a review in progress can be agreed")
    if set(agreed) != set(ITEMS):
        raise ReviewError("Agree a rating for every item")
    for item, (rating, rationale) in agreed.items():
        AgreedRating.objects.update_or_create(
            review=review, item=item, defaults={"rating": rating, "rationale": rationale}
        )
    _move(review, ReviewStatus.AGREED)
    record(
        AuditAction.UPDATE,
        actor=actor,
        obj=review,
        fields=["status"],
        details={
            "status": [ReviewStatus.IN_PROGRESS, ReviewStatus.AGREED],
            "total": sum(r for r, _ in agreed.values()),
        },
    )


@transaction.atomic
def publish(actor: User, review: Review) -> None:
    if review.status != ReviewStatus.AGREED:
        raise ReviewError("Only an agreed review can be published")
    review.published_on = timezone.localdate()
    _move(review, ReviewStatus.PUBLISHED, "published_on")
    record(
        AuditAction.UPDATE,
        actor=actor,
        obj=review,
        fields=["status"],
        details={"status": [ReviewStatus.AGREED, ReviewStatus.PUBLISHED]},
    )


def add_action(actor: User, review: Review, action: Action) -> Action:
    action.review = review
    return services.create(actor, action)


def set_action_status(actor: User, action: Action, status: str, started_from: int) -> Action:
    action.status = status
    return services.update(actor, action, started_from=started_from)
