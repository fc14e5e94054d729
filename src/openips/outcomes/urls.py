from django.urls import path

from openips.outcomes import return_views, views

app_name = "outcomes"
urlpatterns = [
    path("", views.index, name="index"),
    path("services/<int:pk>/", views.service, name="service"),
    path("services/<int:pk>/long-term/", views.long_term_view, name="long_term"),
    path("network/", views.network_view, name="network"),
    path("returns/", return_views.returns_page, name="returns"),
    path(
        "returns/<str:kind>/<str:quarter>.<str:format>",
        return_views.download,
        name="return_download",
    ),
]
