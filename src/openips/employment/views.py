from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from openips.accounts.models import User
from openips.accounts.roles import Capability
from openips.casework.models import Contact
from openips.clients import queries as client_queries
from openips.clients.edit_views import VersionForm
from openips.core.access import requires
from openips.core.services import EditConflict
from openips.employment import queries, services
from openips.employment.forms import EmployerForm, JobEndForm, JobStartForm


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
    user = _user(request)
    job = queries.job_for(user, pk)
    form = JobEndForm(request.POST or None, job=job)
    version = VersionForm(request.POST or None, initial={"version": job.version})
    if request.method == "POST" and form.is_valid() and version.is_valid():
        try:
            services.end_job(
                user, job, started_from=version.cleaned_data["version"], **form.cleaned_data
            )
        except EditConflict as clash:
            form.add_error(
                None,
                "Someone else changed this job while you were working on it. "
                "Your entries are kept: check them and save again.",
            )
            version = VersionForm(initial={"version": clash.current.version})  # type: ignore[attr-defined]
        else:
            messages.success(request, "Job end recorded.")
            return redirect("clients:record", job.episode.person_id)
    context = {"form": form, "version_form": version, "job": job}
    return render(request, "employment/job_end.jinja", context)


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
    contacts = (
        Contact.objects.visible_to(user)
        .filter(employer=employer)
        .select_related("staff", "episode__person")[:200]
    )
    return render(
        request, "employment/employer.jinja", {"employer": employer, "contacts": contacts}
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
