"""The compose page: audience, body, language, learning link, schedule, preview, send."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from tandem.messaging.models import Message
from tandem.translation.models import TranslationRequest

COMPOSE = "messaging:compose"


def _form(world, **overrides):
    data = {
        "school": world.elementary.pk,
        "grade": "",
        "body": "Report cards go home on Friday.",
        "language": "en",
        "learning_subject": "",
        "learning_unit": "",
        "learning_tip": "",
        "when": "now",
        "send_at": "",
    }
    data.update(overrides)
    return data


def test_the_form_offers_only_schools_the_writer_may_message(world, client):
    client.force_login(world.teacher)

    page = client.get(reverse(COMPOSE)).text

    assert "Oak Elementary" in page
    assert "Riverside Middle" not in page
    assert "Lakeside Elementary" not in page
    assert 'name="language" value="en"' in page


def test_the_source_language_defaults_to_the_writers_language(world, client):
    world.teacher.language = "es"
    world.teacher.save(update_fields=["language"])
    client.force_login(world.teacher)

    page = client.get(reverse(COMPOSE)).text

    assert 'name="language" value="es"' in page


def test_preview_counts_recipients_per_language_and_channel_and_stores_nothing(world, client):
    client.force_login(world.coordinator)

    response = client.post(reverse(COMPOSE), _form(world, preview="1"))

    assert response.status_code == 200
    page = response.text
    assert "This message reaches 2 parents and caregivers" in page
    assert "Text message: 1" in page
    assert "español" in page and "Soomaali" in page
    assert "Translations into these languages are requested when you send" in page
    assert "text message (GSM-7)" in page
    assert not Message.objects.exists()
    assert not TranslationRequest.objects.exists()


def test_preview_shows_the_segments_for_text_outside_gsm(world, client):
    client.force_login(world.coordinator)

    page = client.post(reverse(COMPOSE), _form(world, preview="1", body="🎉 " * 40)).text

    assert "text messages (UCS-2)" in page


def test_sending_stores_the_message_and_shows_its_page(world, client):
    client.force_login(world.coordinator)

    response = client.post(
        reverse(COMPOSE),
        _form(
            world,
            grade="03",
            learning_subject="Math",
            learning_unit="Fractions",
            learning_tip="Cut a pizza into eighths together.",
        ),
    )

    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("messaging:message", kwargs={"pk": message.pk})
    assert message.audience == Message.Audience.GRADE
    assert message.grade == "03"
    assert message.school == world.elementary
    assert message.author == world.coordinator
    assert message.learning_unit == "Fractions"
    assert message.status == Message.Status.AWAITING_REVIEW  # Spanish waits for a reviewer
    page = client.get(response["Location"]).text
    assert "goes out as soon as its translations are reviewed" in page
    assert "Cut a pizza into eighths together." in page


def test_a_scheduled_time_is_read_in_the_schools_time_zone(world, client):
    client.force_login(world.coordinator)

    client.post(reverse(COMPOSE), _form(world, when="later", send_at="2099-09-14T18:30"))

    message = Message.objects.get()
    expected = datetime(2099, 9, 14, 18, 30, tzinfo=ZoneInfo(world.elementary.time_zone))
    assert message.send_at == expected


def test_bad_input_names_each_field_and_stores_nothing(world, client):
    client.force_login(world.coordinator)

    response = client.post(
        reverse(COMPOSE),
        _form(world, body="  ", language="nonsense!", when="later", send_at=""),
    )

    assert response.status_code == 400
    page = response.text
    assert "There is a problem" in page
    assert "Write the message." in page
    assert "is not a language tag we recognize" in page
    assert "Choose when to send the message." in page
    assert not Message.objects.exists()


def test_the_services_checks_reach_the_form(world, client):
    client.force_login(world.coordinator)

    response = client.post(
        reverse(COMPOSE), _form(world, body="x" * 1601, when="later", send_at="2001-01-01T08:00")
    )

    assert response.status_code == 400
    assert "The message is 1601 characters long; the most is 1600." in response.text
    assert "The time to send is in the past." in response.text
    assert not Message.objects.exists()


def test_a_school_out_of_scope_is_refused(world, client):
    client.force_login(world.teacher)

    response = client.post(reverse(COMPOSE), _form(world, school=world.middle.pk))

    assert response.status_code == 400
    assert "Choose a school." in response.text
    assert not Message.objects.exists()


def test_opened_from_a_household_it_writes_to_that_household(world, client):
    client.force_login(world.teacher)
    url = f"{reverse(COMPOSE)}?household={world.household.pk}"
    assert "Write to the García household" in client.get(url).text

    response = client.post(
        reverse(COMPOSE), {**_form(world), "household": world.household.pk, "school": ""}
    )

    message = Message.objects.get()
    assert response.status_code == 302
    assert message.audience == Message.Audience.HOUSEHOLD
    assert message.thread.household == world.household
    assert message.school is None


def test_a_household_out_of_scope_looks_like_none(world, client):
    client.force_login(world.teacher)

    for household in [world.middle_household, world.other_household]:
        url = f"{reverse(COMPOSE)}?household={household.pk}"
        assert client.get(url).status_code == 404
        response = client.post(reverse(COMPOSE), {**_form(world), "household": household.pk})
        assert response.status_code == 404
    assert client.get(f"{reverse(COMPOSE)}?household=nope").status_code == 404
    assert not Message.objects.exists()
