"""Planned appointments: plan one from the client's record, cancel it, and afterwards record
what happened, which saves the contact it became (ADR 0029)."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from openips.accounts.access import requires
from openips.accounts.http import AuthenticatedHttpRequest
from openips.accounts.roles import Capability
from openips.casework import queries as casework_queries
from openips.casework import services
from openips.casework.codes import AppointmentStatus
from openips.casework.forms import AppointmentForm, OutcomeForm
from openips.clients import queries
from openips.core.editing import versioned_edit


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def appointment_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    episode = queries.episode_for(user, pk)
    form = AppointmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.plan_appointment(user, episode, form.cleaned_data)
        messages.success(request, "Appointment planned.")
        return redirect("record:person", episode.person_id)
    return render(request, "casework/appointment_form.jinja", {"form": form, "episode": episode})


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def appointment_outcome(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    appointment = casework_queries.appointment_for(request.user, pk)
    episode = appointment.episode
    back = reverse("record:person", args=[episode.person_id])
    if appointment.status != AppointmentStatus.PLANNED:
        messages.info(request, "What happened at that appointment is already recorded.")
        return redirect(back)
    context = {"appointment": appointment, "episode": episode, "back": back}
    if appointment.date > timezone.localdate():
        return render(request, "casework/appointment_outcome.jinja", {**context, "early": True})
    return versioned_edit(
        request,
        appointment,
        OutcomeForm(request.POST or None, appointment=appointment),
        save=services.record_outcome,
        template="casework/appointment_outcome.jinja",
        context=context,
        done=("Saved what happened, as a contact.", back),
        noun="appointment",
    )


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def appointment_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    appointment = casework_queries.appointment_for(request.user, pk)
    episode = appointment.episode
    back = reverse("record:person", args=[episode.person_id])
    if appointment.status != AppointmentStatus.PLANNED:
        messages.info(request, "That appointment is no longer planned.")
        return redirect(back)
    return versioned_edit(
        request,
        appointment,
        forms.Form(request.POST or None),
        save=services.cancel_appointment,
        template="casework/appointment_cancel.jinja",
        context={"appointment": appointment, "episode": episode, "back": back},
        done=("Appointment cancelled.", back),
        noun="appointment",
    )
