"""The analysis pages: answers per question in the reader's language with filters,
the campaign's themes, and one theme's review by staff."""

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from tandem.listening.answers import request_answer_translation
from tandem.listening.models import Answer, Theme
from tandem.listening.themes import find_campaign_themes
from tandem.translation.models import TranslationRequest
from tandem.translation.services import approve_translation
from tests.listening.theme_answers import BUS, WELCOME, answer, answer_both_topics

SPANISH = BUS[8][1]  # "El autobús escolar llega tarde casi todas las mañanas."
ENGLISH = "The school bus arrives late almost every morning."


@pytest.fixture
def answers(world, invite, campaign):
    return answer_both_topics(world, invite, campaign)


@pytest.fixture
def found(world, campaign, answers):
    find_campaign_themes(actor=world.coordinator, campaign=campaign)
    return answers


@pytest.fixture
def coordinator(client, world):
    client.force_login(world.coordinator)
    return client


def _spanish(answers) -> Answer:
    return next(a for a in answers if a.text == SPANISH)


def _translation(answer) -> TranslationRequest:
    request_answer_translation(answer.pk)
    return TranslationRequest.objects.get(purpose="listening_answer", object_id=str(answer.pk))


def _page(response) -> str:
    return response.content.decode()


# Answers.


def test_a_spanish_answer_shows_its_approved_english_translation_and_the_original_beside_it(
    world, campaign, answers, coordinator
):
    approve_translation(
        actor=world.coordinator, request=_translation(_spanish(answers)), text=ENGLISH
    )

    page = _page(coordinator.get(f"/listening/{campaign.pk}/answers/"))

    assert ENGLISH in page
    assert "<details>" in page and SPANISH in page.split(ENGLISH, 1)[1]
    assert "Machine translation" not in page


def test_an_answer_without_a_translation_shows_the_original_as_pending(
    campaign, answers, coordinator
):
    page = _page(coordinator.get(f"/listening/{campaign.pk}/answers/"))

    assert SPANISH in page
    assert "translation pending" in page


def test_a_machine_draft_is_shown_marked_as_such(campaign, answers, coordinator):
    request = _translation(_spanish(answers))
    TranslationRequest.objects.filter(pk=request.pk).update(
        status=TranslationRequest.Status.MACHINE_DRAFT,
        origin=TranslationRequest.Origin.MACHINE,
        draft_text=ENGLISH,
    )

    page = _page(coordinator.get(f"/listening/{campaign.pk}/answers/"))

    assert ENGLISH in page
    assert "Machine translation, not yet reviewed." in page


def test_a_reader_in_spanish_reads_spanish_answers_as_written(
    campaign, answers, coordinator, settings
):
    coordinator.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    page = _page(coordinator.get(f"/listening/{campaign.pk}/answers/"))

    assert SPANISH in page
    assert page.count("<details>") == 0


def test_answers_show_no_name_whether_named_or_anonymous(world, invite, campaign, coordinator):
    answer(world, invite, campaign, [("en", "The bus is always late.")], start=0)
    answer(world, invite, campaign, [("en", "Teachers are kind to us.")], anonymous=True, start=1)

    page = _page(coordinator.get(f"/listening/{campaign.pk}/answers/"))

    assert "The bus is always late." in page and "Teachers are kind to us." in page
    for name in ["Carer0", "Carer1", "Tester", "Family0", "Kid0"]:
        assert name not in page
    assert page.count("Family</p>") + page.count("Family ·") >= 2  # the role, nothing more


def test_flags_are_shown_as_small_labels(world, invite, campaign, coordinator):
    answer(world, invite, campaign, [("en", "Call me at 312 555 0199 about the bus.")])

    page = _page(coordinator.get(f"/listening/{campaign.pk}/answers/"))

    assert "Phone number hidden" in page
    assert "312 555 0199" not in page


def test_answers_are_filtered_by_language_and_role(campaign, answers, coordinator):
    spanish = _page(coordinator.get(f"/listening/{campaign.pk}/answers/?language=es"))
    leaders = _page(coordinator.get(f"/listening/{campaign.pk}/answers/?role=leader"))

    assert SPANISH in spanish and BUS[0][1] not in spanish
    assert "14 answers" in spanish
    assert SPANISH not in leaders and "No answers match these filters." in leaders


