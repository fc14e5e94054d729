from django.urls import path

from openips.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.search, name="search"),
    path("people/<int:pk>/", views.person_trail, name="person"),
    path("users/<int:pk>/", views.user_trail, name="user"),
]
