from django.urls import path

from openips.organisations import views

app_name = "organisations"
urlpatterns = [path("services/", views.service_list, name="services")]