def test_answers_to_another_question_are_shown_by_choosing_it(world, invite, campaign, coordinator):
    second = campaign.protocol.questions.all()[1]
    answer(world, invite, campaign, [("en", "A nurse who loves her work.")], question=second)

    first = _page(coordinator.get(f"/listening/{campaign.pk}/answers/"))
    chosen = _page(coordinator.get(f"/listening/{campaign.pk}/answers/?question={second.pk}"))

    assert "A nurse" not in first
    assert "A nurse who loves her work." in chosen


def test_quotes_from_a_session_are_filtered_by_session_and_role_with_no_speakers_name(
    world, campaign, answers, coordinator
):
    from tandem.listening.sessions import create_session, record_note

    session = create_session(
        actor=world.coordinator,
        campaign=campaign,
        starts_at=timezone.now(),
        place="Library",
        languages=["en"],
    )
    record_note(
        actor=world.coordinator,
        session=session,
        question=campaign.protocol.questions.first(),
        kind="quote",
        role="educator",
        text="We could open the library to families in the evening.",
        speaker_name="Dana Rivera",
        speaker_consented=True,
    )

    heard = _page(coordinator.get(f"/listening/{campaign.pk}/answers/?session={session.pk}"))
    educators = _page(coordinator.get(f"/listening/{campaign.pk}/answers/?role=educator"))

    assert "open the library" in heard and "1 answer" in heard
    assert "open the library" in educators and SPANISH not in educators
    assert "Rivera" not in heard


@pytest.mark.parametrize(
    "query", ["school=abc", "session=999", "language=klingon", "role=boss", "question=999"]
)
def test_a_bad_filter_is_a_clear_message_not_an_error(campaign, answers, coordinator, query):
    response = coordinator.get(f"/listening/{campaign.pk}/answers/?{query}")

    assert response.status_code == 400
    assert "There is a problem" in _page(response)


def test_the_answers_page_makes_as_many_queries_for_many_answers_as_for_few(
    world, invite, campaign, coordinator, django_assert_max_num_queries
):
    answer(world, invite, campaign, [BUS[0], BUS[8]])
    with django_assert_max_num_queries(20) as few:
        coordinator.get(f"/listening/{campaign.pk}/answers/")
    answer(world, invite, campaign, BUS[1:8] + BUS[9:] + WELCOME, start=2)
    for each in Answer.objects.filter(language="es")[:5]:
        request_answer_translation(each.pk)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = coordinator.get(f"/listening/{campaign.pk}/answers/")
    assert "30 answers" in _page(response)


# Themes.


