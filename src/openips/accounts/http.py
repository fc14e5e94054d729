"""The request a signed-in page receives."""

from django.http import HttpRequest

from openips.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """LoginRequiredMiddleware lets no one reach a view not marked `login_not_required` without
    signing in, so such a view annotates `request: AuthenticatedHttpRequest` and reads
    `request.user` as a `User`. Pages marked `login_not_required` keep `HttpRequest`."""

    user: User
