from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openips.accounts.access import requires
from openips.accounts.http import AuthenticatedHttpRequest
from openips.accounts.roles import Capability
from openips.clients import queries as client_queries
from openips.core.editing import versioned_edit
from openips.employment import queries, services
from openips.employment.forms import (
    JobChangeForm,
    JobEndForm,
    JobStartForm,
)
from openips.employment.models import Job


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
