from django.urls import include, path

from openips.api import urls as api

urlpatterns = [
    path("", include("openips.core.urls")),
    path("", include("openips.accounts.urls")),
    path("sso/", include("openips.accounts.sso_urls")),
    path("clients/", include("openips.clients.urls")),
    path("", include("openips.record.urls")),
    path("casework/", include("openips.casework.urls")),
    path("employment/", include("openips.employment.urls")),
    path("audit/", include("openips.governance.urls")),
    path("data/", include("openips.interchange.urls")),
    path("outcomes/", include("openips.outcomes.urls")),
    path("fidelity/", include("openips.fidelity.urls")),
    path("benefits/", include("openips.benefits.urls")),
    path("messaging/", include("openips.messaging.urls")),
    path("mhsds/", include("openips.mhsds.urls")),
    path("research/", include("openips.research.urls")),
    path("api/v1/", include((api.patterns, api.app), namespace=api.namespace)),
    path("fhir/R4/", include("openips.fhir.urls")),
]

handler400 = "openips.core.views.bad_request"
handler403 = "openips.core.views.forbidden"
handler404 = "openips.core.views.not_found"
handler500 = "openips.core.views.server_error"
