from django.urls import path

from openips.governance import views
from openips.governance.access_grants import access_grants

app_name = "governance"
urlpatterns = [
    path("", views.search, name="search"),
    path("people/<int:pk>/", views.person_trail, name="person"),
    path("people/<int:pk>/everything-held/", views.subject_access, name="subject_access"),
    path("people/<int:pk>/anonymise/", views.anonymise, name="anonymise"),
    path("users/<int:pk>/", views.user_trail, name="user"),
    path("access-grants/", access_grants, name="access_grants"),
]
