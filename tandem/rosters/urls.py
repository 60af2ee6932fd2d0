"""Roster import URLs, mounted at /directory/import/."""

from django.urls import path

from tandem.rosters import views

app_name = "rosters"
urlpatterns = [
    path("", views.imports, name="imports"),
    path("<int:pk>/", views.job, name="job"),
    path("<int:pk>/import-valid-rows/", views.import_valid_rows, name="import-valid-rows"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("template/", views.template, name="template"),
    path("template.csv", views.template_download, name="template-csv"),
]
