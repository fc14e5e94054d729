from django.urls import path

from openips.clients import edit_views, health_views, identity_views, search_views, views

app_name = "clients"
urlpatterns = [
    path("", views.client_list, name="list"),
    path("search/", search_views.search_page, name="search"),
    path("refer/", edit_views.refer, name="refer"),
    path("<int:pk>/refer-again/", edit_views.refer_again, name="refer_again"),
    path("<int:pk>/details/", identity_views.change_details, name="change_details"),
    path("<int:pk>/stop-messages/", identity_views.stop_messages, name="stop_messages"),
    path("<int:pk>/merge/", identity_views.merge_choose, name="merge"),
    path("<int:pk>/merge/<int:other>/", identity_views.merge_confirm, name="merge_confirm"),
    path("<int:pk>/merges/<int:merge>/undo/", identity_views.merge_undo, name="merge_undo"),
    path("<int:pk>/hospital-stays/new/", health_views.stay_create, name="stay_create"),
    path("hospital-stays/<int:pk>/", health_views.stay_change, name="stay_change"),
    path("episodes/<int:pk>/measures/new/", health_views.measure_create, name="measure_create"),
    path("measures/<int:pk>/", health_views.measure_change, name="measure_change"),
    path("episodes/<int:pk>/accept/", edit_views.accept, name="accept"),
    path("episodes/<int:pk>/discharge/", edit_views.discharge, name="discharge"),
    path("episodes/<int:pk>/team-and-consent/", edit_views.context, name="context"),
    path("episodes/<int:pk>/work-change/", edit_views.retention_change, name="retention_change"),
    path(
        "episodes/<int:pk>/employment-specialist/",
        edit_views.reassign,
        name="reassign",
    ),
]
