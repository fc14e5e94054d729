from django.urls import path

from openips.outcomes import return_views, views

app_name = "outcomes"
urlpatterns = [
    path("", views.index, name="index"),
    path("services/<int:pk>/", views.service, name="service"),
    path("network/", views.network_view, name="network"),
    path("returns/", return_views.returns_page, name="returns"),
    path(
        "returns/<str:kind>/<str:quarter>.<str:format>",
        return_views.download,
        name="return_download",
    ),
]