def test_the_themes_page_shows_each_theme_with_keywords_counts_and_quotes(
    campaign, found, coordinator, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        page = _page(coordinator.get(f"/listening/{campaign.pk}/themes/"))

    for theme in Theme.objects.filter(campaign=campaign):
        assert theme.label in page
        assert theme.keywords[0] in page
        assert f"{theme.answers.count()} answers" in page
    assert "The school bus is late almost every morning." in page
    assert "Find themes" in page
    theme = Theme.objects.order_by("-id").first()
    with django_assert_max_num_queries(20):
        assert coordinator.get(f"/listening/themes/{theme.pk}/").status_code == 200


def test_find_themes_starts_a_run_and_the_page_says_it_is_under_way(
    world, campaign, answers, coordinator, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = coordinator.post(f"/listening/{campaign.pk}/themes/find/")
    assert response.status_code == 302
    assert "Finding themes" in _page(coordinator.get(response.url))
    assert "Themes are being found." in _page(coordinator.get(response.url))

    for callback in callbacks:
        callback()

    page = _page(coordinator.get(response.url))
    assert "Themes are being found." not in page
    assert Theme.objects.filter(campaign=campaign).exists()


def test_finding_themes_for_a_question_of_another_campaign_is_refused(
    world, campaign, answers, coordinator
):
    from tests.web.listening_cases import make_campaign

    other = make_campaign(world, "elementary", template="alaska-family-dialogue")
    question = other.protocol.questions.first()

    response = coordinator.post(f"/listening/{campaign.pk}/themes/find/", {"question": question.pk})

    assert response.status_code == 400
    assert not Theme.objects.exists()


def test_the_themes_page_says_when_there_are_too_few_answers(world, invite, campaign, coordinator):
    answer(world, invite, campaign, BUS[:2])

    page = _page(coordinator.get(f"/listening/{campaign.pk}/themes/"))

    assert "Themes need at least 4 answers to this question." in page


# One theme.


def _bus_theme(campaign, answers) -> Theme:
    return Theme.objects.filter(answers__in=answers[:15]).distinct().first()


def test_renaming_a_theme_confirms_and_shows_the_new_name(campaign, found, coordinator):
    theme = _bus_theme(campaign, found)

    response = coordinator.post(
        f"/listening/themes/{theme.pk}/rename/", {"rename-label": "Bus times"}
    )

    assert response.status_code == 302 and response.url == f"/listening/themes/{theme.pk}/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["The theme was renamed."]
    assert "Bus times" in _page(coordinator.get(response.url))


def test_an_empty_name_is_refused_next_to_the_field_and_nothing_changes(
    campaign, found, coordinator
):
    theme = _bus_theme(campaign, found)

    response = coordinator.post(f"/listening/themes/{theme.pk}/rename/", {"rename-label": " "})

    assert response.status_code == 400
    assert 'class="field__error"' in _page(response)
    theme.refresh_from_db()
    assert not theme.reviewed


def test_errors_are_in_the_readers_language(campaign, found, coordinator, settings):
    theme = _bus_theme(campaign, found)
    coordinator.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    response = coordinator.post(f"/listening/themes/{theme.pk}/rename/", {"rename-label": ""})

    assert response.status_code == 400
    assert "Este campo es obligatorio." in _page(response)


def test_tagging_splitting_moving_and_merging_from_the_theme_page(campaign, found, coordinator):
    theme = _bus_theme(campaign, found)
    members = list(theme.answers.order_by("id"))
    page = _page(coordinator.get(f"/listening/themes/{theme.pk}/"))
    assert all(f'value="{a.pk}"' in page for a in members)

    coordinator.post(f"/listening/themes/{theme.pk}/tag/", {"kind": "need"})
    coordinator.post(
        f"/listening/themes/{theme.pk}/split/",
        {"answers": [members[0].pk, members[1].pk], "label": "Bus stops"},
    )
    new = Theme.objects.get(label="Bus stops")
    coordinator.post(
        f"/listening/themes/{theme.pk}/move/", {"answers": [members[2].pk], "target": new.pk}
    )
    response = coordinator.post(f"/listening/themes/{new.pk}/merge/", {"others": [theme.pk]})

    assert response.status_code == 302
    assert not Theme.objects.filter(pk=theme.pk).exists()
    assert set(new.answers.all()) == set(members)


def test_splitting_with_no_answer_chosen_is_refused_and_nothing_changes(
    campaign, found, coordinator
):
    theme = _bus_theme(campaign, found)
    count = Theme.objects.count()

    response = coordinator.post(f"/listening/themes/{theme.pk}/split/", {"label": "Empty"})

    assert response.status_code == 400
    assert "This field is required." in _page(response)
    assert Theme.objects.count() == count


def test_moving_a_single_answer_from_the_answers_page(campaign, found, coordinator):
    welcome = Theme.objects.filter(answers__in=found[15:]).first()
    moved = found[0]
    assert "Change its theme" in _page(coordinator.get(f"/listening/{campaign.pk}/answers/"))

    response = coordinator.post(f"/listening/answers/{moved.pk}/move/", {"target": welcome.pk})

    assert response.status_code == 302
    moved.refresh_from_db()
    assert moved.theme == welcome


@pytest.mark.parametrize("persona, status", [("teacher", 403), ("outsider", 404)])
def test_teachers_and_other_organizations_do_not_see_the_analysis(
    world, client, campaign, found, persona, status
):
    client.force_login(getattr(world, persona))
    theme = Theme.objects.first()

    for url in [
        f"/listening/{campaign.pk}/answers/",
        f"/listening/{campaign.pk}/themes/",
        f"/listening/themes/{theme.pk}/",
    ]:
        assert client.get(url).status_code == status
    assert (
        client.post(f"/listening/themes/{theme.pk}/rename/", {"rename-label": "x"}).status_code
        == status
    )
    theme.refresh_from_db()
    assert theme.label != "x"
