"""Messaging pages, mounted at /messages/; a family's inbox is under /messages/family/."""

from django.urls import path

from tandem.messaging import views

app_name = "messaging"
urlpatterns = [
    path("", views.message_list, name="messages"),
    path("new/", views.compose, name="compose"),
    path("<int:pk>/", views.message, name="message"),
    path("households/<int:pk>/", views.thread, name="thread"),
    path("unmatched/", views.unmatched, name="unmatched"),
    path("family/", views.family_inbox, name="family-inbox"),
]
