"""Sign-in, sign-out, failed sign-in and lockout all go into the audit trail. Where a second
factor is required, a password alone is not a sign-in: the two-factor pages record the sign-in
when the security code is accepted (`second_factor_passed`), and each refused code."""

from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from openips.audit.models import AuditAction
from openips.audit.services import Code, record

LOCAL_SIGN_IN = "password"  # how the trail names a sign-in by password, beside "nhs_identity"


@receiver(user_logged_in)
def on_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    # A single sign-on says so itself (accounts.oidc); any other sign-in is by password. With
    # two-factor required it is complete only once a second factor is in the session: the
    # identity provider's, or our own code (`second_factor_passed`).
    given = getattr(user, "sign_in_details", None) or {"method": LOCAL_SIGN_IN}
    details = {key: Code(str(value)) for key, value in given.items()}
    complete = (
        not settings.OTP_REQUIRED
        or getattr(user, "otp_device", None) is not None
        or getattr(user, "is_verified", lambda: False)()
    )
    action = AuditAction.SIGN_IN if complete else AuditAction.AWAITING_SECOND_FACTOR
    record(action, actor=user, details=details)


def second_factor_passed(user: Any) -> None:
    record(AuditAction.SIGN_IN, actor=user, details={"second_factor": Code("security code")})


def second_factor_failed(user: Any) -> None:
    record(AuditAction.SECOND_FACTOR_FAILED, actor=user)


@receiver(user_logged_out)
def on_sign_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(AuditAction.SIGN_OUT, actor=user)


@receiver(user_login_failed)
def on_sign_in_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))
    known = get_user_model().objects.filter(username=username).first()
    details = {"method": Code(LOCAL_SIGN_IN)}
    record(AuditAction.SIGN_IN_FAILED, actor=known, actor_label=username, details=details)


@receiver(user_locked_out)
def on_locked_out(sender: Any, request: HttpRequest, username: str, **kwargs: Any) -> None:
    known = get_user_model().objects.filter(username=username).first()
    record(AuditAction.LOCKED_OUT, actor=known, actor_label=username)
