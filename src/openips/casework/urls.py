from django.urls import path

from openips.casework import appointment_views, employer_views, views

app_name = "casework"
urlpatterns = [
    path("caseload/", views.my_caseload, name="caseload"),
    path("caseload/team/", views.team_caseload, name="team_caseload"),
    path("my-week/", views.my_week, name="my_week"),
    path("employers/", employer_views.employer_list, name="employers"),
    path("employers/new/", employer_views.employer_create, name="employer_create"),
    path("employers/<int:pk>/", employer_views.employer_detail, name="employer"),
    path("employers/<int:pk>/leads/", employer_views.lead_create, name="lead_create"),
    path("episodes/<int:pk>/profile/", views.profile, name="profile"),
    path(
        "episodes/<int:pk>/interventions/new/",
        views.intervention_create,
        name="intervention_create",
    ),
    path("episodes/<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path(
        "episodes/<int:pk>/appointments/new/",
        appointment_views.appointment_create,
        name="appointment_create",
    ),
    path(
        "appointments/<int:pk>/outcome/",
        appointment_views.appointment_outcome,
        name="appointment_outcome",
    ),
    path(
        "appointments/<int:pk>/cancel/",
        appointment_views.appointment_cancel,
        name="appointment_cancel",
    ),
    path("contacts/<int:pk>/change/", views.contact_change, name="contact_change"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
]
