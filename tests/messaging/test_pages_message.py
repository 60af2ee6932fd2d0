"""One message's page and the list of messages."""

from django.urls import reverse

from tandem.messaging.models import Delivery
from tests.messaging.page_data import add_arabic_grandmother, compose, queries

BODY = "The book fair opens on Monday."


def test_a_message_waiting_for_review_links_each_language_to_the_review_queue(world, client):
    message = compose(world, body=BODY)
    client.force_login(world.coordinator)

    page = client.get(reverse("messaging:message", kwargs={"pk": message.pk})).text

    assert BODY in page
    assert "Waiting for reviewed translations" in page
    assert page.count("Waiting for review<") == 2  # Spanish and Somali
    assert "/translation/requests/" in page
    assert "Nothing has gone out yet." in page


def test_partner_staff_see_the_status_without_review_links(world, client):
    message = compose(world, body=BODY)
    client.force_login(world.partner_staff)

    page = client.get(reverse("messaging:message", kwargs={"pk": message.pk})).text

    assert "Waiting for review<" in page
    assert "/translation/requests/" not in page


def test_a_sent_message_shows_each_version_and_deliveries_by_status_and_channel(world, client):
    add_arabic_grandmother(world)
    message = compose(
        world,
        body=BODY,
        translations={
            "es": "La feria del libro abre el lunes.",
            "so": "Bandhigga buugaagta wuxuu furmayaa Isniinta.",
            "ar": "يفتح معرض الكتاب يوم الاثنين.",
        },
    )
    client.force_login(world.coordinator)

    page = client.get(reverse("messaging:message", kwargs={"pk": message.pk})).text

    assert "La feria del libro abre el lunes." in page
    assert 'lang="ar" dir="rtl"' in page
    assert "Deliveries by status and channel" in page
    assert Delivery.objects.filter(message=message).count() == 3
    assert "Tandem inbox" in page and "Text message" in page


def test_the_page_reads_the_same_queries_however_many_deliveries_and_languages(world, client):
    small = compose(world, body=BODY, translations={"es": "Hola.", "so": "Salaan."})
    add_arabic_grandmother(world)
    big = compose(
        world,
        body=BODY + " Bring a bag.",
        translations={"es": "Hola.", "so": "Salaan.", "ar": "مرحبا"},
    )
    client.force_login(world.coordinator)

    few = queries(client, reverse("messaging:message", kwargs={"pk": small.pk}))
    many = queries(client, reverse("messaging:message", kwargs={"pk": big.pk}))

    assert len(many) == len(few)
    assert sum("GROUP BY" in query["sql"] for query in many.captured_queries) == 1


def test_the_list_shows_recent_messages_the_user_may_see(world, client):
    compose(world, body="To the elementary school.")
    compose(world, author=world.org_admin, school=world.middle, body="To the middle school.")
    compose(
        world,
        author=world.outsider,
        organization=world.other_district,
        school=world.other_school,
        body="To another district.",
    )
    client.force_login(world.teacher)

    page = client.get(reverse("messaging:messages")).text

    assert "To the elementary school." in page
    assert "To the middle school." not in page
    assert "To another district." not in page
    assert "1 message" in page


def test_the_list_is_paginated_and_its_queries_stay_flat(world, client):
    for n in range(3):
        compose(world, body=f"Message {n}")
    client.force_login(world.coordinator)
    few = queries(client, reverse("messaging:messages"))
    for n in range(30):
        compose(
            world,
            author=world.org_admin,
            audience="household",
            household=world.household,
            body=f"Household {n}",
        )

    many = queries(client, reverse("messaging:messages"))

    assert len(many) == len(few)
    assert "Page 1 of 2" in client.get(reverse("messaging:messages")).text
