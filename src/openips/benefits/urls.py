from django.urls import path

from openips.benefits import views

app_name = "benefits"
urlpatterns = [
    path("episodes/<int:pk>/estimate/", views.estimate, name="estimate"),
    path("estimates/<int:pk>/", views.saved, name="saved"),
]
