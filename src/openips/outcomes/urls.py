from django.urls import path

from openips.outcomes import return_views, views

app_name = "outcomes"
urlpatterns = [
    path("", views.index, name="index"),
    path("services/<int:pk>/", views.service, name="service"),
    path("services/<int:pk>/long-term/", views.long_term_view, name="long_term"),
    path("services/<int:pk>/savings/", views.savings_view, name="savings"),
    path("network/", views.network_view, name="network"),
    path("network/savings/", views.network_savings, name="network_savings"),
    path("returns/", return_views.returns_page, name="returns"),
    path(
        "returns/<str:kind>/<str:quarter>.<str:format>",
        return_views.download,
        name="return_download",
    ),
]
