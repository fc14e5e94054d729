"""Pages that belong to no one domain: home, health, accessibility statement and errors."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from openips.core.params import BadParameter


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.jinja", {"service_name": settings.SERVICE_NAME})


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    context = {"title": title, "message": message, "status": status}
    return render(request, "core/error.jinja", context, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    # Only a BadParameter's message is written for the reader; any other may name internals.
    if isinstance(exception, BadParameter):
        message = f"{exception} Go back and try again."
    else:
        message = "Go back and try again. If it happens again, contact your service desk."
    return _error(request, 400, "Sorry, there is a problem with this request", message)


def forbidden(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error(
        request,
        403,
        "You do not have access to this page",
        "Your role does not include this page. If you need it, ask your administrator.",
    )


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error(
        request,
        404,
        "Page not found",
        "If you typed the web address, check it is correct. "
        "If you pasted the web address, check you copied the entire address.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: the error may be the database itself, and the header's
    # signed-in user, messages and navigation all read it. The page must still come out.
    context = {
        "title": "Sorry, there is a problem with the service",
        "message": "Try again later. What you were doing has not been saved.",
        "status": 500,
        "cspNonce": str(getattr(request, "csp_nonce", "")),
        "assetPath": static("nhsuk/assets"),
    }
    page = loader.get_template("core/error.jinja").render(context)
    return HttpResponse(page, status=500)
