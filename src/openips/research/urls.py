from django.urls import path

from openips.research import views

app_name = "research"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("studies/", views.studies, name="studies"),
    path("studies/new/", views.study_create, name="study_create"),
    path("studies/<int:pk>/", views.study, name="study"),
    path("studies/<int:pk>/accesses/<int:access>/withdraw/", views.revoke, name="revoke"),
    path("studies/<int:pk>/extract/", views.extract, name="extract"),
]
