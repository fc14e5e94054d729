from django.urls import path

from openips.employment import views

app_name = "employment"
urlpatterns = [
    path("employers/", views.employer_list, name="employers"),
    path("employers/new/", views.employer_create, name="employer_create"),
    path("employers/<int:pk>/", views.employer_detail, name="employer"),
    path("episodes/<int:pk>/jobs/new/", views.job_start, name="job_start"),
    path("employers/<int:pk>/leads/", views.lead_create, name="lead_create"),
    path("jobs/<int:pk>/end/", views.job_end, name="job_end"),
    path("jobs/<int:pk>/change/", views.job_change, name="job_change"),
]
