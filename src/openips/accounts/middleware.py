"""Two-factor sign-in: a signed-in user who has not passed a TOTP check (or signed in through an
identity provider that asserted its own second factor) reaches only the two-factor pages, single
sign-on and sign-out until they do."""

from collections.abc import Callable

from django.conf import settings
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
            from django_otp.plugins.otp_totp.models import TOTPDevice

            # Only an authenticator app gives a code here; a single sign-on identity
            # (accounts.oidc) is a device too, but verifies only through the provider.
            if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                return redirect("accounts:two_factor_verify")
            return redirect("accounts:two_factor_setup")
        return self.get_response(request)
