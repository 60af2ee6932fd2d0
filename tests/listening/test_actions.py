"""Closing the loop: a need turned into an action in the school's plan, status changes
that tell participants "you said, we did", and the follow-up of what was heard, which
is refused when no one took part."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.listening.actions import (
    participant_households,
    send_follow_up,
    set_action_status,
    turn_into_action,
)
from tandem.listening.models import ActionItem, FollowUp, Invitation, Theme
from tandem.messaging.models import Delivery, Message
from tests.listening.test_report import (
    _fresh_roster_names,  # noqa: F401  (the autouse fixture)
    answer,
    family,
    needs_and_strengths,
    theme,
)
from tests.web.listening_cases import invitation_for


def test_a_coordinator_turns_a_need_into_an_action(world, campaign, client):
    need = needs_and_strengths(world, campaign)
    client.force_login(world.coordinator)
    form = client.get(reverse("listening:theme-act", args=[need.pk]))
    assert form.status_code == 200
    assert "Transportation to events" in form.text

    response = client.post(
        reverse("listening:theme-act", args=[need.pk]),
        {"title": "  A school bus   on family nights ", "due_on": "2030-01-15"},
    )

    assert response.status_code == 302
    action = ActionItem.objects.get()
    assert (action.school, action.theme, action.title) == (
        world.elementary,
        need,
        "A school bus on family nights",
    )
    assert AuditEvent.objects.filter(action="listening.action_created").count() == 1
    report = client.get(response["Location"]).text
    assert "A school bus on family nights" in report  # beside the need, on the report
    plan = client.get(reverse("listening:actions")).text
    assert "A school bus on family nights" in plan and "Oak Elementary" in plan


def test_only_a_need_becomes_an_action(world, campaign):
    strength = theme(campaign, "Welcoming teachers", Theme.Kind.STRENGTH)

    with pytest.raises(ValidationError):
        turn_into_action(actor=world.coordinator, theme=strength, title="Say thanks")


def test_an_empty_action_is_refused_on_the_form(world, campaign, client):
    need = theme(campaign, "Childcare")
    client.force_login(world.coordinator)

    response = client.post(reverse("listening:theme-act", args=[need.pk]), {"title": " "})

    assert response.status_code == 400
    assert not ActionItem.objects.exists()


def test_a_teacher_reads_the_report_but_cannot_create_actions(world, campaign, client):
    need = theme(campaign, "Childcare")
    client.force_login(world.teacher)

    assert (
        client.post(reverse("listening:theme-act", args=[need.pk]), {"title": "X"}).status_code
        == 403
    )
    assert client.get(reverse("listening:actions")).status_code == 403
    assert not ActionItem.objects.exists()


def test_participants_are_named_respondents_and_invitations_started_or_finished(world, campaign):
    answer(world, campaign, world.caregiver, "A bus, please.", anonymous=True)
    named = family(world, "Named")
    answer(world, campaign, named, "A bus for evening events.")
    halfway = family(world, "Halfway")
    answer(world, campaign, halfway, "More buses.", anonymous=True, finish=False)
    invitation_for(world, campaign, family(world, "Invited"))  # invited, never answered

    households = set(participant_households(campaign))

    assert households == {world.household, named.household, halfway.household}
    assert Invitation.objects.filter(campaign=campaign).count() == 4


def test_a_status_change_sends_one_you_said_we_did_to_participants(world, campaign, client):
    need = theme(campaign, "Transportation to events")
    took_part = [family(world, f"Rider{index}", phone=f"+1312555020{index}") for index in range(2)]
    for caregiver in took_part:
        answer(world, campaign, caregiver, "We need a bus to evening events.")
    bystander = family(world, "Bystander", phone="+13125550299")
    invitation_for(world, campaign, bystander)
    action = turn_into_action(actor=world.coordinator, theme=need, title="A bus on family nights")
    client.force_login(world.coordinator)

    response = client.post(reverse("listening:action", args=[action.pk]), {"status": "in_progress"})
    client.post(reverse("listening:action", args=[action.pk]), {"status": "in_progress"})  # again

    assert response.status_code == 302
    assert "you said, we did" in client.get(response["Location"]).text
    message = Message.objects.get()
    assert message.audience == Message.Audience.LIST
    assert "A bus on family nights" in message.body and "In progress" in message.body
    assert set(message.saved_list.households.all()) == {c.household for c in took_part}
    reached = set(Delivery.objects.filter(message=message).values_list("household_id", flat=True))
    assert reached == {c.household_id for c in took_part}
    follow_up = FollowUp.objects.get()
    assert (follow_up.kind, follow_up.action, follow_up.message) == (
        FollowUp.Kind.YOU_SAID_WE_DID,
        action,
        message,
    )
    assert ActionItem.objects.get().status == ActionItem.Status.IN_PROGRESS


def test_a_status_change_without_participants_sends_nothing(world, campaign):
    action = turn_into_action(actor=world.coordinator, theme=theme(campaign, "Bus"), title="Bus")

    assert set_action_status(actor=world.coordinator, action=action, status="done") is None
    assert ActionItem.objects.get().status == ActionItem.Status.DONE
    assert not Message.objects.exists()


def test_the_follow_up_is_drafted_from_the_report_and_counts_households(world, campaign, client):
    need = needs_and_strengths(world, campaign)
    turn_into_action(actor=world.coordinator, theme=need, title="A bus on family nights")
    client.force_login(world.coordinator)

    page = client.get(reverse("listening:follow-up", args=[campaign.pk]))

    assert page.status_code == 200
    draft = page.context["form"].initial["body"]
    assert "Welcoming teachers" in draft and "Transportation to events" in draft
    assert "A bus on family nights" in draft
    assert "It will reach 8 households." in page.text


def test_the_follow_up_goes_to_the_participants(world, campaign, client):
    needs_and_strengths(world, campaign)
    client.force_login(world.coordinator)

    response = client.post(
        reverse("listening:follow-up", args=[campaign.pk]),
        {"body": "Thank you. We heard that rides matter; a bus starts next month."},
    )

    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert follow_up.kind == FollowUp.Kind.WHAT_WE_HEARD
    assert response["Location"] == reverse("messaging:message", args=[follow_up.message_id])
    assert set(follow_up.message.saved_list.households.all()) == set(
        participant_households(campaign)
    )


def test_the_follow_up_is_refused_when_no_one_took_part(world, campaign, client):
    invitation_for(world, campaign)  # invited, never answered
    client.force_login(world.coordinator)

    response = client.post(
        reverse("listening:follow-up", args=[campaign.pk]), {"body": "What we heard…"}
    )

    assert response.status_code == 400
    assert "No family has taken part in this campaign yet" in response.text
    assert not Message.objects.exists()
    with pytest.raises(ValidationError):
        send_follow_up(actor=world.coordinator, campaign=campaign, body="Hello")


def test_the_action_plan_lists_items_per_school_in_flat_queries(
    world, campaign, client, django_assert_max_num_queries
):
    client.force_login(world.district_staff)
    url = reverse("listening:actions")
    turn_into_action(actor=world.coordinator, theme=theme(campaign, "Bus"), title="Bus")
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    for index in range(5):
        need = theme(campaign, f"Need {index}")
        turn_into_action(actor=world.coordinator, theme=need, title=f"Action {index}")

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert "Action 4" in page.text
    filtered = client.get(url, {"school": world.middle.pk}).text
    assert "Action 4" not in filtered


def test_another_organization_gets_not_found(world, campaign, client):
    action = turn_into_action(actor=world.coordinator, theme=theme(campaign, "Bus"), title="Bus")
    client.force_login(world.outsider)

    assert client.get(reverse("listening:action", args=[action.pk])).status_code == 404
    assert client.get(reverse("listening:theme-act", args=[action.theme_id])).status_code == 404
    assert client.get(reverse("listening:follow-up", args=[campaign.pk])).status_code == 404
    assert "Bus" not in client.get(reverse("listening:actions")).text
