"""Helpers for sign-in tests: run the sending task, read the code that was sent."""

import re

import pytest

from tandem.outbox.models import OutboxMessage

CODE = re.compile(r"\b(\d{6})\b")


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def ask_for_code(client, immediate_tasks, django_capture_on_commit_callbacks):
    """Post the family sign-in form and run what it sends, as the worker would."""

    def ask(destination: str, *, browser=None, address: str = "203.0.113.7", next_url=""):
        browser = browser or client
        with django_capture_on_commit_callbacks(execute=True):
            return browser.post(
                "/accounts/sign-in/",
                {"destination": destination, "next": next_url},
                REMOTE_ADDR=address,
            )

    return ask


def code_in(text: str) -> str:
    return CODE.search(text).group(1)


def last_sms_code(to: str) -> str:
    message = OutboxMessage.objects.filter(channel="sms", to=to).order_by("-id").first()
    assert message is not None, f"no text message to {to}"
    return code_in(message.body)
