from django.urls import path

from openips.employment import views

app_name = "employment"
urlpatterns = [
    path("episodes/<int:pk>/jobs/new/", views.job_start, name="job_start"),
    path("jobs/<int:pk>/end/", views.job_end, name="job_end"),
    path("jobs/<int:pk>/change/", views.job_change, name="job_change"),
    path(
        "episodes/<int:pk>/talking-therapies-employment/<str:moment>/",
        views.employment_record,
        name="employment_record",
    ),
]
