from django.urls import path

from openips.messaging import views

app_name = "messaging"
urlpatterns = [path("notify/receipts/", views.receipt, name="notify_receipts")]
