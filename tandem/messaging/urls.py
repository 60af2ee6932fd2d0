"""Messaging pages, mounted at /messages/; a family's inbox is under /messages/family/."""

from django.urls import path

from tandem.messaging import list_views, reach_views, views

app_name = "messaging"
urlpatterns = [
    path("", views.message_list, name="messages"),
    path("new/", views.compose, name="compose"),
    path("<int:pk>/", views.message, name="message"),
    path("households/<int:pk>/", views.thread, name="thread"),
    path("unmatched/", views.unmatched, name="unmatched"),
    path("lists/", list_views.lists, name="lists"),
    path("lists/new/", list_views.list_create, name="list-create"),
    path("lists/<int:pk>/delete/", list_views.list_delete, name="list-delete"),
    path("family/", views.family_inbox, name="family-inbox"),
    path("reach/", reach_views.dashboard, name="reach"),
    path("reach/schools/<int:pk>/", reach_views.not_reached, name="not-reached"),
    path("reach/schools/<int:pk>/csv/", reach_views.not_reached_csv, name="not-reached-csv"),
]
