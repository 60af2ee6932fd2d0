"""Staff pages for listening, under /listening/ (families' pages are in family_urls)."""

from tandem.listening.views import actions, analysis, campaigns, exchange, report, sessions

app_name = "listening"
urlpatterns = [
    *campaigns.urlpatterns,
    *sessions.urlpatterns,
    *exchange.urlpatterns,
    *analysis.urlpatterns,
    *report.urlpatterns,
    *actions.urlpatterns,
]
