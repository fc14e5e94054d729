"""Pages that change a client's record: referral, re-referral, acceptance, discharge, and the
changes in work of a client employed at referral."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openips.accounts.access import requires
from openips.accounts.http import AuthenticatedHttpRequest
from openips.accounts.models import User
from openips.accounts.roles import Capability, Role
from openips.clients import queries, services
from openips.clients.forms import (
    AcceptForm,
    DischargeForm,
    EpisodeContextForm,
    EpisodeDetailsForm,
    ReassignForm,
    ReferralForm,
    RetentionChangeForm,
)
from openips.clients.models import PERSON_DETAILS, Episode
from openips.clients.presenters import retention_now
from openips.clients.stages import is_retention
from openips.core.editing import versioned_edit
from openips.organisations.models import ClinicalTeam, Service

EPISODE_FIELDS = (
    "referral_date",
    "referral_source",
    "employment_status_at_referral",
    "clinical_team",
    "care_coordinator",
)
PERSON_FIELDS = PERSON_DETAILS


def _home_service(user: User) -> Service:
    if user.service is None:
        raise PermissionDenied
    return user.service


def _referral_target(user: User, asked: str | None) -> tuple[Service, ClinicalTeam | None]:
    """The service a referral goes to and, for a clinician, their own clinical team: a
    clinician refers only to a service their team works with (`?service=` picks one)."""
    if user.role != Role.CLINICIAN:
        return _home_service(user), None
    team = user.clinical_team
    if team is None:
        raise PermissionDenied
    choices = queries.referral_services(user)
    if asked is None:
        service = choices.first()
    else:
        service = (
            choices.filter(pk=int(asked)).first() if asked.isdigit() and len(asked) < 10 else None
        )
        if service is None:
            raise Http404
    if service is None:
        raise PermissionDenied
    return service, team


@requires(Capability.REFER_CLIENTS)
@require_http_methods(["GET", "POST"])
def refer(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    service, team = _referral_target(user, request.GET.get("service"))
    initial = {"clinical_team": team, "care_coordinator": user.get_full_name()} if team else {}
    form = ReferralForm(request.POST or None, service=service, team=team, initial=initial)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = services.possible_duplicates(
            service,
            nhs_number=data["nhs_number"],
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
        )
        if duplicates and not data["same_person_checked"]:
            form.add_error(
                None,
                "This person may already be known to the service. Check the "
                "people listed; if they are the same person, add the referral "
                "to their record instead"
                if team is None
                # A clinician sees no one outside their team, so is not shown who matched.
                else "This person may already be known to the service. Check with the "
                "employment team before referring them again",
            )
        else:
            known = services.known_by_nhs_number(service.organisation_id, data["nhs_number"])
            episode = services.refer_new_person(
                user,
                service,
                {k: data[k] for k in PERSON_FIELDS},
                {k: data[k] for k in EPISODE_FIELDS},
            )
            if known is None:
                messages.success(request, f"Referral for {episode.person} added.")
            else:  # one person per NHS number: a new episode on their record
                messages.success(
                    request,
                    f"The NHS number is already known as client {known.client_id}: "
                    "the referral is added to their record.",
                )
            return redirect("record:person", episode.person_id)
    context = {
        "form": form,
        "duplicates": duplicates if team is None else [],
        "checking": bool(duplicates),
        "service": service,
    }
    return render(request, "clients/refer.jinja", context)


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def refer_again(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = queries.person_for(user, pk)
    # Into the referrer's own service: the person may be known to another of the organisation's.
    service = user.service or person.service
    form = EpisodeDetailsForm(request.POST or None, service=service)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in EPISODE_FIELDS}
        services.refer_again(user, person, data, service=service)
        messages.success(request, f"New referral for {person} added.")
        return redirect("record:person", person.pk)
    return render(request, "clients/refer_again.jinja", {"form": form, "person": person})


def _episode_edit(
    request: AuthenticatedHttpRequest,
    pk: int,
    form_class: Callable[..., forms.Form],
    template: str,
    save: Callable[..., Episode],
    done: str,
    episode: Episode | None = None,
) -> HttpResponse:
    episode = episode or queries.episode_for(request.user, pk)
    back = reverse("record:person", args=[episode.person_id])
    return versioned_edit(
        request,
        episode,
        form_class(request.POST or None, episode=episode),
        save=save,
        template=template,
        context={"episode": episode, "back": back},
        done=(done, back),
        noun="episode",
    )


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _episode_edit(
        request,
        pk,
        AcceptForm,
        "clients/accept.jinja",
        services.accept,
        "Accepted onto the caseload.",
    )


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def discharge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _episode_edit(
        request, pk, DischargeForm, "clients/discharge.jinja", services.discharge, "Discharged."
    )


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def context(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _episode_edit(
        request, pk, EpisodeContextForm, "clients/context.jinja", services.update_context, "Saved."
    )


@requires(Capability.REASSIGN_CASELOAD)
@require_http_methods(["GET", "POST"])
def reassign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Team leaders and service managers allocate caseloads (ADR 0020); only an open episode on
    someone's caseload can be handed over."""
    episode = queries.episode_for(request.user, pk)
    if episode.accepted_date is None or episode.discharge_date is not None:
        messages.error(request, "Only an open episode on a caseload can be handed over.")
        return redirect("record:person", episode.person_id)
    return _episode_edit(
        request,
        pk,
        ReassignForm,
        "clients/reassign.jinja",
        services.reassign,
        "Handed over to the new employment specialist.",
        episode=episode,
    )


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def retention_change(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record a change in work of a client employed at referral: at risk, back at work, in an
    adjusted role, or left the job (ADR 0034)."""
    user = request.user
    episode = queries.episode_for(user, pk)
    back = reverse("record:person", args=[episode.person_id])
    if not is_retention(episode) or episode.discharge_date is not None:
        messages.error(
            request,
            "Changes in work are recorded while the episode of a client employed at referral "
            "is open.",
        )
        return redirect(back)
    form = RetentionChangeForm(request.POST or None, episode=episode)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_retention_change(user, episode, **form.cleaned_data)
        except ValidationError as refused:  # the episode changed meanwhile (a discharge)
            for message in refused.messages:
                form.add_error(None, f"The change could not be saved: {message}")
        else:
            messages.success(request, "Change in work recorded.")
            return redirect(back)
    context = {
        "form": form,
        "episode": episode,
        "back": back,
        "now": retention_now(episode, queries.latest_retention_change(user, episode)),
    }
    return render(request, "clients/retention_change.jinja", context)
