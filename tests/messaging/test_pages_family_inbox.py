"""A family's inbox: messages in the caregiver's language, the original a click away, and
a reply that reaches the household's thread."""

from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.directory.models import Household
from tandem.messaging.models import Delivery, InboundMessage
from tandem.messaging.services import release_message
from tests.messaging.page_data import add_arabic_grandmother, compose, queries, send

INBOX = "messaging:family-inbox"


def test_the_family_reads_messages_in_its_language_newest_first(world, client):
    compose(world, body="First message.", translations={"es": "Primer mensaje.", "so": "Koowaad."})
    compose(world, body="Second message.", translations={"es": "Segundo mensaje.", "so": "Labaad."})
    client.force_login(world.family)

    page = client.get(reverse(INBOX)).text

    assert page.index("Segundo mensaje.") < page.index("Primer mensaje.")
    assert "<summary>See the original</summary>" in page
    assert '<div class="message-text" lang="en" dir="ltr"><p>First message.' in page


def test_only_messages_that_went_out_to_the_household_show(world, client):
    compose(world, body="Waiting for review.")
    compose(world, body="Not yet sent.", translations={"es": "Aún no.", "so": "Weli."}, sent=False)
    compose(world, author=world.org_admin, school=world.middle, body="Middle school only.")
    client.force_login(world.family)

    page = client.get(reverse(INBOX)).text

    assert "Waiting for review." not in page
    assert "Aún no." not in page
    assert "Middle school only." not in page
    assert "No messages yet." in page


def test_a_machine_translation_is_marked(world, client):
    message = compose(world, body="Picture day is Tuesday.")
    release_message(
        message=message,
        versions={
            "en": ("Picture day is Tuesday.", False),
            "es": ("El día de fotos es el martes.", True),
            "so": ("Maalinta sawirka waa Talaado.", False),
        },
    )
    send(message)
    client.force_login(world.family)

    page = client.get(reverse(INBOX)).text

    assert "El día de fotos es el martes." in page
    assert "Translated by machine" in page


def test_web_inbox_deliveries_are_marked_read_when_shown(world, client):
    _grandmother, account = add_arabic_grandmother(world)
    compose(
        world,
        body="Picture day is Tuesday.",
        translations={"es": "Día de fotos.", "so": "Sawir.", "ar": "يوم الصور يوم الثلاثاء."},
    )
    web = Delivery.objects.get(channel=Delivery.Channel.WEB)
    assert web.read_at is None
    client.force_login(account)

    page = client.get(reverse(INBOX)).text

    assert 'lang="ar" dir="rtl"><p>يوم الصور يوم الثلاثاء.' in page
    web.refresh_from_db()
    assert web.read_at is not None
    assert AuditEvent.objects.filter(action="family.messages_viewed").exists()


def test_the_inbox_reads_the_same_queries_however_many_messages(world, client):
    compose(world, body="Message 0", translations={"es": "Mensaje 0", "so": "Fariin 0"})
    client.force_login(world.family)
    few = queries(client, reverse(INBOX))
    for n in range(1, 6):
        compose(
            world, body=f"Message {n}", translations={"es": f"Mensaje {n}", "so": f"Fariin {n}"}
        )

    many = queries(client, reverse(INBOX))

    assert len(many) == len(few)


def test_a_reply_joins_the_households_thread(world, client):
    client.force_login(world.family)

    response = client.post(
        reverse(INBOX), {"body": "Gracias, allí estaremos el lunes con los niños."}
    )

    assert response.status_code == 302
    reply = InboundMessage.objects.get()
    assert reply.channel == Delivery.Channel.WEB
    assert reply.language == "es"
    assert reply.household == world.household
    assert reply.caregiver == world.caregiver
    assert reply.thread.household == world.household
    assert Household.objects.get(pk=world.household.pk).last_heard_at == reply.received_at
    assert AuditEvent.objects.filter(action="messaging.inbound_reply").exists()


def test_an_empty_reply_is_refused_and_stores_nothing(world, client):
    client.force_login(world.family)

    response = client.post(reverse(INBOX), {"body": "   "})

    assert response.status_code == 400
    assert "Write your message." in response.text
    assert not InboundMessage.objects.exists()


def test_the_inbox_is_in_the_navigation_and_speaks_arabic(world, client):
    _grandmother, account = add_arabic_grandmother(world)
    client.force_login(account)

    page = client.get(reverse("family:home"), HTTP_ACCEPT_LANGUAGE="ar").text
    assert f'href="{reverse(INBOX)}"' in page

    inbox = client.get(reverse(INBOX), HTTP_ACCEPT_LANGUAGE="ar").text
    assert '<html lang="ar" dir="rtl">' in inbox
    assert "رسائل من مدرستك" in inbox
    assert "اكتب إلى مدرستك" in inbox
