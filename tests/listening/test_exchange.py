"""Exchanges: families add short statements and agree, disagree or pass on others' in
their language; staff moderate before anyone else sees a statement, and read the opinion
groups and the statements that bridge them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.directory.services import add_caregiver, create_household
from tandem.listening import exchange
from tandem.listening.models import Statement, Vote
from tandem.listening.services import close_campaign
from tandem.listening.tokens import invitation_token
from tandem.translation.models import TranslationRequest
from tandem.translation.services import approve_translation
from tests.web.listening_cases import make_campaign


@pytest.fixture
def maria(exchange_campaign, invite):
    """María García's invitation (she reads Spanish)."""
    return invite(exchange_campaign)


@pytest.fixture
def neighbour(world, exchange_campaign, invite):
    return invite(exchange_campaign, world.neighbour_household.caregivers.first())


def _seed(world, campaign, text):
    return exchange.seed_statement(actor=world.coordinator, campaign=campaign, text=text)


def _page(invitation):
    return reverse("listen:exchange", args=[invitation_token(invitation.pk)])


def _families(world, campaign, invite, count):
    """`count` more families of the elementary school, each with an invitation."""
    invitations = []
    for n in range(count):
        household = create_household(organization=world.district, name=f"Family {n}")
        caregiver = add_caregiver(household=household, given_name=f"Parent{n}")
        invitations.append(invite(campaign, caregiver))
    return invitations


def test_a_statement_with_a_phone_number_is_flagged_and_masked(world, client, maria):
    statement = exchange.add_statement(
        invitation=maria, text="Call me at 312-555-0199 to talk about the buses"
    )
    client.force_login(world.coordinator)

    page = client.get(reverse("listening:statements", args=[statement.campaign_id])).text

    assert statement.status == Statement.Status.PENDING
    assert "phone" in statement.flags
    assert "312-555-0199" not in statement.masked_text
    assert "Phone number hidden" in page
    assert "What participants will see:" in page


def test_a_pending_statement_is_not_shown_to_others_until_approved(world, maria, neighbour):
    statement = exchange.add_statement(invitation=maria, text="More evening events please")

    assert exchange.next_statement_for(neighbour) is None
    with pytest.raises(ValidationError, match="not open for votes"):
        exchange.vote(invitation=neighbour, statement=statement, choice=1)

    exchange.moderate(actor=world.coordinator, statement=statement, approve=True)

    assert exchange.next_statement_for(neighbour).statement == statement
    assert AuditEvent.objects.filter(action="listening.statement_moderated").exists()


def test_ones_own_statement_is_not_offered_to_vote_on(world, maria):
    own = exchange.add_statement(invitation=maria, text="Más eventos por la tarde, por favor")
    exchange.moderate(actor=world.coordinator, statement=own, approve=True)

    assert exchange.next_statement_for(maria) is None
    with pytest.raises(ValidationError, match="your own idea"):
        exchange.vote(invitation=maria, statement=own, choice=1)


def test_voting_twice_replaces_the_first_vote(world, exchange_campaign, maria):
    statement = _seed(world, exchange_campaign, "The school should start later.")

    exchange.vote(invitation=maria, statement=statement, choice=1)
    exchange.vote(invitation=maria, statement=statement, choice="-1")

    assert list(Vote.objects.values_list("choice", flat=True)) == [-1]
    assert exchange.next_statement_for(maria) is None


def test_statements_are_short_and_not_empty(maria):
    with pytest.raises(ValidationError, match="Write your idea first"):
        exchange.add_statement(invitation=maria, text="   ")
    with pytest.raises(ValidationError, match="the most is 280"):
        exchange.add_statement(invitation=maria, text="word " * 80)
    assert not Statement.objects.exists()


def test_one_family_cannot_flood_the_moderation_queue(maria):
    for n in range(exchange.MAX_PENDING):
        exchange.add_statement(invitation=maria, text=f"Idea number {n} for the school")

    with pytest.raises(ValidationError, match="waiting to be read"):
        exchange.add_statement(invitation=maria, text="One idea too many")


