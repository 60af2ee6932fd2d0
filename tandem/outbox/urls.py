from django.urls import path

from tandem.outbox import views

app_name = "outbox"
urlpatterns = [path("", views.index, name="index")]
