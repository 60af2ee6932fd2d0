"""A household's thread: what it was sent, its replies in the reader's language beside the
original, and a reply form that writes to the household."""

from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.messaging.inbound import receive_sms
from tandem.messaging.models import Message
from tandem.messaging.web_replies import receive_web_reply
from tandem.translation.services import approve_translation, request_translation
from tests.messaging.page_data import add_arabic_grandmother, compose, queries

GARCIA_PHONE = "+13125550101"
SPANISH_REPLY = "Gracias, mañana iremos a la feria del libro con Lucía."


def _thread(world):
    return reverse("messaging:thread", kwargs={"pk": world.household.pk})


def _conversation(world):
    compose(
        world,
        audience="household",
        household=world.household,
        body="The book fair opens on Monday.",
        translations={"es": "La feria del libro abre el lunes."},
    )
    inbound = receive_sms(
        provider_id="SM1", from_number=GARCIA_PHONE, to_number="+15550000000", body=SPANISH_REPLY
    ).message
    return inbound


def _translate_reply(world, inbound, text: str):
    request = request_translation(
        organization=world.district,
        text=inbound.body,
        source_language=inbound.language,
        target_language="en",
        purpose="reply",
        object_id=str(inbound.pk),
    )
    approve_translation(actor=world.coordinator, request=request, text=text)


def test_the_thread_shows_what_was_sent_in_the_language_delivered_and_the_reply(world, client):
    _conversation(world)
    client.force_login(world.teacher)

    page = client.get(_thread(world)).text

    assert "La feria del libro abre el lunes." in page
    assert "María García: Text message · Sent" in page
    assert SPANISH_REPLY in page
    assert page.index("La feria del libro") < page.index(SPANISH_REPLY)
    assert AuditEvent.objects.filter(action="messaging.thread_viewed").exists()


def test_a_reply_shows_in_the_readers_language_with_the_original_beside_it(world, client):
    inbound = _conversation(world)
    _translate_reply(world, inbound, "Thanks, tomorrow we will go to the book fair with Lucía.")
    client.force_login(world.teacher)

    page = client.get(_thread(world)).text

    assert "Thanks, tomorrow we will go to the book fair with Lucía." in page
    assert "Original (Spanish)" in page
    assert f'lang="es" dir="ltr"><p>{SPANISH_REPLY}' in page


def test_an_arabic_reply_reads_right_to_left(world, client):
    _grandmother, account = add_arabic_grandmother(world)
    receive_web_reply(user=account, body="شكرا جزيلا، سنحضر معرض الكتاب يوم الاثنين")
    client.force_login(world.teacher)

    page = client.get(_thread(world)).text

    assert 'lang="ar" dir="rtl"><p>شكرا جزيلا' in page
    assert "Layla García" in page and "Tandem inbox" in page


def test_the_thread_reads_the_same_queries_however_long_it_is(world, client):
    _conversation(world)
    client.force_login(world.coordinator)
    few = queries(client, _thread(world))
    for n in range(5):
        compose(
            world,
            audience="household",
            household=world.household,
            body=f"Reminder {n}",
            translations={"es": f"Recordatorio {n}"},
        )
        receive_sms(
            provider_id=f"SM-{n}",
            from_number=GARCIA_PHONE,
            to_number="+15550000000",
            body=f"Gracias por el recordatorio número {n}, allí estaremos",
        )

    many = queries(client, _thread(world))

    assert len(many) == len(few)


def test_writing_from_the_thread_sends_to_the_household(world, client):
    client.force_login(world.teacher)

    response = client.post(_thread(world), {"body": "Lucía did great today!", "language": "en"})

    assert response.status_code == 302
    message = Message.objects.get()
    assert message.audience == Message.Audience.HOUSEHOLD
    assert message.thread.household == world.household
    assert message.author == world.teacher
    page = client.get(_thread(world)).text
    assert "Lucía did great today!" in page
    assert "Waiting for reviewed translations" in page


def test_an_empty_reply_is_refused_and_stores_nothing(world, client):
    client.force_login(world.teacher)

    response = client.post(_thread(world), {"body": " ", "language": "en"})

    assert response.status_code == 400
    assert "Write the message." in response.text
    assert not Message.objects.exists()


def test_the_household_page_and_the_navigation_lead_to_messages(world, client):
    client.force_login(world.teacher)

    household_page = client.get(reverse("directory:household", kwargs={"pk": world.household.pk}))

    assert f'href="{_thread(world)}"' in household_page.text
    assert f'href="{reverse("messaging:messages")}"' in household_page.text
