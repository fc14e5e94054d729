from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openips.accounts.access import requires
from openips.accounts.http import AuthenticatedHttpRequest
from openips.accounts.roles import Capability
from openips.clients import queries as client_queries
from openips.core.editing import versioned_edit
from openips.employment import queries, services
from openips.employment.codes import Moment
from openips.employment.forms import (
    EmploymentRecordForm,
    JobChangeForm,
    JobEndForm,
    JobStartForm,
)
from openips.employment.models import Job
from openips.employment.presenters import saved_answers


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def job_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    episode = client_queries.episode_for(user, pk)
    form = JobStartForm(request.POST or None, episode=episode)
    if request.method == "POST" and form.is_valid():
        services.start_job(user, episode, form.cleaned_data)
        messages.success(request, "Job recorded.")
        return redirect("record:person", episode.person_id)
    return render(request, "employment/job_start.jinja", {"form": form, "episode": episode})


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def job_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = queries.job_for(request.user, pk)
    return _job_edit(
        request,
        job,
        JobEndForm(request.POST or None, job=job),
        services.end_job,
        "employment/job_end.jinja",
        "Job end recorded.",
    )


def _job_edit(
    request: AuthenticatedHttpRequest,
    job: Job,
    form: forms.Form,
    save: Callable[..., Job],
    template: str,
    done: str,
) -> HttpResponse:
    back = reverse("record:person", args=[job.episode.person_id])
    context = {"job": job, "changes": job.changes.all()}
    return versioned_edit(
        request,
        job,
        form,
        save=save,
        template=template,
        context=context,
        done=(done, back),
        noun="job",
    )


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def job_change(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = queries.job_for(request.user, pk)
    return _job_edit(
        request,
        job,
        JobChangeForm(request.POST or None, job=job),
        services.change_job,
        "employment/job_change.jinja",
        "Job change recorded.",
    )


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def employment_record(request: AuthenticatedHttpRequest, pk: int, moment: str) -> HttpResponse:
    """Record, or correct, an episode's Talking Therapies employment record at assessment or at
    discharge."""
    if moment not in Moment.values:
        raise Http404("No such moment")
    user, when = request.user, Moment(moment)
    episode = client_queries.episode_for(user, pk)
    saved = queries.employment_record(user, episode, when)
    form = EmploymentRecordForm(request.POST or None, episode=episode, record=saved)
    template = "employment/employment_record.jinja"
    # A conflict shows the record as saved now: `saved_answers` words it.
    context = {"episode": episode, "moment": when, "saved": saved, "saved_answers": saved_answers}
    back = reverse("record:person", args=[episode.person_id])
    if saved is not None:
        return versioned_edit(
            request,
            saved,
            form,
            save=services.correct_employment,
            template=template,
            context=context,
            done=(f"{when.label} employment record corrected.", back),
            noun=f"{when.label.lower()} record",
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_employment(user, episode, when, form.cleaned_data)
        except services.AlreadyRecorded:
            form.add_error(
                None,
                f"Someone else recorded the {when.label.lower()} while you were working on it. "
                "Your entries are kept: open the page again to see what they saved, then "
                "correct it if you need to.",
            )
        else:
            messages.success(request, f"{when.label} employment record saved.")
            return redirect(back)
    return render(request, template, {**context, "form": form})
