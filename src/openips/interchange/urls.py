from django.urls import path

from openips.interchange import views

app_name = "interchange"
urlpatterns = [
    path("services/<int:pk>/", views.service_data, name="service_data"),
    path("services/<int:pk>/export.<str:format>", views.export, name="export"),
    path("services/<int:pk>/workbook/", views.ask_for_workbook, name="ask_for_workbook"),
    path("downloads/<int:pk>/", views.download, name="download"),
    path("downloads/<int:pk>/file", views.download_file, name="download_file"),
    path("imports/<int:pk>/", views.import_job, name="import_job"),
]
