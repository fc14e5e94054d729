"""Single sign-on's two pages: the start (a redirect to the identity provider) and the callback
(back from it). Each refusal is audited as a failed sign-in and explained on an NHS-style page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import auth
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from openips.accounts.oidc import METHOD, Reason, SignInRefused, sso_enabled
from openips.accounts.views import locked_out
from openips.audit.models import AuditAction
from openips.audit.services import Code, record

ASK_ADMINISTRATOR = "Ask your OpenIPS administrator for help."
TRY_AGAIN = "Try again. If this keeps happening, contact your IT service desk."


@dataclass(frozen=True)
class Refusal:
    title: str
    paragraphs: tuple[str, ...]


def refusal_page(refusal: SignInRefused) -> Refusal:
    """What the person is told. Token faults share one page: the details are in the audit trail."""
    who = f" ({refusal.label})" if refusal.label else ""
    match refusal.reason:
        case Reason.UNKNOWN_USER:
            return Refusal(
                "There is no OpenIPS account for your NHS account",
                (
                    f"You signed in to your NHS account{who}, but no OpenIPS account matches it.",
                    "Signing in does not create an account. Ask your OpenIPS administrator to "
                    "check the email address on your account, or to set one up for you.",
                ),
            )
        case Reason.AMBIGUOUS:
            return Refusal(
                "More than one OpenIPS account matches your NHS account",
                (f"More than one account has the same details{who}.", ASK_ADMINISTRATOR),
            )
        case Reason.LINKED_ELSEWHERE:
            return Refusal(
                "Your OpenIPS account is linked to a different NHS account",
                ("Sign in with the NHS account you used before.", ASK_ADMINISTRATOR),
            )
        case Reason.INACTIVE:
            return Refusal(
                "Your OpenIPS account is switched off",
                ("Contact your administrator.",),
            )
        case Reason.EXPIRED:
            return Refusal(
                "Your NHS account sign-in has expired",
                ("The sign-in took too long to reach OpenIPS.", TRY_AGAIN),
            )
        case Reason.PROVIDER_DECLINED:
            return Refusal(
                "You did not finish signing in with your NHS account",
                ("Try again, or sign in with your OpenIPS username and password.",),
            )
        case Reason.PROVIDER_UNREACHABLE:
            return Refusal(
                "The NHS account sign-in service is not answering",
                ("Try again later, or sign in with your OpenIPS username and password.",),
            )
        case Reason.NOT_STARTED:
            return Refusal(
                "Your sign-in timed out",
                ("Start again from the sign-in page.",),
            )
        case _:
            return Refusal(
                "Your NHS account sign-in could not be checked",
                (
                    "OpenIPS could not confirm that the sign-in came from your NHS account.",
                    TRY_AGAIN,
                ),
            )


def refused(request: HttpRequest, refusal: SignInRefused) -> HttpResponse:
    record(
        AuditAction.SIGN_IN_FAILED,
        actor=refusal.user,
        actor_label=refusal.label,
        details={"method": Code(METHOD), "reason": refusal.reason},
    )
    context = {"refusal": refusal_page(refusal)}
    return render(request, "accounts/sso_refused.jinja", context, status=403)


class SSOOnly(View):
    """Both pages are missing while single sign-on is not set up. Before the library's view in
    each page's bases, so this dispatch runs first."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not sso_enabled():
            raise Http404("Single sign-on is not set up")
        return super().dispatch(request, *args, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class SignInStartView(SSOOnly, OIDCAuthenticationRequestView):
    pass


@method_decorator(login_not_required, name="dispatch")
class SignInCallbackView(SSOOnly, OIDCAuthenticationCallbackView):
    def get(self, request: HttpRequest) -> HttpResponse:
        began = request.GET.get("state") in request.session.get("oidc_states", {})
        if request.GET.get("error") and not began:
            # Not an answer to a sign-in this browser began: another site linking here. The
            # library would sign the person out; refuse without touching their session.
            return refused(request, SignInRefused(Reason.NOT_STARTED))
        try:
            response: HttpResponse = super().get(request)
        except SignInRefused as refusal:
            return refused(request, refusal)
        except SuspiciousOperation:  # a state this browser never began: replayed or forged
            return refused(request, SignInRefused(Reason.NOT_STARTED))
        return response

    def login_success(self) -> HttpResponse:
        # Always a fresh sign-in (new session key, audited, the provider's second factor kept),
        # even over a session already signed in: the library skips login() for the same user.
        auth.login(self.request, self.user)
        return HttpResponseRedirect(self.success_url)

    def login_failure(self) -> HttpResponse:
        if getattr(self.request, "axes_locked_out", False):
            return locked_out(self.request, {})  # audited by the lockout receivers
        if self.request.GET.get("error"):
            reason = Reason.PROVIDER_DECLINED
        elif hasattr(self, "user"):  # authenticated, but no account came back
            reason = Reason.INVALID_TOKEN
        else:
            reason = Reason.NOT_STARTED
        return refused(self.request, SignInRefused(reason))
