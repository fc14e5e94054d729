"""Sign-in starts a session's absolute lifetime, whichever way the person signed in."""

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from openips.accounts.middleware import mark_signed_in


@receiver(user_logged_in, dispatch_uid="openips-session-lifetime")
def start_session_lifetime(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        mark_signed_in(request)
