"""Single sign-on. The identity provider's redirect URI is the callback: https://HOST/sso/callback/"""

from django.urls import path

from openips.accounts import sso_views

app_name = "sso"
urlpatterns = [
    path("start/", sso_views.SignInStartView.as_view(), name="start"),
    path("callback/", sso_views.SignInCallbackView.as_view(), name="callback"),
]
