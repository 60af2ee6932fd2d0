"""Families' pages for listening, under /l/ (short, for text messages): each opened
with a personal link, no account needed."""

from tandem.listening.views import answering, exchange

app_name = "listen"
urlpatterns = [*answering.family_urlpatterns, *exchange.family_urlpatterns]
