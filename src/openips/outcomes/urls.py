from django.urls import path

from openips.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("", views.index, name="index"),
    path("services/<int:pk>/", views.service, name="service"),
    path("network/", views.network_view, name="network"),
]
