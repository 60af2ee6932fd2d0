"""Staff directory pages, mounted at /directory/ (roster import lives at /directory/import/)."""

from django.urls import path

from tandem.directory import views

app_name = "directory"
urlpatterns = [
    path("households/", views.households, name="households"),
    path("households/<int:pk>/", views.household, name="household"),
    path("households/<int:pk>/edit/", views.household_edit, name="household-edit"),
    path("caregivers/", views.caregivers, name="caregivers"),
    path("schools/", views.schools, name="schools"),
    path("style-guide/", views.style_guide, name="style-guide"),
]
