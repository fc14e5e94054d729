"""Signing in and out, two-factor sign-in, and account management for administrators."""

from base64 import b32encode
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from openips.accounts import services, throttle, tokens
from openips.accounts.forms import NewUserForm, SignInForm, TokenForm, TokenNameForm, UserForm
from openips.accounts.models import User
from openips.accounts.presenters import UserListPresenter
from openips.accounts.roles import Capability
from openips.audit.addresses import client_ip
from openips.audit.signals import second_factor_failed, second_factor_passed
from openips.core.access import requires


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


def _signed_in_user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = _signed_in_user(request)
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
            return redirect("core:home")
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
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user = _signed_in_user(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                second_factor_passed(user)
                return redirect("core:home")
        second_factor_failed(user)
        form.add_error(
            "token", "The security code is not right. Check the time on your phone and try again."
        )
    return render(request, "accounts/two_factor_verify.jinja", {"form": form})


@requires(Capability.MANAGE_USERS)
def user_list(request: HttpRequest) -> HttpResponse:
    users = User.objects.select_related("network", "organisation", "service", "clinical_team")
    return render(request, "accounts/users.jinja", {"users": UserListPresenter(list(users))})


@requires(Capability.MANAGE_USERS)
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    form = NewUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.create_user(
            _signed_in_user(request), form.save(commit=False), form.cleaned_data["password"]
        )
        messages.success(request, f"Account {user.username} created.")
        return redirect("accounts:users")
    return render(request, "accounts/user_form.jinja", {"form": form, "new": True})


@requires(Capability.MANAGE_USERS)
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    before = services.snapshot(user)
    form = UserForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        services.update_user(_signed_in_user(request), form.save(commit=False), before)
        messages.success(request, f"Account {user.username} saved.")
        return redirect("accounts:users")
    return render(
        request, "accounts/user_form.jinja", {"form": form, "new": False, "account": user}
    )


@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own page: who they are, and their API tokens."""
    user = _signed_in_user(request)
    form = TokenNameForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _, new_token = tokens.create_token(user, form.cleaned_data["name"])
        form = TokenNameForm()
    context = {"form": form, "new_token": new_token, "tokens": user.api_tokens.all()}
    return render(request, "accounts/account.jinja", context)


@require_http_methods(["POST"])
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _signed_in_user(request)
    api_token = get_object_or_404(user.api_tokens.filter(revoked_at__isnull=True), pk=pk)
    tokens.revoke_token(user, api_token)
    messages.success(request, f"Token {api_token} revoked.")
    return redirect("accounts:account")
