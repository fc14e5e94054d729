from django.urls import path

from openips.casework import views

app_name = "casework"
urlpatterns = [
    path("caseload/", views.my_caseload, name="caseload"),
    path("caseload/team/", views.team_caseload, name="team_caseload"),
    path("my-week/", views.my_week, name="my_week"),
    path("episodes/<int:pk>/profile/", views.profile, name="profile"),
    path(
        "episodes/<int:pk>/interventions/new/",
        views.intervention_create,
        name="intervention_create",
    ),
    path("episodes/<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/change/", views.contact_change, name="contact_change"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
]
