from django.urls import path

from openips.mhsds import views

app_name = "mhsds"
urlpatterns = [
    path("services/<int:pk>/", views.extract, name="extract"),
    path("services/<int:pk>/reconcile/", views.reconcile, name="reconcile"),
    path("services/<int:pk>/settings/", views.nhs_settings, name="settings"),
]
