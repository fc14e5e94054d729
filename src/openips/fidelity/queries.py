"""Which reviews a user sees. A fidelity reviewer sees only the reviews they are on, of services
they currently have access to; everyone else sees the reviews of the services in their scope."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from openips.accounts.models import User
from openips.accounts.queries import services_with_client_access
from openips.accounts.roles import Role
from openips.clients.models import Episode
from openips.fidelity.models import Review


def reviews_visible_to(user: User) -> QuerySet[Review]:
    reviews = Review.objects.filter(service__in=services_with_client_access(user))
    if user.role == Role.FIDELITY_REVIEWER:
        reviews = reviews.filter(reviewers=user)
    return reviews.select_related("service")


def review_for(user: User, pk: int) -> Review:
    return get_object_or_404(reviews_visible_to(user), pk=pk)


def is_reviewer(user: User, review: Review) -> bool:
    return review.reviewers.filter(pk=user.pk).exists()


def reviewed_episodes(user: User, review: Review) -> QuerySet[Episode]:
    """Every episode of the service under review, for the data pack's service-wide figures. Only
    for a review already found through `review_for(user, …)`: reaching the review is the access."""
    if not reviews_visible_to(user).filter(pk=review.pk).exists():
        return Episode.objects.none()
    return Episode.objects.filter(service=review.service_id)
