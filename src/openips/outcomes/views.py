"""Outcome dashboards: an ES's own, a service's, and the commissioner's network view."""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from openips.accounts.access import requires
from openips.accounts.http import AuthenticatedHttpRequest
from openips.accounts.models import User
from openips.accounts.queries import services_with_client_access
from openips.accounts.roles import Capability, Role
from openips.core import params
from openips.core.formatting import format_date
from openips.organisations import programmes
from openips.organisations.models import Service
from openips.organisations.queries import InForce, in_force_over
from openips.outcomes import (
    charts,
    dashboard,
    evidence_presenters,
    long_term,
    network,
    presenters,
    queries,
    savings,
    savings_presenters,
)
from openips.outcomes.dashboard import Dashboard
from openips.outcomes.forms import PeriodEndForm


def _as_of(request: AuthenticatedHttpRequest) -> date:
    """A service's own figures, shown exact to its staff: any day within the bounds."""
    return params.date_param(request, "as_of", timezone.localdate())


def _charts(d: Dashboard) -> dict[str, object]:
    labels = {t.key: [presenters.month_label(m.start) for m in t.months] for t in d.trends}
    return {
        "trend_charts": [
            (t, charts.xmr_chart(t.title, labels[t.key], t.chart, t.target) if t.chart else None)
            for t in d.trends
        ],
        "funnel_chart": charts.funnel_chart(
            "Employment rate by employment specialist, last 12 months",
            d.overall_rate,
            d.specialists,
        )
        if d.overall_rate is not None and d.specialists
        else None,
        "first_job_chart": charts.survival_chart(
            "Time from acceptance to first job", d.first_job, "Not yet in work"
        )
        if d.first_job
        else None,
        "tenure_chart": charts.survival_chart("Job tenure", d.tenure, "Still in the job")
        if d.tenure
        else None,
    }


def _page(
    request: AuthenticatedHttpRequest,
    d: Dashboard,
    heading: str,
    caption: str,
    long_term_url: str | None = None,
    savings_url: str | None = None,
) -> HttpResponse:
    return render(
        request,
        "outcomes/dashboard.jinja",
        {
            "d": d,
            "heading": heading,
            "caption": caption,
            "measures": presenters.summary(d),
            "measures_of": presenters.measures_of(d),
            "programme_changes": presenters.programme_changes(d),
            "specialist_table": presenters.specialist_table(d) if d.by_specialist else None,
            "evidence": {
                "anniversaries": evidence_presenters.anniversaries(d.year_metrics),
                "hospital": evidence_presenters.hospital(d.year_metrics),
                "measures": evidence_presenters.measures(d.year_metrics),
            },
            "long_term_url": long_term_url,
            "savings_url": savings_url,
            **_charts(d),
        },
    )


@requires(Capability.VIEW_OUTCOMES)
@require_GET
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if user.role == Role.EMPLOYMENT_SPECIALIST:
        as_of = _as_of(request)
        # The specialist's caseload is in their own service: its programme's measures.
        found = (
            in_force_over(user.service_id, dashboard.last_12_months(as_of))
            if user.service_id
            else InForce(programmes.default(), ())
        )
        d = dashboard.build(
            queries.own_caseload(user),
            as_of,
            with_funnel=False,
            programme=found.programme,
            changes=found.changes,
        )
        return _page(request, d, "Your outcomes", "Your caseload")
    services = list(services_with_client_access(user).order_by("name"))
    if len(services) == 1:
        return _service_page(request, user, services[0])
    return render(request, "outcomes/index.jinja", {"services": services})


@requires(Capability.VIEW_OUTCOMES)
@require_GET
def service(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    return _service_page(request, user, queries.service_for(user, pk))


def _service_page(request: AuthenticatedHttpRequest, user: User, found: Service) -> HttpResponse:
    as_of = _as_of(request)  # both periods shown end on it: the programme in force then
    programme = in_force_over(found, dashboard.last_12_months(as_of))
    d = dashboard.build(
        queries.service_episodes(user, found),
        as_of,
        programme=programme.programme,
        changes=programme.changes,
    )
    long_term_url = reverse("outcomes:long_term", args=[found.pk])
    savings_url = reverse("outcomes:savings", args=[found.pk])
    return _page(request, d, "Outcomes", found.name, long_term_url, savings_url)


@requires(Capability.VIEW_OUTCOMES)
@require_GET
def long_term_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Work held to 5 years, beside Hoffmann et al's five-year figures."""
    user = request.user
    found = queries.service_for(user, pk)
    as_of = _as_of(request)
    view = long_term.build(queries.service_episodes(user, found), as_of)
    in_work, worked = evidence_presenters.anniversary_series(view.metrics)
    references = [
        (long_term.HOFFMANN_IPS, "Hoffmann et al, IPS: 65%"),
        (long_term.HOFFMANN_TVR, "Hoffmann et al, other rehabilitation: 33%"),
    ]
    context = {
        "service": found,
        "view": view,
        "anniversaries": evidence_presenters.anniversaries(view.metrics),
        "anniversary_chart": charts.anniversary_chart(
            "Work on the anniversaries of acceptance", in_work, worked, references
        )
        if in_work
        else None,
        "first_job_chart": charts.survival_chart(
            "Time from acceptance to first job", view.first_job, "Not yet in work"
        )
        if view.first_job
        else None,
        "tenure_chart": charts.survival_chart("Job tenure", view.tenure, "Still in the job")
        if view.tenure
        else None,
    }
    return render(request, "outcomes/long_term.jinja", context)


@requires(Capability.VIEW_OUTCOMES)
@require_GET
def savings_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The savings estimate of one service's last 12 months, exact, for its staff."""
    user = request.user
    found = queries.service_for(user, pk)
    period = dashboard.last_12_months(_as_of(request))
    estimate = savings.build(queries.service_episodes(user, found), period)
    return _savings_page(request, estimate, found.name)


def _savings_page(
    request: AuthenticatedHttpRequest, s: savings.Savings, scope: str
) -> HttpResponse:
    context = {
        "s": s,
        "scope": scope,
        "caveat": savings_presenters.caveat(s),
        "nights": savings_presenters.nights(s.hospital),
        "cost_lines": savings_presenters.cost_lines(s.hospital),
        "range": savings_presenters.value_range(s.hospital),
        "purse_lines": savings_presenters.purse_lines(s.purse),
    }
    return render(request, "outcomes/savings.jinja", context)


@requires(Capability.VIEW_NETWORK_OUTCOMES)
@require_GET
def network_savings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The network's, to the end of a complete month, with small numbers withheld."""
    user = request.user
    today = timezone.localdate()
    end = network.period_end(params.date_param(request, "as_of", today), today)
    estimate = savings.build(queries.network_episodes(user), network.year_to(end), suppress=True)
    return _savings_page(request, estimate, "Your network")


@requires(Capability.VIEW_NETWORK_OUTCOMES)
@require_GET
def network_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    # Suppressed figures run only to the end of a complete month: another day snaps back to one.
    end = network.period_end(params.date_param(request, "as_of", today), today)
    view = network.build(queries.network_services(user), end)
    funnels = [
        (
            f,
            charts.funnel_chart(
                f"Employment rate by service, {f.programme.name}, 12 months to {format_date(end)}",
                f.overall,
                f.placed,
            )
            if f.overall is not None and f.placed
            else None,
        )
        for f in view.funnels
    ]
    ends = network.period_ends(today)
    form = PeriodEndForm(ends if end in ends else [*ends, end], end)
    return render(
        request, "outcomes/network.jinja", {"view": view, "funnels": funnels, "form": form}
    )
