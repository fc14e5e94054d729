"""Signing in and out, two-factor sign-in, and account management for administrators."""

from base64 import b32encode
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from openips.accounts import queries, services, throttle, tokens
from openips.accounts.access import requires
from openips.accounts.forms import (
    AccountForm,
    GrantDecisionForm,
    NewUserForm,
    NHSPasswordChangeForm,
    SignInForm,
    TokenForm,
    TokenNameForm,
)
from openips.accounts.http import AuthenticatedHttpRequest
from openips.accounts.models import RoleGrant, User
from openips.accounts.presenters import (
    GrantRow,
    HomePresenter,
    UserListPresenter,
    programme_history,
    programme_names,
)
from openips.accounts.roles import Capability
from openips.audit.addresses import client_ip
from openips.audit.signals import second_factor_failed, second_factor_passed
from openips.organisations import programmes
from openips.organisations import queries as service_queries
from openips.organisations.forms import ProgrammeForm
from openips.organisations.models import StaffRole
from openips.organisations.services import AlreadyInForce, set_programme


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.jinja"
    form_class = SignInForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if throttle.address_paused(client_ip(request)):
            minutes = settings.SIGN_IN_ADDRESS_WINDOW_MINUTES
            return render(
                request, "accounts/address_paused.jinja", {"minutes": minutes}, status=429
            )
        return super().post(request, *args, **kwargs)


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You have signed out.")
        return response


