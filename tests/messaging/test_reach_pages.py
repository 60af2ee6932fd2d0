"""The reach pages: the dashboard with small groups hidden and its definitions shown,
a school's "not yet reached" list to call from, and its CSV export, audited."""

import csv
import io

from django.urls import reverse

from tandem.audit.models import AuditEvent
from tests.messaging.page_data import queries
from tests.messaging.reach_world import build_reach_world


def _not_reached(world):
    return reverse("messaging:not-reached", kwargs={"pk": world.elementary.pk})


def test_the_dashboard_shows_fewer_than_five_for_a_small_language_group(world, client):
    build_reach_world(world)
    client.force_login(world.coordinator)

    page = client.get(reverse("messaging:reach")).text

    assert "Reach at Oak Elementary by language" in page
    assert "fewer than 5" in page
    assert "not shown" in page
    assert "What the numbers mean" in page
    assert "Bad contact information" in page
    assert '<th scope="col" role="columnheader">Language</th>' in page
    assert _not_reached(world) in page


def test_the_dashboard_filters_by_school_language_channel_and_period(world, client):
    build_reach_world(world)
    client.force_login(world.org_admin)

    page = client.get(
        reverse("messaging:reach"),
        {"school": world.elementary.pk, "language": "es", "channel": "sms", "period": "90"},
    )

    assert page.status_code == 200
    assert "Reach at Riverside Middle" not in page.text
    assert "All schools shown" not in page.text
    assert "last 90 days" in page.text


def test_the_dashboard_refuses_an_unknown_period(world, client):
    client.force_login(world.org_admin)

    assert client.get(reverse("messaging:reach"), {"period": "365"}).status_code == 400


def test_the_dashboard_reads_a_constant_number_of_queries(world, client):
    from tandem.directory.services import add_caregiver, add_student, create_household

    client.force_login(world.org_admin)
    few = len(queries(client, reverse("messaging:reach")))
    build_reach_world(world)
    for n in range(10):
        household = create_household(organization=world.district, name=f"More {n}")
        add_caregiver(household=household, given_name="B", preferred_language="ar")
        add_student(household=household, school=world.middle, given_name="C")

    many = len(queries(client, reverse("messaging:reach")))

    assert few == many


def test_the_not_reached_list_shows_who_to_call_and_when(world, client):
    reach = build_reach_world(world)
    client.force_login(world.coordinator)

    response = client.get(_not_reached(world))

    page = response.text
    assert "Bounced" in page and "Unreachable 0" in page
    assert "García" not in page  # reached by the message
    assert "(312) 555-1300" in page  # the phone in the way people write it
    assert "Tuesday" in page and "Interpretation" in page
    assert reverse("messaging:thread", kwargs={"pk": reach.bounced.pk}) in page
    assert reverse("directory:household", kwargs={"pk": reach.bounced.pk}) in page
    event = AuditEvent.objects.get(action="messaging.not_reached_viewed")
    assert event.detail == {"shown": 6, "period_days": 30}
    assert event.object_id == str(world.elementary.pk)


def test_the_not_reached_list_reads_a_constant_number_of_queries(world, client):
    client.force_login(world.coordinator)
    few = len(queries(client, _not_reached(world)))
    build_reach_world(world)

    many = len(queries(client, _not_reached(world)))

    assert few == many


def test_the_csv_export_streams_one_line_per_caregiver_and_is_audited(world, client):
    reach = build_reach_world(world)
    client.force_login(world.coordinator)

    response = client.get(
        reverse("messaging:not-reached-csv", kwargs={"pk": world.elementary.pk}),
        {"period": "7"},
    )

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["Household id", "Household", "Caregiver"]
    assert len(rows) == 1 + 6
    bounced = next(row for row in rows if row[1] == "Bounced")
    assert bounced[0] == str(reach.bounced.pk)
    assert bounced[5] == "(312) 555-9999"
    unreachable = next(row for row in rows if row[1] == "Unreachable 0")
    assert unreachable[7] == "Tuesday 18:00–20:00"
    assert unreachable[8] == "Interpretation"
    event = AuditEvent.objects.get(action="messaging.not_reached_exported")
    assert event.detail == {"households": 6, "period_days": 7}
    assert "Bounced" not in str(event.detail)


def test_a_school_of_another_organization_is_not_found(world, client):
    client.force_login(world.coordinator)

    for name in ("messaging:not-reached", "messaging:not-reached-csv"):
        url = reverse(name, kwargs={"pk": world.other_school.pk})
        assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="messaging.not_reached").exists()


def test_the_navigation_offers_reach_to_report_readers(world, client):
    client.force_login(world.funder)
    assert 'href="/messages/reach/"' in client.get(reverse("messaging:reach")).text
    client.force_login(world.family)
    assert 'href="/messages/reach/"' not in client.get(reverse("web:home")).text
