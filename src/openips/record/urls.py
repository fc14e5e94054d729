from django.urls import path

from openips.record import views

app_name = "record"
urlpatterns = [path("clients/<int:pk>/", views.person, name="person")]
