from django.urls import include, path

urlpatterns = [
    path("", include("openips.core.urls")),
    path("", include("openips.accounts.urls")),
    path("clients/", include("openips.clients.urls")),
    path("casework/", include("openips.casework.urls")),
    path("employment/", include("openips.employment.urls")),
    path("organisations/", include("openips.organisations.urls")),
    path("audit/", include("openips.audit.urls")),
]

handler400 = "openips.core.views.bad_request"
handler403 = "openips.core.views.forbidden"
handler404 = "openips.core.views.not_found"
handler500 = "openips.core.views.server_error"
