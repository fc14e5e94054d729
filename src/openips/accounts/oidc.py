"""Single sign-on with the trust's identity provider (OpenID Connect, ADR 0013).

mozilla-django-oidc runs the authorisation-code flow; this backend adds what it leaves out:
the ID token's issuer, audience and times are checked (it checks only the signature and nonce),
people are matched to existing named accounts and never created, and the provider's second
factor counts as ours only when the ID token says the sign-in used one.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from openips.accounts.models import ProviderIdentity, User
from openips.audit.models import AuditAction
from openips.audit.services import record

METHOD = "nhs_identity"  # how the audit trail names a single sign-on
MATCH_FIELDS = {"email", "username"}


def sso_enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


class Reason(StrEnum):
    """Why a single sign-on was refused: kept in the audit trail, and chooses the page's words."""

    UNKNOWN_USER = "unknown_user"
    AMBIGUOUS = "ambiguous"
    LINKED_ELSEWHERE = "linked_elsewhere"
    INACTIVE = "inactive"
    WRONG_AUDIENCE = "wrong_audience"
    EXPIRED = "expired"
    INVALID_TOKEN = "invalid_token"  # noqa: S105  (a reason, not a secret)
    PROVIDER_DECLINED = "provider_declined"
    PROVIDER_UNREACHABLE = "provider_unreachable"
    NOT_STARTED = "not_started"


class SignInRefused(Exception):
    """Raised through `django.contrib.auth.authenticate` (which stops only PermissionDenied), so
    the callback view can say why, rather than a bare "failed"."""

    def __init__(self, reason: Reason, label: str = "", user: User | None = None) -> None:
        super().__init__(reason.value)
        self.reason, self.label, self.user = reason, label, user


