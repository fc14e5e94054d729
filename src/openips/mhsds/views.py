"""The service manager's MHSDS pages: the extract of a month, its reconciliation with the
returns, and the NHS settings the extract needs."""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from openips.accounts.access import requires
from openips.accounts.http import AuthenticatedHttpRequest
from openips.accounts.queries import services_with_client_access
from openips.accounts.roles import Capability
from openips.interchange.downloads import ask_for, extract_name
from openips.interchange.models import DownloadKind
from openips.mhsds import sources
from openips.mhsds.extract import to_zip
from openips.mhsds.forms import MonthForm, SettingsForm
from openips.mhsds.reconcile import reconcile as reconciled
from openips.mhsds.services import change_settings, missing_settings
from openips.mhsds.tasks import prepare_extract
from openips.organisations.models import Service
from openips.outcomes.metrics import Period


def _service(request: AuthenticatedHttpRequest, pk: int) -> Service:
    services = services_with_client_access(request.user).select_related("organisation")
    return get_object_or_404(services, pk=pk)


def _care_contacts(service: Service, period: Period) -> int:
    return sources.care_contact_count(sources.referrals(service, period), period)


@requires(Capability.MOVE_SERVICE_DATA)
@require_http_methods(["GET", "POST"])
def extract(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse | FileResponse:
    service = _service(request, pk)
    form = MonthForm(request.POST or None, timezone.localdate())
    missing = missing_settings(service)
    if request.method == "POST" and form.is_valid() and not missing:
        period = form.period
        if _care_contacts(service, period) > settings.MHSDS_INLINE_CONTACTS:
            download = ask_for(
                request.user,
                service,
                prepare_extract,
                kind=DownloadKind.MHSDS,
                period_start=period.start,
                period_end=period.end,
            )
            return redirect("interchange:download", download.pk)
        archive = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent)
        outcome = to_zip(service, period, archive, actor=request.user)
        if not outcome.refused:
            archive.seek(0)
            name = extract_name(service, period.start, period.end)
            return FileResponse(archive, as_attachment=True, filename=name)
        archive.close()
        missing = [f.message for f in outcome.problems]
    return render(
        request,
        "mhsds/extract.jinja",
        {
            "service": service,
            "form": form,
            "missing": missing,
            "posted": request.method == "POST",
            "error_items": [{"text": text} for text in missing],
        },
    )


@requires(Capability.MOVE_SERVICE_DATA)
@require_GET
def reconcile(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    service = _service(request, pk)
    form = MonthForm(request.GET if "month" in request.GET else None, timezone.localdate())
    missing, found, too_large = missing_settings(service), None, False
    if form.is_bound and form.is_valid() and not missing:
        # The check makes the whole extract in the request: a month too large for that is
        # checked with `openips reconcile_mhsds` instead.
        too_large = _care_contacts(service, form.period) > settings.MHSDS_INLINE_CONTACTS
        found = None if too_large else reconciled(service, form.period)
    return render(
        request,
        "mhsds/reconcile.jinja",
        {
            "service": service,
            "form": form,
            "found": found,
            "missing": missing,
            "too_large": too_large,
        },
    )


@requires(Capability.MOVE_SERVICE_DATA)
@require_http_methods(["GET", "POST"])
def nhs_settings(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    service = _service(request, pk)
    org = service.organisation
    current = {
        "ods_code": org.ods_code,
        "submitter_ods_code": org.submitter_ods_code,
        "mhsds_team_id": service.mhsds_team_id,
    }
    form = SettingsForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        changed = change_settings(request.user, service, form.cleaned_data)
        messages.success(request, "NHS settings saved" if changed else "Nothing was changed")
        return redirect("mhsds:extract", service.pk)
    return render(request, "mhsds/settings.jinja", {"service": service, "form": form})
