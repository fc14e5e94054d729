from django.urls import path

from openips.fidelity import views

app_name = "fidelity"
urlpatterns = [
    path("", views.index, name="index"),
    path("plan/", views.plan, name="plan"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("reviews/<int:pk>/rate/", views.rate, name="rate"),
    path("reviews/<int:pk>/agree/", views.agree, name="agree"),
    path("reviews/<int:pk>/publish/", views.publish, name="publish"),
    path("reviews/<int:pk>/actions/", views.action_create, name="action_create"),
    path("reviews/<int:pk>/report/", views.report, name="report"),
    path("reviews/<int:pk>/data-pack/", views.data_pack, name="data_pack"),
    path("actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("services/<int:pk>/estimates/", views.estimates, name="estimates"),
    path(
        "services/<int:pk>/estimates/<int:item>/", views.estimate_records, name="estimate_records"
    ),
]