def test_a_family_rates_statements_one_at_a_time_in_their_language(
    world, client, exchange_campaign, maria, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _seed(world, exchange_campaign, "The school should offer evening events.")
        second = _seed(world, exchange_campaign, "Homework help after school would help us.")
    request = TranslationRequest.objects.get(object_id=str(first.pk), target_language="es")
    approve_translation(
        actor=world.coordinator,
        request=request,
        text="La escuela debería ofrecer eventos por la tarde.",
    )

    page = client.get(_page(maria)).text
    assert "La escuela debería ofrecer eventos por la tarde." in page
    assert 'lang="es"' in page

    response = client.post(_page(maria), {"statement": first.pk, "choice": "1"})
    assert response.status_code == 302
    page = client.get(_page(maria)).text
    assert "Homework help after school would help us." in page  # no Spanish yet: the original
    client.post(_page(maria), {"statement": second.pk, "choice": "0"})

    assert dict(Vote.objects.values_list("statement_id", "choice")) == {first.pk: 1, second.pk: 0}


def test_a_family_adds_a_statement_that_waits_for_moderation(client, maria):
    response = client.post(_page(maria), {"text": "Más talleres para padres"}, follow=True)

    page = response.text
    assert Statement.objects.get().status == Statement.Status.PENDING
    assert "moderador" in page  # María reads Spanish
    assert Statement.objects.get().author_key != ""


def test_a_bad_link_shows_a_not_found_page(client, maria):
    token = invitation_token(maria.pk)
    response = client.get(reverse("listen:exchange", args=[token[:-2] + "xx"]))
    assert response.status_code == 404
    assert client.get(reverse("listen:exchange", args=["12-abc"])).status_code == 404


def test_a_closed_exchange_says_so_and_takes_no_votes(world, client, exchange_campaign, maria):
    statement = _seed(world, exchange_campaign, "More parent workshops.")
    close_campaign(actor=world.coordinator, campaign=exchange_campaign)

    page = client.get(_page(maria)).text
    client.post(_page(maria), {"statement": statement.pk, "choice": "1"})

    assert "cerrada" in page
    assert not Vote.objects.exists()


def _camps(world, campaign, invite, count=20):
    """Two camps of families: each agrees with its own three statements and disagrees
    with the other camp's; everyone agrees the school should listen to families."""
    statements = {
        key: _seed(world, campaign, text)
        for key, text in [
            ("a1", "Homework should be optional in elementary school."),
            ("a2", "School should start later in the morning."),
            ("a3", "Phones should be allowed at lunch."),
            ("b1", "Every child should have daily homework."),
            ("b2", "School should start early so parents can work."),
            ("b3", "Phones should stay at home."),
            ("bridge", "The school should listen to families more often."),
            ("c1", "The library should open on Saturdays."),
        ]
    }
    families = _families(world, campaign, invite, count)
    for n, invitation in enumerate(families):
        camp = "a" if n < count // 2 else "b"
        for key, statement in statements.items():
            if key == "bridge":
                choice = 1
            elif key == "c1":
                choice = (n % 3) - 1
            else:
                choice = 1 if key.startswith(camp) else -1
            exchange.vote(invitation=invitation, statement=statement, choice=choice)
    return statements


def test_two_camps_make_two_opinion_groups_and_a_bridging_statement(
    world, exchange_campaign, invite
):
    statements = _camps(world, exchange_campaign, invite)

    summary = exchange.opinion_groups(exchange_campaign, "en")

    assert summary.problem == ""
    assert summary.participants == 20
    assert sorted(group.size for group in summary.groups) == [10, 10]
    bridging = [tally.shown.statement for tally in summary.bridging]
    assert statements["bridge"] in bridging
    assert summary.bridging[0].agree == 100
    camp_a = {statements["a1"], statements["a2"], statements["a3"]}
    camp_b = {statements["b1"], statements["b2"], statements["b3"]}
    sides = set()
    for group in summary.groups:
        agreed = {tally.shown.statement for tally in group.agrees}
        disagreed = {tally.shown.statement for tally in group.disagrees}
        assert agreed and (agreed | disagreed) <= camp_a | camp_b
        side = "a" if agreed <= camp_a else "b"
        assert agreed <= (camp_a if side == "a" else camp_b)
        assert disagreed <= (camp_b if side == "a" else camp_a)
        sides.add(side)
    assert sides == {"a", "b"}


def test_groups_smaller_than_the_minimum_are_not_shown(
    world, client, exchange_campaign, invite, settings
):
    _camps(world, exchange_campaign, invite)
    settings.TANDEM_MIN_GROUP_SIZE = 11

    summary = exchange.opinion_groups(exchange_campaign, "en")

    assert summary.groups == []
    assert summary.in_small_groups == 20
    assert summary.problem


def test_the_opinions_page_shows_the_groups_and_bridging_statements(
    world, client, exchange_campaign, invite, django_assert_max_num_queries
):
    _camps(world, exchange_campaign, invite)
    client.force_login(world.coordinator)
    url = reverse("listening:opinions", args=[exchange_campaign.pk])

    client.get(url)
    with django_assert_max_num_queries(14):
        page = client.get(url).text

    assert "Group 1: 10 people" in page and "Group 2: 10 people" in page
    assert "The school should listen to families more often." in page
    assert "100% agree" in page


def test_with_few_votes_the_opinions_page_says_so(world, client, exchange_campaign, maria):
    exchange.vote(
        invitation=maria, statement=_seed(world, exchange_campaign, "More events."), choice=1
    )
    client.force_login(world.coordinator)

    page = client.get(reverse("listening:opinions", args=[exchange_campaign.pk])).text

    assert "Opinion groups appear once at least" in page


def test_a_hidden_statements_votes_leave_the_opinion_groups(world, exchange_campaign, invite):
    statements = _camps(world, exchange_campaign, invite)
    exchange.moderate(actor=world.coordinator, statement=statements["bridge"], approve=False)

    summary = exchange.opinion_groups(exchange_campaign, "en")

    assert statements["bridge"] not in [tally.shown.statement for tally in summary.bridging]


def test_staff_moderate_from_the_queue(world, client, maria):
    statement = exchange.add_statement(invitation=maria, text="Más talleres para padres")
    client.force_login(world.coordinator)

    response = client.post(
        reverse("listening:statement-moderate", args=[statement.pk]), {"decision": "approve"}
    )

    statement.refresh_from_db()
    assert response.url == reverse("listening:statements", args=[statement.campaign_id])
    assert statement.status == Statement.Status.APPROVED
    assert statement.moderated_by == world.coordinator


def test_staff_seed_a_statement_shown_at_once(world, client, exchange_campaign, neighbour):
    client.force_login(world.coordinator)

    client.post(
        reverse("listening:statements", args=[exchange_campaign.pk]),
        {"text": "The school should offer evening events."},
    )

    assert exchange.next_statement_for(neighbour).text == "The school should offer evening events."


def test_the_moderation_queue_reads_a_fixed_number_of_queries(
    world, client, exchange_campaign, invite, django_assert_max_num_queries
):
    client.force_login(world.coordinator)
    url = reverse("listening:statements", args=[exchange_campaign.pk])
    [first] = _families(world, exchange_campaign, invite, 1)
    exchange.add_statement(invitation=first, text="An idea for the school")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for n, invitation in enumerate(_families(world, exchange_campaign, invite, 5)):
        exchange.add_statement(invitation=invitation, text=f"Idea {n} for the school")
        _seed(world, exchange_campaign, f"Seed {n} for the school")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_family_page_reads_a_fixed_number_of_queries(
    world, client, exchange_campaign, maria, django_assert_max_num_queries
):
    _seed(world, exchange_campaign, "An idea for the school")
    client.get(_page(maria))
    with django_assert_max_num_queries(12) as few:
        client.get(_page(maria))
    for n in range(10):
        _seed(world, exchange_campaign, f"Idea {n} for the school")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_page(maria))


