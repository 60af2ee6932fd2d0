"""Staff pages for programs, under /programs/ (families' pages are in family_urls)."""

from tandem.programs.views import (
    assignments,
    attendance,
    feedback,
    invitations,
    programs,
    scheduling,
)

app_name = "programs"
urlpatterns = [
    *programs.urlpatterns,
    *invitations.urlpatterns,
    *attendance.urlpatterns,
    *assignments.urlpatterns,
    *feedback.urlpatterns,
    *scheduling.urlpatterns,
]
