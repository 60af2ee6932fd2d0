"""Translation pages, mounted at /translation/."""

from django.urls import path

from tandem.translation import views

app_name = "translation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("my-languages/", views.my_languages, name="my-languages"),
    path("requests/<int:pk>/", views.review, name="review"),
    path("glossary/", views.glossary, name="glossary"),
    path("glossary/<int:pk>/", views.glossary_term, name="glossary-term"),
    path("memory/", views.memory, name="memory"),
    path("policy/", views.policy, name="policy"),
]
