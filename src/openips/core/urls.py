from django.urls import path

from openips.core import views

app_name = "core"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("accessibility-statement/", views.accessibility, name="accessibility"),
]
