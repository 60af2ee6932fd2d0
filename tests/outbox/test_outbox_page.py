"""The local outbox page shows what Tandem would have sent, so testers can read codes."""

from django.core.mail import send_mail

from tandem.outbox.models import OutboxMessage
from tandem.outbox.sms import send_sms


def test_the_outbox_lists_the_newest_fifty_messages(db, client):
    for number in range(55):
        send_sms(to="+13125550101", body=f"message number {number:02d}")

    page = client.get("/outbox/").text

    assert page.count('class="card"') == 50
    assert page.index("message number 54") < page.index("message number 53")
    assert "message number 04" not in page


def test_the_outbox_filters_by_recipient_however_the_number_is_written(db, client):
    send_sms(to="+13125550101", body="for María")
    send_sms(to="+13125550102", body="for Thi")

    page = client.get("/outbox/", {"to": "(312) 555-0102"}).text

    assert "for Thi" in page
    assert "for María" not in page


def test_the_outbox_shows_emails_too(db, client, settings):
    settings.MAILERS = {"default": {"BACKEND": "tandem.outbox.email.OutboxEmailBackend"}}
    send_mail("Your Tandem sign-in code", "Code 123456", None, ["jo@example.com"])

    page = client.get("/outbox/", {"to": "JO@example"}).text

    assert "Your Tandem sign-in code" in page
    assert "Code 123456" in page
    assert OutboxMessage.objects.get().channel == "email"


def test_the_outbox_is_gone_when_switched_off(db, client, settings):
    settings.TANDEM_LOCAL_OUTBOX = False
    assert client.get("/outbox/").status_code == 404


def test_the_outbox_makes_the_same_queries_for_few_or_many_messages(
    db, client, django_assert_num_queries
):
    send_sms(to="+13125550101", body="one")
    with django_assert_num_queries(1) as few:
        client.get("/outbox/")
    for number in range(40):
        send_sms(to="+13125550101", body=f"more {number}")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/outbox/")
