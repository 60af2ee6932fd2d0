"""Where Twilio (or the local gateway) calls Tandem, mounted at /messages/sms/."""

from django.urls import path

from tandem.messaging import webhooks

app_name = "sms"
urlpatterns = [
    path("inbound/", webhooks.sms_inbound, name="inbound"),
    path("status/<int:pk>/", webhooks.sms_status, name="status"),
]
