"""Import and export of a whole service in the browser, for its service manager."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openips.accounts.access import requires
from openips.accounts.http import AuthenticatedHttpRequest
from openips.accounts.queries import services_with_client_access
from openips.accounts.roles import Capability
from openips.interchange import downloads, uploads
from openips.interchange.exporter import zip_stream
from openips.interchange.forms import UploadForm
from openips.interchange.models import (
    Download,
    DownloadKind,
    DownloadStatus,
    ImportJob,
    ImportStatus,
)
from openips.organisations.models import Service

RECENT_IMPORTS = 10


def _service(request: AuthenticatedHttpRequest, pk: int) -> Service:
    return get_object_or_404(services_with_client_access(request.user), pk=pk)


@requires(Capability.MOVE_SERVICE_DATA)
@require_http_methods(["GET", "POST"])
def service_data(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    service = _service(request, pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        job = uploads.check_upload(user, service, form.cleaned_data["file"])
        return redirect("interchange:import_job", job.pk)
    imports = ImportJob.objects.filter(service=service).select_related("uploaded_by")
    imports = imports.defer("problems", "rows", "created", "updated")
    return render(
        request,
        "interchange/service_data.jinja",
        {
            "service": service,
            "form": form,
            "imports": imports[:RECENT_IMPORTS],
            "keep_hours": settings.DOWNLOAD_KEEP_HOURS,
        },
    )


@requires(Capability.MOVE_SERVICE_DATA)
@require_http_methods(["GET", "POST"])
def import_job(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    services = services_with_client_access(request.user)
    job = get_object_or_404(
        ImportJob.objects.select_related("service"), pk=pk, service__in=services
    )
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            uploads.cancel(job)
            return redirect("interchange:service_data", job.service_id)
        uploads.confirm(job)
        return redirect("interchange:import_job", job.pk)
    progress = uploads.progress_of(job)  # first: an import whose worker has gone fails here
    return render(
        request,
        "interchange/import_job.jinja",
        {
            "job": job,
            "statuses": ImportStatus,
            "problems": job.problems[: settings.IMPORT_MAX_PROBLEMS],
            "progress": progress,
        },
    )


@requires(Capability.MOVE_SERVICE_DATA)
@require_GET
def export(
    request: AuthenticatedHttpRequest, pk: int, format: str
) -> HttpResponse | StreamingHttpResponse:
    if format != "zip":  # a workbook is prepared by a worker: ask_for_workbook
        raise Http404
    service = _service(request, pk)
    stamp = timezone.localdate().isoformat()
    response = StreamingHttpResponse(
        zip_stream(service, actor=request.user), content_type="application/zip"
    )
    response["Content-Disposition"] = f'attachment; filename="openips-{service.code}-{stamp}.zip"'
    return response


@requires(Capability.MOVE_SERVICE_DATA)
@require_POST
def ask_for_workbook(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    download = downloads.ask_for_workbook(request.user, _service(request, pk))
    return redirect("interchange:download", download.pk)


def _download(request: AuthenticatedHttpRequest, pk: int) -> Download:
    """Only the person who asked for a file may fetch it, while they may see the service."""
    return get_object_or_404(
        Download.objects.select_related("service"),
        pk=pk,
        requested_by=request.user,
        service__in=services_with_client_access(request.user),
    )


@requires(Capability.MOVE_SERVICE_DATA)
@require_GET
def download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    download = _download(request, pk)
    return render(
        request,
        "interchange/download.jinja",
        {
            "download": download,
            "statuses": DownloadStatus,
            "back": downloads.BACK[DownloadKind(download.kind)],
            "suffix": downloads.SUFFIX[DownloadKind(download.kind)],
            "problems": [{"text": text} for text in download.rows.get("problems", [])],
        },
    )


@requires(Capability.MOVE_SERVICE_DATA)
@require_GET
def download_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    download = _download(request, pk)
    if download.status != DownloadStatus.READY or not download.file:
        raise Http404
    downloads.fetched(request.user, download)
    return FileResponse(
        download.file.open("rb"), as_attachment=True, filename=downloads.file_name(download)
    )
