"""Fidelity reviews, from planning to the published report, and the live estimates."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openips.accounts.access import requires
from openips.accounts.http import AuthenticatedHttpRequest
from openips.accounts.models import User
from openips.accounts.queries import services_with_client_access
from openips.accounts.roles import Capability, Role
from openips.audit.models import AuditAction
from openips.audit.services import Code, Detail, record
from openips.clients.models import Episode
from openips.core import params
from openips.core.dates import add_days
from openips.core.forms import saved_value_problems
from openips.core.services import EditConflict
from openips.fidelity import queries, services
from openips.fidelity.estimates import Estimator, evidence
from openips.fidelity.forms import ActionForm, ActionStatusForm, AgreeForm, PlanForm, RatingsForm
from openips.fidelity.models import Action, Review, ReviewStatus
from openips.fidelity.presenters import (
    HELPERS,
    PACK_SIZE,
    ReviewSheet,
    access_dates,
    access_rule,
    pack_as_of,
    pack_outcomes,
)
from openips.fidelity.scale import scales
from openips.organisations.models import Service
from openips.organisations.queries import programme_on
from openips.outcomes.report import Facts


def _opened(
    user: User, obj: Review | None, page: str, service: Service | None = None, **details: Detail
) -> None:
    """A fidelity reviewer's every look at a service is on the audit trail."""
    if user.role == Role.FIDELITY_REVIEWER:
        service_id = service.pk if service else None
        details = {"page": Code(page), **details}
        record(AuditAction.VIEW, actor=user, obj=obj, service_id=service_id, details=details)


@requires(Capability.VIEW_FIDELITY)
@require_GET
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "fidelity/index.jinja",
        {
            "reviews": queries.reviews_visible_to(user),
            "services": services_with_client_access(user).order_by("name"),
            "can_plan": user.can(Capability.PLAN_REVIEWS),
        },
    )


