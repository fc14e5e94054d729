"""What a signed-in session may do before anything else, and how long it lasts.

- Two-factor sign-in: a user who has not passed a TOTP check reaches only the two-factor pages
  (and sign-out) until they do.
- A password an administrator chose is replaced before anything else.
- A session ends SESSION_ABSOLUTE_SECONDS after sign-in, however active.
- Nothing a signed-in user (or an API caller) is sent is kept by a browser or proxy cache.

The REST API and the FHIR interface answer programs, not people: there a session short of the
first two is no sign-in at all (the interface's own 401 says so, in its own format), and a
session that has ended leaves no message for a page.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# A single sign-on with the provider's second factor is another way to finish (accounts.oidc).
ALWAYS_ALLOWED = (
    "accounts:two_factor_setup",
    "accounts:two_factor_verify",
    "accounts:sign_out",
    "sso:start",
    "sso:callback",
)
SIGNED_IN_AT = "openips_signed_in_at"

Handler = Callable[[HttpRequest], HttpResponse]


def _allowed(request: HttpRequest, names: tuple[str, ...]) -> bool:
    return request.path in {reverse(name) for name in names} or request.path.startswith(
        settings.STATIC_URL
    )


def _is_api(request: HttpRequest) -> bool:
    """The REST API or the FHIR interface: callers that read statuses, not pages."""
    fhir = reverse("fhir:metadata").removesuffix("metadata")
    return request.path.startswith((reverse("api:api-root"), fhir))


def _signed_in_as_no_one(request: HttpRequest) -> None:
    """On the API, a session that must finish signing in is no sign-in: the API answers its own
    401 rather than a redirect to a page (a token, which needs neither step, still signs in)."""
    request.user = AnonymousUser()


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.OTP_REQUIRED
            and user.is_authenticated
            and not getattr(user, "is_verified", lambda: False)()
            and not _allowed(request, ALWAYS_ALLOWED)
        ):
            if _is_api(request):
                _signed_in_as_no_one(request)
                return self.get_response(request)
            from django_otp.plugins.otp_totp.models import TOTPDevice

            # Only an authenticator app gives a code here; a single sign-on identity
            # (accounts.oidc) is a device too, but verifies only through the provider.
            if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                return redirect("accounts:two_factor_verify")
            return redirect("accounts:two_factor_setup")
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """After two-factor: an account whose password an administrator set reaches only the
    password change page (and sign-out) until its owner chooses their own."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        if (
            user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not _allowed(request, (*ALWAYS_ALLOWED, "accounts:password_change"))
        ):
            if _is_api(request):
                _signed_in_as_no_one(request)
                return self.get_response(request)
            return redirect("accounts:password_change")
        return self.get_response(request)


def mark_signed_in(request: HttpRequest) -> None:
    """Start the absolute lifetime: called at every sign-in, whatever the way in."""
    request.session[SIGNED_IN_AT] = int(time.time())


def _duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    minutes = round(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class SessionLifetimeMiddleware:
    """Sign a session out once SESSION_ABSOLUTE_SECONDS have passed since sign-in. The idle
    timeout (SESSION_COOKIE_AGE) is pushed on by every request; this one is not."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            if signed_in_at is None:  # a session from before the limit existed starts now
                mark_signed_in(request)
            elif time.time() - signed_in_at >= settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                if not _is_api(request):
                    messages.info(
                        request,
                        "You have been signed out because you signed in more than "
                        f"{_duration(settings.SESSION_ABSOLUTE_SECONDS)} ago. Sign in again to "
                        "carry on.",
                    )
        # Signed out now, the sign-in redirect comes from LoginRequiredMiddleware as usual.
        return self.get_response(request)


class PrivateResponsesMiddleware:
    """`Cache-Control: no-store, private` on every response to a signed-in user and on every API
    response, so that personal data is never left in a browser's or a proxy's cache. Static files
    are served before this (WhiteNoise) and keep their long cache lifetimes."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(settings.STATIC_URL):
            return response
        if _is_api(request) or request.user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
        return response
