"""Saved lists: a coordinator keeps a directory search as a list, then writes to it; the
message reaches only the list's households that its writer may write to."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.directory.models import Household
from tandem.directory.services import add_caregiver, add_student, create_household
from tandem.messaging.audiences import audience_households
from tandem.messaging.compose import compose_message
from tandem.messaging.models import Delivery, Message, SavedList
from tandem.messaging.saved_lists import save_household_list


def test_a_coordinator_saves_a_search_and_writes_to_it(world, client):
    client.force_login(world.coordinator)
    search = client.get(reverse("directory:households"), {"language": "es"}).text
    assert "Save this household as a list to write to" in search

    saved = client.post(
        reverse("messaging:list-create"),
        {"language": "es", "list_name": "  Spanish-speaking   families "},
        follow=True,
    )

    assert "Saved the list “Spanish-speaking families”" in saved.text
    saved_list = SavedList.objects.get()
    assert list(saved_list.households.all()) == [world.household]
    # The coordinator works at one school: the list is that school's.
    assert (saved_list.school, saved_list.organization) == (world.elementary, world.district)

    page = client.get(reverse("messaging:compose"), {"list": saved_list.pk})
    assert page.status_code == 200
    assert "Write to the list “Spanish-speaking families”" in page.text
    sent = client.post(
        reverse("messaging:compose"),
        {
            "list": saved_list.pk,
            "body": "La noche familiar es el jueves.",
            "language": "es",
            "when": "now",
        },
    )

    assert sent.status_code == 302
    message = Message.objects.get()
    assert (message.audience, message.saved_list) == (Message.Audience.LIST, saved_list)
    assert set(Delivery.objects.values_list("household_id", flat=True)) == {world.household.pk}
    assert "The list “Spanish-speaking families”" in client.get(reverse("messaging:messages")).text


def test_a_list_reaches_only_the_households_its_writer_may_write_to(world):
    saved = save_household_list(
        actor=world.district_staff,
        name="Everyone",
        households=Household.objects.filter(organization=world.district),
        school=world.elementary,  # saved from the elementary school's search
    )
    assert saved.households.count() == 3  # the district's households, middle school's too

    message = compose_message(
        actor=world.teacher,  # teaches at the elementary school only
        organization=world.district,
        audience=Message.Audience.LIST,
        saved_list=saved,
        body="Picture day is Friday.",
        language="en",
    )

    reached = set(audience_households(message).values_list("pk", flat=True))
    assert world.middle_household.pk not in reached
    assert world.household.pk in reached


def test_a_district_list_is_not_shown_to_school_staff(world, client):
    saved = save_household_list(
        actor=world.district_staff,
        name="Whole district",
        households=Household.objects.filter(organization=world.district),
    )
    client.force_login(world.teacher)
    assert "Whole district" not in client.get(reverse("messaging:lists")).text
    assert client.get(reverse("messaging:compose"), {"list": saved.pk}).status_code == 404


def test_a_list_without_a_name_is_refused_and_nothing_is_saved(world, client):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("messaging:list-create"), {"language": "es", "list_name": "  "}, follow=True
    )
    assert "Give the list a name." in response.text
    assert response.request["QUERY_STRING"] == "language=es"  # back to the same search
    assert not SavedList.objects.exists()


def test_a_search_that_finds_no_one_is_refused_in_spanish(world, client):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("messaging:list-create"),
        {"q": "nobody-by-this-name", "list_name": "Nadie"},
        headers={"accept-language": "es"},
        follow=True,
    )
    assert "No hay ningún hogar que guardar" in response.text
    assert not SavedList.objects.exists()


def test_a_list_with_a_message_waiting_is_kept(world, client, settings):
    saved = save_household_list(
        actor=world.district_staff,
        name="Needs a ride",
        households=Household.objects.filter(pk=world.middle_household.pk),
        school=world.middle,
    )
    compose_message(
        actor=world.district_staff,
        organization=world.district,
        audience=Message.Audience.LIST,
        saved_list=saved,
        body="Le bus part à 17 h.",
        language="fr",  # waits for its translations to be reviewed
    )
    client.force_login(world.district_staff)
    response = client.post(reverse("messaging:list-delete", args=[saved.pk]), follow=True)
    assert "waiting to go out" in response.text
    assert SavedList.objects.filter(pk=saved.pk).exists()


def test_the_lists_page_reads_a_fixed_number_of_queries(world, client):
    client.force_login(world.district_staff)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("messaging:lists")).status_code == 200
        return len(captured)

    save_household_list(
        actor=world.district_staff,
        name="One",
        households=Household.objects.filter(organization=world.district),
    )
    one = queries()
    for number in range(5):
        household = create_household(organization=world.district, name=f"H{number}")
        add_caregiver(household=household, given_name="A", phone=f"+1312555090{number}")
        add_student(household=household, school=world.elementary, given_name="K", grade="01")
        save_household_list(
            actor=world.district_staff,
            name=f"List {number}",
            households=Household.objects.filter(organization=world.district),
        )
    assert queries() == one


def test_a_list_made_to_address_one_message_is_not_offered_to_write_to_again(world, client):
    households = Household.objects.filter(pk=world.household.pk)
    kept = save_household_list(actor=world.coordinator, name="Kept", households=households)
    save_household_list(
        actor=world.coordinator,
        name="Reminded the day before: Report cards",
        households=households,
        made_for="programs",
    )
    client.force_login(world.coordinator)

    page = client.get(reverse("messaging:lists")).text

    assert "Kept" in page and "Reminded the day before" not in page
    made = SavedList.objects.get(made_for="programs")
    assert client.get(reverse("messaging:compose"), {"list": made.pk}).status_code == 404
    assert client.get(reverse("messaging:compose"), {"list": kept.pk}).status_code == 200
