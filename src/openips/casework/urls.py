from django.urls import path

from openips.casework import views

app_name = "casework"
urlpatterns = [
    path("episodes/<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
]
