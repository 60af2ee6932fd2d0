"""A family's own pages, mounted at /family/."""

from django.urls import path

from tandem.accounts import family_views

app_name = "family"
urlpatterns = [
    path("", family_views.home, name="home"),
    path("contact-preferences/", family_views.contact_preferences, name="contact-preferences"),
    path("export/", family_views.export, name="export"),
]