@requires(Capability.PLAN_REVIEWS)
@require_http_methods(["GET", "POST"])
def plan(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = PlanForm(request.POST or None, services=services_with_client_access(user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        review = services.plan(
            user, d["service"], d["kind"], d["visit_start"], d["visit_end"], list(d["reviewers"])
        )
        messages.success(request, f"Review planned. {access_dates(review, list(d['reviewers']))}")
        return redirect("fidelity:review", review.pk)
    return render(request, "fidelity/plan.jinja", {"form": form, "access_rule": access_rule()})


@requires(Capability.VIEW_FIDELITY)
@require_GET
def review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = queries.review_for(user, pk)
    _opened(user, found, "review")
    sheet = ReviewSheet(found, user)
    reviewer = queries.is_reviewer(user, found)
    return render(
        request,
        "fidelity/review.jinja",
        {
            "review": found,
            "sheet": sheet,
            "statuses": ReviewStatus,
            "can_rate": reviewer
            and found.status in (ReviewStatus.PLANNED, ReviewStatus.IN_PROGRESS),
            "can_agree": reviewer and found.status == ReviewStatus.IN_PROGRESS and sheet.all_rated,
            "can_publish": (reviewer or user.can(Capability.PLAN_REVIEWS))
            and found.status == ReviewStatus.AGREED,
            "action_form": ActionForm(),
            "comparison": sheet.comparison_chart(),
            "actions": found.actions.all(),
            "access": access_dates(found, sheet.reviewers),
        },
    )


def _reviewer_only(user: User, pk: int) -> Review:
    found = queries.review_for(user, pk)
    if not queries.is_reviewer(user, found):
        raise Http404
    return found


@requires(Capability.RATE_REVIEWS)
@require_http_methods(["GET", "POST"])
def rate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = _reviewer_only(user, pk)
    scale = scales()[found.scale_id]
    mine = {r.item: r for r in found.ratings.filter(reviewer=user)}
    initial = {f"rating_{i}": str(r.rating) for i, r in mine.items()} | {
        f"evidence_{i}": r.evidence for i, r in mine.items()
    }
    modified = programme_on(found.service_id, found.visit_start).modified_items
    form = RatingsForm(request.POST or None, initial=initial, scale=scale, modified=modified)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_ratings(user, found, form.ratings())
        except services.ReviewError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your ratings are saved.")
            return redirect("fidelity:review", found.pk)
    return render(request, "fidelity/rate.jinja", {"review": found, "form": form, "scale": scale})


@requires(Capability.RATE_REVIEWS)
@require_http_methods(["GET", "POST"])
def agree(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = _reviewer_only(user, pk)
    sheet = ReviewSheet(found, user)
    if not sheet.all_rated:
        raise Http404
    initial = {}
    for row in sheet.rows:
        values = {r.rating for _, r in row.ratings if r}
        if len(values) == 1:
            initial[f"rating_{row.item.number}"] = str(values.pop())
    differs = {row.item.number for row in sheet.differences}
    form = AgreeForm(
        request.POST or None,
        initial=initial,
        scale=sheet.scale,
        differs=differs,
        modified=sheet.modified,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agree(user, found, form.agreed())
        except services.ReviewError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The agreed ratings are saved.")
            return redirect("fidelity:review", found.pk)
    return render(request, "fidelity/agree.jinja", {"review": found, "sheet": sheet, "form": form})


@requires(Capability.RATE_REVIEWS)
@require_POST
def publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = queries.review_for(user, pk)
    if not (queries.is_reviewer(user, found) or user.can(Capability.PLAN_REVIEWS)):
        raise Http404
    try:
        services.publish(user, found)
    except services.ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The review is published.")
    return redirect("fidelity:review", found.pk)


@requires(Capability.RATE_REVIEWS)
@require_POST
def action_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = queries.review_for(user, pk)
    form = ActionForm(request.POST)
    if form.is_valid():
        services.add_action(user, found, form.save(commit=False))
        messages.success(request, "Action added to the plan.")
        return redirect("fidelity:review", found.pk)
    sheet = ReviewSheet(found, user)
    return render(
        request,
        "fidelity/review.jinja",
        {
            "review": found,
            "sheet": sheet,
            "statuses": ReviewStatus,
            "action_form": form,
            "comparison": sheet.comparison_chart(),
            "actions": found.actions.all(),
            "access": access_dates(found, sheet.reviewers),
        },
    )


@requires(Capability.RATE_REVIEWS)
@require_POST
def action_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    action = get_object_or_404(Action, pk=pk, review__in=queries.reviews_visible_to(user))
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_action_status(
                user, action, form.cleaned_data["status"], form.cleaned_data["version"]
            )
            messages.success(request, "Action updated.")
        except EditConflict:
            messages.error(request, "Someone else changed this action first; check it again.")
        except ValidationError as refused:
            for problem in saved_value_problems(Action, refused, "action"):
                messages.error(request, problem)
    return redirect("fidelity:review", action.review_id)


@requires(Capability.VIEW_FIDELITY)
@require_GET
def report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = queries.review_for(user, pk)
    _opened(user, found, "report")
    sheet = ReviewSheet(found, user)
    return render(
        request,
        "fidelity/report.jinja",
        {
            "review": found,
            "sheet": sheet,
            "comparison": sheet.comparison_chart(),
            "actions": found.actions.all(),
        },
    )


def _as_of(request: AuthenticatedHttpRequest) -> date:
    return params.date_param(request, "as_of", timezone.localdate())


@requires(Capability.VIEW_FIDELITY)
@require_GET
def estimates(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    service = get_object_or_404(services_with_client_access(user), pk=pk)
    as_of = _as_of(request)
    _opened(user, None, "fidelity estimates", service, as_of=as_of)
    estimator = Estimator(service, as_of)
    found = estimator.all()
    last = (
        Review.objects.filter(
            service=service, status__in=[ReviewStatus.AGREED, ReviewStatus.PUBLISHED]
        )
        .order_by("-visit_start")
        .first()
    )
    agreed = dict(last.agreed.values_list("item", "rating")) if last else {}
    below = [
        e
        for e in found
        if e.score is not None and e.number in agreed and e.score < agreed[e.number]
    ]
    return render(
        request,
        "fidelity/estimates.jinja",
        {
            "service": service,
            "as_of": as_of,
            "window": estimator.window,
            "estimates": found,
            "agreed": agreed,
            "last": last,
            "below": below,
            "evidence": evidence(estimator),
            "programme": programme_on(service, as_of),
            **HELPERS,
        },
    )


@requires(Capability.VIEW_FIDELITY)
@require_GET
def estimate_records(request: AuthenticatedHttpRequest, pk: int, item: int) -> HttpResponse:
    user = request.user
    service = get_object_or_404(services_with_client_access(user), pk=pk)
    as_of = _as_of(request)
    _opened(user, None, f"records behind item {item}", service)
    estimator = Estimator(service, as_of)
    chosen = next((e for e in estimator.all() if e.number == item), None)
    if chosen is None:
        raise Http404
    visible, people = _openable(user, service)
    return render(
        request,
        "fidelity/records.jinja",
        {
            "service": service,
            "as_of": as_of,
            "estimate": chosen,
            "visible": visible,
            "people": people,
        },
    )


def _openable(user: User, service: Service) -> tuple[set[int], dict[int, int]]:
    """The service's episodes this user may open, and the person each belongs to."""
    people = dict(
        Episode.objects.visible_to(user).filter(service=service).values_list("pk", "person_id")
    )
    return set(people), people


@requires(Capability.VIEW_FIDELITY)
@require_GET
def data_pack(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The pre-review data pack: the estimates as of the day before the visit (or today, until
    then: the live estimates), the records behind each, the evidence beside reviewer-rated items
    and the outcomes over the same year."""
    user = request.user
    found = queries.review_for(user, pk)
    _opened(user, found, "data pack")
    today = timezone.localdate()
    as_of = pack_as_of(found.visit_start, today)
    estimator = Estimator(found.service, as_of)
    visible, people = _openable(user, found.service)
    episodes = queries.reviewed_episodes(user, found)
    return render(
        request,
        "fidelity/data_pack.jinja",
        {
            "review": found,
            "as_of": as_of,
            "window": estimator.window,
            "estimates": estimator.all(),
            "evidence": evidence(estimator),
            "outcomes": pack_outcomes(Facts(episodes, estimator.window).metrics()),
            "day_before": as_of == add_days(found.visit_start, -1),
            **HELPERS,
            "pack_size": PACK_SIZE,
            "visible": visible,
            "people": people,
        },
    )