@login_not_required
def locked_out(
    request: HttpRequest, credentials: dict[str, Any], *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes calls this when an account has too many failed sign-ins."""
    return render(request, "accounts/locked_out.jinja", status=403)


@require_http_methods(["GET", "POST"])
def two_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:two_factor_verify")
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                otp_login(request, device)
                second_factor_passed(user)
            return redirect("accounts:home")
        second_factor_failed(user)
        form.add_error(
            "token", "The security code is not right. Check the time on your phone and try again."
        )
    key = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "setup_key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        "config_url": device.config_url,
    }
    return render(request, "accounts/two_factor_setup.jinja", context)


@require_http_methods(["GET", "POST"])
def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                second_factor_passed(user)
                return redirect("accounts:home")
        second_factor_failed(user)
        form.add_error(
            "token", "The security code is not right. Check the time on your phone and try again."
        )
    return render(request, "accounts/two_factor_verify.jinja", {"form": form})


@requires(Capability.MANAGE_USERS)
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    users = User.objects.select_related("network", "organisation", "service", "clinical_team")
    context = {
        "users": UserListPresenter(list(users)),
        "waiting": [GrantRow(g) for g in queries.pending_grants()],
    }
    return render(request, "accounts/users.jinja", context)


def _held(request: AuthenticatedHttpRequest, grant: RoleGrant | None, done: str) -> None:
    if grant is None:
        messages.success(request, done)
    else:
        messages.success(
            request,
            f"{done} The change to its access ({grant.access}) waits for another "
            "administrator to approve it.",
        )


@requires(Capability.MANAGE_USERS)
@require_http_methods(["GET", "POST"])
def user_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = NewUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user, grant = services.create_user(
            request.user, form.save(commit=False), form.cleaned_data["password"]
        )
        _held(request, grant, f"Account {user.username} created.")
        return redirect("accounts:users")
    return render(request, "accounts/user_form.jinja", {"form": form, "new": True})


@requires(Capability.MANAGE_USERS)
@require_http_methods(["GET", "POST"])
def user_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    user = get_object_or_404(User, pk=pk)
    before = services.snapshot(user)
    form = AccountForm(request.POST or None, instance=user, own=user.pk == actor.pk)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.update_user(
                actor, form.save(commit=False), before, form.cleaned_data.get("new_password", "")
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            _held(request, grant, f"Account {user.username} saved.")
            return redirect("accounts:users")
    waiting = queries.pending_grants().filter(user=user).first()
    context = {
        "form": form,
        "new": False,
        "account": user,
        "waiting": GrantRow(waiting) if waiting else None,
    }
    return render(request, "accounts/user_form.jinja", context)


@requires(Capability.MANAGE_USERS)
@require_http_methods(["GET", "POST"])
def grant(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One request for access: an administrator who did not ask for it approves or refuses it."""
    actor = request.user
    role_grant = get_object_or_404(queries.grants(), pk=pk)
    form = GrantDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decide = services.approve if form.cleaned_data["decision"] == "approve" else services.refuse
        try:
            decide(actor, role_grant)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            verb = "approved" if decide is services.approve else "refused"
            messages.success(request, f"Access for {role_grant.user.username} {verb}.")
            return redirect("accounts:users")
    context = {
        "form": form,
        "row": GrantRow(role_grant),
        "account": role_grant.user,
        "asked_by_you": role_grant.requested_by_id == actor.pk,
        "for_you": role_grant.user_id == actor.pk,
    }
    return render(request, "accounts/grant.jinja", context)


@require_http_methods(["GET", "POST"])
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in user's own page: who they are, and their API tokens."""
    user = request.user
    form = TokenNameForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _, new_token = tokens.create_token(
            user, form.cleaned_data["name"], form.cleaned_data["days"]
        )
        form = TokenNameForm()
    context = {
        "form": form,
        "new_token": new_token,
        "tokens": user.api_tokens.all(),
        "now": timezone.now(),
    }
    return render(request, "accounts/account.jinja", context)


@require_http_methods(["GET", "POST"])
def password_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in user chooses a new password; the session they are in carries on."""
    user = request.user
    form = NHSPasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_own_password(user, form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, "Your password has been changed.")
        return redirect("accounts:account")
    return render(request, "accounts/password_change.jinja", {"form": form})


@require_http_methods(["POST"])
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    api_token = get_object_or_404(user.api_tokens.filter(revoked_at__isnull=True), pk=pk)
    tokens.revoke_token(user, api_token)
    messages.success(request, f"Token {api_token} revoked.")
    return redirect("accounts:account")


@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "accounts/home.jinja", {"home": HomePresenter(request.user)})


@requires(Capability.VIEW_SERVICES)
@require_GET
def service_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    in_view = service_queries.with_programme(
        queries.services_in_view(request.user), timezone.localdate()
    )
    services = in_view.annotate(
        specialists=Count(
            "staff",
            filter=Q(staff__role=StaffRole.EMPLOYMENT_SPECIALIST, staff__end_date__isnull=True),
        ),
        teams=Count("clinical_teams", distinct=True),
    )
    context = {
        "services": services,
        "programme_names": programme_names(),
        # A service manager's services in view are exactly those whose records they may move.
        "moves_data": request.user.can(Capability.MOVE_SERVICE_DATA),
        "manages": request.user.can(Capability.MANAGE_SERVICES),
    }
    return render(request, "accounts/services.jinja", context)


@requires(Capability.MANAGE_SERVICES)
@require_http_methods(["GET", "POST"])
def service_programme(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(queries.services_in_view(request.user), pk=pk)
    today = timezone.localdate()
    current = service_queries.programme_on(service, today)
    posted = request.POST if request.method == "POST" else None  # an empty form is still one
    form = ProgrammeForm(posted, initial={"programme": current.code})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            set_programme(request.user, service, data["programme"], data["valid_from"])
        except AlreadyInForce as refused:
            form.add_error(
                "programme",
                f"{service.name} already delivers {refused.programme.name} on that date. "
                "Select another programme or date",
            )
        else:
            messages.success(request, f"Programme of {service.name} saved")
            return redirect("accounts:services")
    context = {
        "service": service,
        "current": current,
        "form": form,
        "hints": form.hints(),
        "default_name": programmes.default().name,
        "history": programme_history(service_queries.history(service), today),
    }
    return render(request, "accounts/service_programme.jinja", context)
