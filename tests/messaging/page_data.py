"""Messages for the messaging page tests, built through the services: composed, their
translations approved by a reviewer, and sent by an in-memory channel."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.accounts.services import family_account_for
from tandem.directory.services import add_caregiver
from tandem.messaging.channels.base import SendResult
from tandem.messaging.compose import compose_message, release_if_ready
from tandem.messaging.delivery import Sender, send_due
from tandem.messaging.models import Message
from tandem.translation.models import TranslationRequest
from tandem.translation.services import approve_translation
from tests.clock import next_noon


class AcceptEverything(Sender):
    def send(self, delivery, text):
        return SendResult.accepted(f"test-{delivery.pk}", segments=1)


def add_arabic_grandmother(world):
    """A second caregiver in the García household who reads messages on the web inbox."""
    caregiver = add_caregiver(
        household=world.household,
        given_name="Layla",
        family_name="García",
        relationship="grandparent",
        preferred_language="ar",
    )
    return caregiver, family_account_for(caregiver)


def compose(world, *, author=None, translations=None, sent=True, **fields) -> Message:
    """Compose a message; approve the translations given (language → text); send it."""
    fields.setdefault("organization", world.district)
    fields.setdefault("audience", "school")
    fields.setdefault("language", "en")
    if fields["audience"] == "school":
        fields.setdefault("school", world.elementary)
    message = compose_message(actor=author or world.coordinator, **fields)
    for request in TranslationRequest.objects.filter(purpose="message", object_id=str(message.pk)):
        text = (translations or {}).get(request.target_language)
        if text is not None:
            approve_translation(actor=world.coordinator, request=request, text=text)
    # The approval's signal is sent after commit, which a test's transaction never reaches.
    release_if_ready(message)
    message.refresh_from_db()
    if sent and message.released_at is not None:
        send(message)
    return message


def send(message: Message) -> None:
    """Send what is due, as a worker would at the next noon (outside quiet hours)."""
    noon = next_noon(message.organization.time_zone)
    send_due(message.pk, sender=AcceptEverything(), clock=lambda: noon)


def queries(client, url: str, method: str = "get") -> CaptureQueriesContext:
    """The queries a page reads, on a second visit (the session and scopes are warm)."""
    getattr(client, method)(url)
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url)
    assert response.status_code == 200
    return captured
