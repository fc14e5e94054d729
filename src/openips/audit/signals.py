"""Sign-in, sign-out, failed sign-in and lockout all go into the audit trail."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from openips.audit.models import AuditAction
from openips.audit.services import record


@receiver(user_logged_in)
def on_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    # A single sign-on says so itself (accounts.oidc); any other sign-in is by password.
    details = getattr(user, "sign_in_details", None) or {"method": "password"}
    record(AuditAction.SIGN_IN, actor=user, changes=details)


@receiver(user_logged_out)
def on_sign_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(AuditAction.SIGN_OUT, actor=user)


@receiver(user_login_failed)
def on_sign_in_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))
    known = get_user_model().objects.filter(username=username).first()
    record(AuditAction.SIGN_IN_FAILED, actor=known, actor_label=username)


@receiver(user_locked_out)
def on_locked_out(sender: Any, request: HttpRequest, username: str, **kwargs: Any) -> None:
    known = get_user_model().objects.filter(username=username).first()
    record(AuditAction.LOCKED_OUT, actor=known, actor_label=username)
