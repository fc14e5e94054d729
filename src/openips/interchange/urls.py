from django.urls import path

from openips.interchange import views

app_name = "interchange"
urlpatterns = [
    path("services/<int:pk>/", views.service_data, name="service_data"),
    path("services/<int:pk>/export.<str:format>", views.export, name="export"),
    path("imports/<int:pk>/", views.import_job, name="import_job"),
]
