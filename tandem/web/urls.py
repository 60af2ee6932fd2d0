from django.urls import path

from tandem.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.set_language, name="set-language"),
    path("healthz", views.healthz, name="healthz"),
]
