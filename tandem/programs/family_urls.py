"""Families' pages for programs, under /p/ (short, for text messages): opened with a
personal link or the QR code at the door, no account needed."""

from tandem.programs.views import assignments, checkin, family, feedback

app_name = "join"
urlpatterns = [
    *family.family_urlpatterns,
    *checkin.family_urlpatterns,
    *assignments.family_urlpatterns,
    *feedback.family_urlpatterns,
]
