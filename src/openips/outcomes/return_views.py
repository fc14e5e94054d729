"""Quarterly returns: a page of quarters, and each return as CSV (streamed) or a workbook."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from typing import Any

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from openips.accounts.access import requires
from openips.accounts.http import AuthenticatedHttpRequest
from openips.accounts.models import User
from openips.accounts.queries import services_in_view, services_with_client_access
from openips.accounts.roles import Capability, Role
from openips.audit.models import AuditAction
from openips.audit.services import Code, record
from openips.core import params
from openips.core.params import BadParameter
from openips.core.spreadsheets import guard
from openips.outcomes import returns


class _Line:
    """csv.writer writes into this and hands the line straight back, to be streamed."""

    def write(self, value: str) -> str:
        return value


def _safe(value: Any) -> Any:
    return guard(value) if isinstance(value, str) and value else value


def _scope(user: User) -> tuple[Any, bool]:
    """The services a user's returns cover, and whether small numbers must be hidden."""
    if user.role == Role.COMMISSIONER:
        return services_in_view(user), True
    return services_with_client_access(user), False


def _percent(sheet: Any, value: Any) -> Any:
    """A rate in the workbook keeps its value (0.182) and shows as a percentage (18.2%)."""
    if not isinstance(value, float):
        return value
    from openpyxl.cell import WriteOnlyCell

    found = WriteOnlyCell(sheet, value=value)
    found.number_format = "0.0%"
    return found


@requires(Capability.MAKE_RETURNS)
@require_GET
def returns_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    services, suppressed = _scope(user)
    return render(
        request,
        "outcomes/returns.jinja",
        {
            "quarters": returns.recent_quarters(timezone.localdate(), ended_only=suppressed),
            "so_far": not suppressed,
            "kinds": returns.RETURNS,
            "services": services.order_by("name"),
            "suppressed": suppressed,
        },
    )


@requires(Capability.MAKE_RETURNS)
@require_GET
def download(
    request: AuthenticatedHttpRequest, kind: str, quarter: str, format: str
) -> HttpResponseBase:
    if kind not in returns.RETURNS or format not in ("csv", "xlsx"):
        raise Http404
    if (older := params.calendar_quarter(quarter)) is not None:
        # A link from before quarters were named by the financial year: the same three months.
        return redirect("outcomes:return_download", kind, older.slug, format, permanent=True)
    chosen = params.parse_quarter(quarter)
    period = returns.period_of(chosen)
    user = request.user
    services, suppressed = _scope(user)
    if suppressed and period.end >= timezone.localdate():
        raise BadParameter(
            "Choose a quarter that has ended: returns with small numbers hidden cover whole "
            "quarters only."
        )
    data = returns.rows(kind, services, period, suppress=suppressed)
    record(
        AuditAction.EXPORT,
        actor=user,
        details={
            "return": Code(kind),
            "quarter": Code(chosen.slug),
            "rows": len(data),
            "services": [
                Code(str(row.get("service_code") or row.get("SERVICE_CODE"))) for row in data
            ][:50],
            "small numbers hidden": suppressed,
        },
    )
    name = f"openips-{kind}-{chosen.slug}.{format}"
    lines = ([_safe(v) for v in line] for line in returns.table(kind, data))
    if format == "csv":
        writer = csv.writer(_Line())
        stream: Iterator[str] = (writer.writerow(line) for line in lines)
        response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, name) or ""
        return response
    import openpyxl  # on first use: commands and workers start without it

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(kind)
    rates = {returns.RETURNS[kind].columns.index(c) for c in returns.RETURNS[kind].rates}
    for line in lines:
        sheet.append([_percent(sheet, v) if i in rates else v for i, v in enumerate(line)])
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    book.save(handle.name)
    return FileResponse(handle, as_attachment=True, filename=name)
