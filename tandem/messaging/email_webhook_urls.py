"""Where the email provider (through Anymail) calls Tandem, mounted at /messages/email/."""

from django.urls import path

from tandem.messaging import email_webhooks

app_name = "email_hooks"
urlpatterns = [
    path("inbound/", email_webhooks.email_inbound, name="inbound"),
    path("tracking/", email_webhooks.email_tracking, name="tracking"),
]
