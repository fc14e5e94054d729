from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from openips.core.api import register

api = register()
# Not named app_name: Django would read that as this whole URLconf's namespace.
api_patterns, api_app, api_namespace = api.urls
# The API answers 401 itself; it must not be redirected to the sign-in page.
for pattern in api_patterns:
    if pattern.callback is not None:
        pattern.callback = login_not_required(pattern.callback)

urlpatterns = [
    path("", include("openips.core.urls")),
    path("", include("openips.accounts.urls")),
    path("sso/", include("openips.accounts.sso_urls")),
    path("clients/", include("openips.clients.urls")),
    path("casework/", include("openips.casework.urls")),
    path("employment/", include("openips.employment.urls")),
    path("organisations/", include("openips.organisations.urls")),
    path("audit/", include("openips.audit.urls")),
    path("data/", include("openips.interchange.urls")),
    path("outcomes/", include("openips.outcomes.urls")),
    path("fidelity/", include("openips.fidelity.urls")),
    path("benefits/", include("openips.benefits.urls")),
    path("api/v1/", include((api_patterns, api_app), namespace=api_namespace)),
]

handler400 = "openips.core.views.bad_request"
handler403 = "openips.core.views.forbidden"
handler404 = "openips.core.views.not_found"
handler500 = "openips.core.views.server_error"