def provider_second_factor(claims: dict[str, Any]) -> bool:
    """Whether the ID token asserts a second factor: an amr method or an acr level configured
    as one (OIDC_SECOND_FACTOR_AMR, OIDC_SECOND_FACTOR_ACR)."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    methods = {str(method) for method in amr} if isinstance(amr, list) else set()
    acr = claims.get("acr")
    return bool(methods & set(settings.OIDC_SECOND_FACTOR_AMR)) or (
        acr is not None and str(acr) in settings.OIDC_SECOND_FACTOR_ACR
    )


def match_account(claims: dict[str, Any]) -> tuple[User, ProviderIdentity]:
    """The existing account for these (verified) claims: by the provider's subject once linked,
    else by the configured claim on the first sign-in, which then links the subject."""
    issuer, subject = str(claims["iss"]), str(claims["sub"])
    link = ProviderIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject)
    identity = link.first()
    if identity is None:
        identity = _link_first_sign_in(claims, issuer, subject)
    if not identity.user.is_active:
        raise SignInRefused(Reason.INACTIVE, user=identity.user)
    return identity.user, identity


def _link_first_sign_in(claims: dict[str, Any], issuer: str, subject: str) -> ProviderIdentity:
    field, claim = settings.OIDC_MATCH_FIELD, settings.OIDC_MATCH_CLAIM
    if field not in MATCH_FIELDS:
        raise ImproperlyConfigured(f"OIDC_MATCH_FIELD must be one of {sorted(MATCH_FIELDS)}")
    value = str(claims.get(claim) or "").strip()
    # An address the provider has not verified could be anyone's. Entra ID sends no
    # email_verified: its directory's addresses are trusted only when the deployment says so.
    verified = claims.get("email_verified") is True or settings.OIDC_EMAIL_IS_AUTHORITATIVE
    if not value or (claim == "email" and not verified):
        raise SignInRefused(Reason.UNKNOWN_USER, label=value or subject)
    users = list(User.objects.filter(**{f"{field}__iexact": value})[:2])
    if not users:
        raise SignInRefused(Reason.UNKNOWN_USER, label=value)
    if len(users) > 1:
        raise SignInRefused(Reason.AMBIGUOUS, label=value)
    user = users[0]
    if not user.is_active:
        raise SignInRefused(Reason.INACTIVE, user=user)
    if ProviderIdentity.objects.filter(user=user, issuer=issuer).exists():
        # The account already belongs to another of the provider's people.
        raise SignInRefused(Reason.LINKED_ELSEWHERE, user=user)
    try:
        with transaction.atomic():
            identity = ProviderIdentity.objects.create(
                user=user, name="NHS identity", issuer=issuer, subject=subject
            )
            record(
                AuditAction.CREATE,
                actor=user,
                obj=identity,
                fields=["issuer", "subject"],
            )
    except IntegrityError as error:  # the same person's first sign-in in two tabs at once
        raise SignInRefused(Reason.LINKED_ELSEWHERE, user=user) from error
    return identity


class NHSIdentityBackend(OIDCAuthenticationBackend):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Unconfigured, it only restores sessions (get_user); the library would refuse to start.
        if sso_enabled():
            super().__init__(*args, **kwargs)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        # Only the callback view passes the nonce it stored; without this, a password form posted
        # with ?code=…&state=… would run a token exchange that skips the state check.
        if request is None or not sso_enabled() or not kwargs.get("nonce"):
            return None
        try:
            user: User | None = super().authenticate(request, **kwargs)
        except requests.RequestException as error:
            raise SignInRefused(Reason.PROVIDER_UNREACHABLE) from error
        return user

    def get_user(self, user_id: int) -> User | None:
        # The library's version returns switched-off accounts; ModelBackend's does not.
        user: User | None = ModelBackend.get_user(self, user_id)
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        try:
            payload: dict[str, Any] = super().verify_token(token, **kwargs)
        except (SuspiciousOperation, jwt.PyJWTError, KeyError, ValueError) as error:
            # A wrong signature, algorithm, key or nonce, or no ID token at all.
            raise SignInRefused(Reason.INVALID_TOKEN) from error
        return payload

    def get_payload_data(self, token: str, key: Any) -> dict[str, Any]:
        """The ID token's claims, once its signature, issuer, audience and times are right."""
        client_id = self.OIDC_RP_CLIENT_ID
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=client_id,
                issuer=settings.OIDC_OP_ISSUER,
                leeway=settings.OIDC_LEEWAY_SECONDS,
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.InvalidAudienceError as error:
            raise SignInRefused(Reason.WRONG_AUDIENCE) from error
        except jwt.ExpiredSignatureError as error:
            raise SignInRefused(Reason.EXPIRED) from error
        except jwt.PyJWTError as error:
            raise SignInRefused(Reason.INVALID_TOKEN) from error
        # OpenID Connect Core 3.1.3.7: a token for several audiences must name us as its party.
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if claims.get("azp", client_id) != client_id or (
            len(audiences) > 1 and "azp" not in claims
        ):
            raise SignInRefused(Reason.WRONG_AUDIENCE)
        return claims

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        """The ID token's claims, with the userinfo endpoint's when one is configured."""
        if not self.OIDC_OP_USER_ENDPOINT:
            return payload
        info = super().get_userinfo(access_token, id_token, payload)
        if not isinstance(info, dict) or info.get("sub") != payload["sub"]:
            raise SignInRefused(Reason.INVALID_TOKEN)
        return {**info, **payload}

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User:
        claims = self.get_userinfo(access_token, id_token, payload)
        user, identity = match_account(claims)
        second_factor = provider_second_factor(claims)
        # django-otp's user_logged_in receiver puts the device in the session: the person counts
        # as verified. Without it, they give an OpenIPS security code as after a password.
        if second_factor:
            setattr(user, "otp_device", identity)  # noqa: B010  (not a field: read by django-otp)
        # What the sign-in receiver (audit.signals) records about how they signed in.
        details = {
            "method": METHOD,
            "second_factor": "identity provider" if second_factor else "none asserted",
        }
        setattr(user, "sign_in_details", details)  # noqa: B010
        return user

    def create_user(self, claims: dict[str, Any]) -> User:
        raise SignInRefused(Reason.UNKNOWN_USER)  # never reached: accounts are matched, not made
