"""Pages that record a person's hospital stays and an episode's outcome-measure scores, and
correct them with their history kept (ADR 0020, ADR 0036)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openips.accounts.access import requires
from openips.accounts.http import AuthenticatedHttpRequest
from openips.accounts.roles import Capability
from openips.clients import health_services, queries
from openips.clients.health_forms import MeasureForm, StayForm
from openips.core.editing import versioned_edit


def _back(person_id: int) -> str:
    return reverse("record:person", args=[person_id])


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def stay_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = queries.person_for(request.user, pk)
    service = queries.recording_service(request.user, person)
    if service is None:  # visible through a merge alone: nothing of theirs is this user's
        raise Http404("No such client")
    form = StayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        health_services.record_stay(request.user, person, service, form.cleaned_data)
        messages.success(request, "Hospital stay recorded.")
        return redirect(_back(person.pk))
    context = {"form": form, "person": person, "back": _back(person.pk), "stay": None}
    return render(request, "clients/stay.jinja", context)


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def stay_change(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    stay = queries.stay_for(request.user, pk)
    back = _back(stay.person_id)
    return versioned_edit(
        request,
        stay,
        StayForm(request.POST or None, stay=stay),
        save=health_services.change_stay,
        template="clients/stay.jinja",
        context={"person": stay.person, "back": back, "stay": stay},
        done=("Hospital stay corrected.", back),
        noun="hospital stay",
    )


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def measure_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    episode = queries.episode_for(request.user, pk)
    form = MeasureForm(request.POST or None, episode=episode)
    if request.method == "POST" and form.is_valid():
        health_services.record_score(request.user, episode, form.cleaned_data)
        messages.success(request, "Outcome measure score recorded.")
        return redirect(_back(episode.person_id))
    context = {"form": form, "episode": episode, "back": _back(episode.person_id), "score": None}
    return render(request, "clients/measure.jinja", context)


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def measure_change(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    score = queries.score_for(request.user, pk)
    episode = score.episode
    back = _back(episode.person_id)
    return versioned_edit(
        request,
        score,
        MeasureForm(request.POST or None, episode=episode, score=score),
        save=health_services.change_score,
        template="clients/measure.jinja",
        context={"episode": episode, "back": back, "score": score},
        done=("Outcome measure score corrected.", back),
        noun="score",
    )