def test_a_teacher_may_not_moderate(world, client, exchange_campaign, maria):
    statement = exchange.add_statement(invitation=maria, text="Más talleres para padres")
    client.force_login(world.teacher)

    assert (
        client.get(reverse("listening:statements", args=[exchange_campaign.pk])).status_code == 403
    )
    with pytest.raises(PermissionDenied):
        exchange.moderate(actor=world.teacher, statement=statement, approve=True)


def test_another_organization_sees_nothing_of_the_exchange(world, client, exchange_campaign, maria):
    statement = exchange.add_statement(invitation=maria, text="Más talleres para padres")
    client.force_login(world.outsider)

    assert (
        client.get(reverse("listening:statements", args=[exchange_campaign.pk])).status_code == 404
    )
    assert client.get(reverse("listening:opinions", args=[exchange_campaign.pk])).status_code == 404
    response = client.post(
        reverse("listening:statement-moderate", args=[statement.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PENDING


def test_a_questions_campaign_has_no_exchange_pages(world, client, campaign):
    client.force_login(world.coordinator)
    assert client.get(reverse("listening:statements", args=[campaign.pk])).status_code == 404
    other = make_campaign(world, "elementary")
    with pytest.raises(ValidationError):
        exchange.seed_statement(actor=world.coordinator, campaign=other, text="Not an exchange")


def test_when_everyone_votes_alike_the_summary_says_so(world, exchange_campaign, invite):
    ideas = [_seed(world, exchange_campaign, f"Idea {n} for the school") for n in range(3)]
    for invitation in _families(world, exchange_campaign, invite, 6):
        for statement in ideas:
            exchange.vote(invitation=invitation, statement=statement, choice=1)

    summary = exchange.opinion_groups(exchange_campaign, "en")

    assert summary.groups == []
    assert "voted alike" in summary.problem
