"""The Celery application for installations that run background work on Celery
(TANDEM_TASKS=celery): `celery -A tandem.celery worker`. Tasks are Django tasks
(`django.tasks.task`); django-tasks-celery registers them with this app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")

app = Celery("tandem")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
