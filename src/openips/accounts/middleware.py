"""Two-factor sign-in: a signed-in user who has not passed a TOTP check reaches only the
two-factor pages (and sign-out) until they do."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

ALWAYS_ALLOWED = ("accounts:two_factor_setup", "accounts:two_factor_verify", "accounts:sign_out")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.OTP_REQUIRED
            and user.is_authenticated
            and not getattr(user, "is_verified", lambda: False)()
            and request.path not in {reverse(name) for name in ALWAYS_ALLOWED}
            and not request.path.startswith(settings.STATIC_URL)
        ):
            from django_otp import devices_for_user

            if any(devices_for_user(user, confirmed=True)):
                return redirect("accounts:two_factor_verify")
            return redirect("accounts:two_factor_setup")
        return self.get_response(request)
