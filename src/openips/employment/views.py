from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from openips.accounts.models import User
from openips.accounts.roles import Capability
from openips.casework.models import Contact
from openips.clients import queries as client_queries
from openips.core.access import requires
from openips.core.editing import versioned_edit
from openips.employment import queries, services
from openips.employment.forms import (
    EmployerForm,
    JobChangeForm,
    JobEndForm,
    JobLeadForm,
    JobStartForm,
)
from openips.employment.models import Employer, Job


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def job_start(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    episode = client_queries.episode_for(user, pk)
    form = JobStartForm(request.POST or None, episode=episode)
    if request.method == "POST" and form.is_valid():
        services.start_job(user, episode, form.cleaned_data)
        messages.success(request, "Job recorded.")
        return redirect("clients:record", episode.person_id)
    return render(request, "employment/job_start.jinja", {"form": form, "episode": episode})


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def job_end(request: HttpRequest, pk: int) -> HttpResponse:
    job = queries.job_for(_user(request), pk)
    return _job_edit(
        request,
        job,
        JobEndForm(request.POST or None, job=job),
        services.end_job,
        "employment/job_end.jinja",
        "Job end recorded.",
    )


def _job_edit(
    request: HttpRequest,
    job: Job,
    form: forms.Form,
    save: Callable[..., Job],
    template: str,
    done: str,
) -> HttpResponse:
    back = reverse("clients:record", args=[job.episode.person_id])
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


@requires(Capability.VIEW_EMPLOYERS)
@require_GET
def employer_list(request: HttpRequest) -> HttpResponse:
    employers = queries.employers_for(_user(request))
    return render(request, "employment/employers.jinja", {"employers": employers})


@requires(Capability.VIEW_EMPLOYERS)
@require_GET
def employer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    employer = queries.employer_for(user, pk)
    lead_form = JobLeadForm() if user.can(Capability.RECORD_CASEWORK) else None
    return _employer_page(request, employer, lead_form)


def _employer_page(
    request: HttpRequest, employer: Employer, lead_form: JobLeadForm | None
) -> HttpResponse:
    contacts = (
        Contact.objects.visible_to(_user(request))
        .filter(employer=employer)
        .select_related("staff", "episode__person")
    )
    context = {
        "employer": employer,
        "contacts": contacts,
        "leads": employer.leads.all(),
        "lead_form": lead_form,
        "form": lead_form,
    }
    return render(request, "employment/employer.jinja", context)


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["POST"])
def lead_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    employer = queries.employer_for(user, pk)
    form = JobLeadForm(request.POST)
    if form.is_valid():
        services.add_lead(user, employer, form.save(commit=False))
        messages.success(request, "Job lead added.")
        return redirect("employment:employer", employer.pk)
    return _employer_page(request, employer, form)


@requires(Capability.RECORD_CASEWORK)
@require_http_methods(["GET", "POST"])
def job_change(request: HttpRequest, pk: int) -> HttpResponse:
    job = queries.job_for(_user(request), pk)
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
def employer_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and user.service is not None:
        employer = services.add_employer(user, user.service, form.save(commit=False))
        messages.success(request, f"{employer} added.")
        return redirect("employment:employer", employer.pk)
    return render(request, "employment/employer_form.jinja", {"form": form})
