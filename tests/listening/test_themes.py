"""Finding themes in a campaign's answers with the real multilingual model, and staff's
review of them: rename, tag, merge, split, move; reviewed themes survive a new run."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.audit.models import AuditEvent
from tandem.listening.models import ActionItem, Answer, Theme
from tandem.listening.themes import (
    find_campaign_themes,
    merge_themes,
    move_answer,
    rename_theme,
    request_themes,
    run_under_way,
    split_theme,
    tag_theme,
    theme_summaries,
)
from tests.listening.theme_answers import BUS, answer, answer_both_topics


@pytest.fixture
def answers(world, invite, campaign):
    return answer_both_topics(world, invite, campaign)


@pytest.fixture
def found(world, campaign, answers):
    find_campaign_themes(actor=world.coordinator, campaign=campaign)
    return answers


def _topic(answer_ids: set[int], answers, extra_bus=()) -> str:
    bus = {a.pk for a in [*answers[: len(BUS)], *extra_bus]}
    return "bus" if answer_ids <= bus else "welcome" if not answer_ids & bus else "mixed"


def _themes(campaign) -> list[Theme]:
    return list(Theme.objects.filter(campaign=campaign).prefetch_related("answers"))


def _largest(campaign, topic: str, answers) -> Theme:
    return next(
        s.theme
        for s in theme_summaries(campaign)
        if _topic({a.pk for a in s.theme.answers.all()}, answers) == topic
    )


def test_finding_themes_keeps_the_bus_apart_from_feeling_welcome_in_both_languages(
    world, campaign, found
):
    themes = _themes(campaign)

    topics = [_topic({a.pk for a in t.answers.all()}, found) for t in themes]
    assert "mixed" not in topics
    assert {"bus", "welcome"} <= set(topics)
    themed = Answer.objects.filter(campaign=campaign, theme__isnull=False)
    assert themed.count() >= 24
    # English and Spanish answers share themes: the model reads both.
    assert any({a.language for a in t.answers.all()} == {"en", "es"} for t in themes)
    bus, welcome = _largest(campaign, "bus", found), _largest(campaign, "welcome", found)
    assert {"bus", "autobús"} & set(bus.keywords)
    assert {"teacher", "teachers", "maestros", "welcome"} & set(welcome.keywords)
    assert not any(t.reviewed for t in themes)


def test_each_theme_has_its_count_and_representative_masked_quotes(world, campaign, found):
    summaries = theme_summaries(campaign)

    assert sum(s.count for s in summaries) == Answer.objects.filter(theme__isnull=False).count()
    assert [s.count for s in summaries] == sorted((s.count for s in summaries), reverse=True)
    for summary in summaries:
        assert 1 <= len(summary.quotes) <= 3
        members = set(summary.theme.answers.values_list("masked_text", flat=True))
        assert set(summary.quotes) <= members
    assert theme_summaries(campaign, school=world.middle) == []


def test_one_word_answers_to_an_open_question_are_left_out(world, invite, campaign, answers):
    [short] = answer(world, invite, campaign, [("en", "Bus")], start=100)
    assert "short" in short.flags

    find_campaign_themes(actor=world.coordinator, campaign=campaign)

    short.refresh_from_db()
    assert short.theme is None


def test_fewer_answers_than_the_engine_needs_make_no_theme(world, invite, campaign):
    answer(world, invite, campaign, BUS[:3])

    assert find_campaign_themes(actor=world.coordinator, campaign=campaign) == 0
    assert not Theme.objects.exists()


def test_themes_are_found_in_the_background_once_the_request_is_committed(
    world, campaign, answers, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        request_themes(actor=world.coordinator, campaign=campaign)
    campaign.refresh_from_db()
    assert run_under_way(campaign)
    assert not Theme.objects.exists()

    for callback in callbacks:
        callback()

    assert Theme.objects.filter(campaign=campaign).count() >= 2
    campaign.refresh_from_db()
    assert not run_under_way(campaign)


def test_reviewed_themes_survive_a_new_run_and_close_new_answers_join_them(
    world, invite, campaign, found
):
    bus = _largest(campaign, "bus", found)
    rename_theme(actor=world.coordinator, theme=bus, label="Bus times")
    members = set(bus.answers.values_list("pk", flat=True))
    before = set(Theme.objects.exclude(pk=bus.pk).values_list("pk", flat=True))
    late = answer(
        world,
        invite,
        campaign,
        [("en", "The school bus was late again this morning."), ("es", BUS[8][1])],
        start=200,
    )

    find_campaign_themes(actor=world.coordinator, campaign=campaign)

    bus.refresh_from_db()
    assert bus.label == "Bus times" and bus.reviewed
    now = set(bus.answers.values_list("pk", flat=True))
    assert members <= now
    assert {a.pk for a in late} <= now
    # The themes nobody touched were found again: new rows, still one topic each.
    others = _themes(campaign)
    assert not before & {t.pk for t in others}
    assert all(_topic({a.pk for a in t.answers.all()}, found, late) != "mixed" for t in others)


def test_with_the_cheap_embedder_reviewed_themes_are_kept_as_they_are(
    world, campaign, answers, settings
):
    settings.TANDEM_THEMES_EMBEDDER = "tfidf"
    find_campaign_themes(actor=world.coordinator, campaign=campaign)
    theme = Theme.objects.first()
    tag_theme(actor=world.coordinator, theme=theme, kind="need")
    members = set(theme.answers.values_list("pk", flat=True))

    find_campaign_themes(actor=world.coordinator, campaign=campaign)

    theme.refresh_from_db()
    assert theme.kind == "need"
    assert set(theme.answers.values_list("pk", flat=True)) == members


def test_tagging_a_theme_a_need_marks_it_reviewed(world, campaign, found):
    theme = Theme.objects.first()

    tag_theme(actor=world.coordinator, theme=theme, kind="need")

    theme.refresh_from_db()
    assert (theme.kind, theme.reviewed) == ("need", True)
    with pytest.raises(ValidationError):
        tag_theme(actor=world.coordinator, theme=theme, kind="urgent")


def test_merging_moves_the_answers_and_removes_the_merged_themes(world, campaign, found):
    [into, *others] = [
        t for t in _themes(campaign) if _topic({a.pk for a in t.answers.all()}, found) == "bus"
    ]
    everything = set(Answer.objects.filter(theme__in=[into, *others]).values_list("pk", flat=True))
    action = ActionItem.objects.create(
        organization=world.district, school=world.elementary, theme=others[0], title="Bus plan"
    )

    merge_themes(actor=world.coordinator, into=into, others=others)

    assert set(into.answers.values_list("pk", flat=True)) == everything
    assert not Theme.objects.filter(pk__in=[t.pk for t in others]).exists()
    into.refresh_from_db()
    assert into.reviewed
    action.refresh_from_db()
    assert action.theme == into  # an action made from a merged theme follows it
    assert into.engine_data["size"] == len(everything)


def test_splitting_moves_the_chosen_answers_into_a_new_theme(world, campaign, found):
    theme = _largest(campaign, "bus", found)
    chosen = list(theme.answers.order_by("id")[:2])

    new = split_theme(actor=world.coordinator, theme=theme, answers=chosen, label="Bus stops")

    assert set(new.answers.all()) == set(chosen)
    assert new.label == "Bus stops" and new.reviewed and new.question == theme.question
    theme.refresh_from_db()
    assert theme.reviewed and theme.answers.exists()


def test_moving_an_answer_marks_both_themes_reviewed(world, campaign, found):
    bus, welcome = _largest(campaign, "bus", found), _largest(campaign, "welcome", found)
    moved = bus.answers.select_related("campaign__school").first()

    move_answer(actor=world.coordinator, answer=moved, theme=welcome)

    moved.refresh_from_db()
    assert moved.theme == welcome
    assert Theme.objects.filter(pk__in=[bus.pk, welcome.pk], reviewed=True).count() == 2
    move_answer(actor=world.coordinator, answer=moved, theme=None)
    moved.refresh_from_db()
    assert moved.theme is None


@pytest.mark.parametrize("label", ["", "   ", "x" * 201])
def test_a_theme_needs_a_name_of_at_most_200_characters(world, campaign, found, label):
    theme = Theme.objects.first()

    with pytest.raises(ValidationError) as invalid:
        rename_theme(actor=world.coordinator, theme=theme, label=label)

    assert "label" in invalid.value.error_dict
    theme.refresh_from_db()
    assert not theme.reviewed


def test_themes_of_another_question_cannot_be_merged_or_receive_answers(
    world, invite, campaign, found
):
    theme = Theme.objects.first()
    second = campaign.protocol.questions.all()[1]
    elsewhere = Theme.objects.create(
        campaign=campaign, organization=campaign.organization, question=second, label="Vision"
    )
    moved = theme.answers.select_related("campaign__school").first()

    with pytest.raises(ValidationError):
        merge_themes(actor=world.coordinator, into=theme, others=[elsewhere])
    with pytest.raises(ValidationError):
        move_answer(actor=world.coordinator, answer=moved, theme=elsewhere)

    assert Theme.objects.filter(pk=elsewhere.pk).exists()
    moved.refresh_from_db()
    assert moved.theme == theme


def test_splitting_needs_some_but_not_all_of_the_themes_answers(world, campaign, found):
    theme = _largest(campaign, "bus", found)
    other = _largest(campaign, "welcome", found)

    for chosen in ([], list(theme.answers.all()), list(other.answers.all()[:1])):
        with pytest.raises(ValidationError):
            split_theme(actor=world.coordinator, theme=theme, answers=chosen, label="Part")
    assert Theme.objects.filter(label="Part").count() == 0


@pytest.mark.parametrize("persona", ["teacher", "outsider", "funder"])
def test_only_those_who_run_the_campaign_review_its_themes(world, campaign, found, persona):
    theme = Theme.objects.first()
    user = getattr(world, persona)

    for act in (
        lambda: find_campaign_themes(actor=user, campaign=campaign),
        lambda: request_themes(actor=user, campaign=campaign),
        lambda: rename_theme(actor=user, theme=theme, label="Mine"),
        lambda: tag_theme(actor=user, theme=theme, kind="need"),
    ):
        with pytest.raises(PermissionDenied):
            act()
    theme.refresh_from_db()
    assert theme.label != "Mine"


def test_the_audit_log_has_ids_and_counts_never_what_was_said(world, campaign, found):
    [bus, *_] = [_largest(campaign, "bus", found)]
    rename_theme(actor=world.coordinator, theme=bus, label="Bus times")
    split_theme(
        actor=world.coordinator, theme=bus, answers=list(bus.answers.all()[:1]), label="Early"
    )

    events = AuditEvent.objects.filter(action__startswith="listening.theme")
    assert {e.action for e in events} >= {
        "listening.themes_found",
        "listening.theme_renamed",
        "listening.theme_split",
    }
    logged = json.dumps([e.detail for e in events], ensure_ascii=False).casefold()
    for word in ["bus", "autobús", "times", "early", "teacher"]:
        assert word not in logged
