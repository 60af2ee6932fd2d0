"""The programs list, a new program, a Parent College year from its calendar, a
program's page (curriculum, facilitators, materials) and the topic catalog."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone

from tandem.programs import services
from tandem.programs.attendance import check_in_caregiver
from tandem.programs.invitations import record_rsvp
from tandem.programs.models import Facilitator, Material, Program, Session
from tests.web.programs_cases import make_program, make_session, next_saturday


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_shows_each_program_with_its_next_session_and_who_is_coming(
    world, client, session, invite
):
    record_rsvp(invitation=invite(session), coming=True, channel="web")

    html = page(client, world.coordinator, "/programs/")

    assert "Families as partners" in html
    assert "Family series" in html and "Oak Elementary" in html
    assert "Reading report cards" in html  # the next session
    assert f'href="/programs/sessions/{session.pk}/"' in html
    row = html[html.index("Families as partners") :]
    assert ">1</td>" in row  # one family coming


def test_the_list_shows_only_programs_the_user_may_run(world, client):
    make_program(world, "middle", name="Middle school families")
    make_program(world, "other_school", name="Lakeside families")
    make_program(world, name="Oak families")

    html = page(client, world.coordinator, "/programs/")

    assert "Oak families" in html
    assert "Middle school families" not in html
    assert "Lakeside families" not in html
    district_wide = page(client, world.org_admin, "/programs/")
    assert "Middle school families" in district_wide and "Oak families" in district_wide


def _programs_with_sessions(world, count: int) -> None:
    for number in range(count):
        program = make_program(world, name=f"Series {number}")
        for week in (1, 2):
            session = make_session(
                world, program=program, starts_at=next_saturday(world.elementary, week)
            )
            services.add_material(
                actor=world.org_admin,
                program=program,
                title="Welcome",
                language="es",
                url="https://example.org/bienvenida.pdf",
            )
            record_rsvp(invitation=_invitation(world, session), coming=True, channel="web")


def _invitation(world, session):
    from tests.web.programs_cases import invitation_to

    return invitation_to(world, session)


def test_the_list_reads_a_flat_number_of_queries_however_many_programs(world, client):
    client.force_login(world.coordinator)
    _programs_with_sessions(world, 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/programs/").status_code == 200
    _programs_with_sessions(world, 5)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/programs/").status_code == 200

    assert len(many) == len(few)


def _create(client, user, **fields):
    client.force_login(user)
    data = {
        "name": "Families as partners",
        "kind": "family_series",
        "audience": "families",
        "schools": [school.pk for school in fields.pop("schools", [])],
        "languages": "en, es",
        "sessions_to_complete": "",
        **fields,
    }
    return client.post("/programs/new/", data)


def test_a_coordinator_creates_a_program_at_her_school(world, client):
    response = _create(
        client, world.coordinator, schools=[world.elementary], sessions_to_complete="4"
    )

    program = Program.objects.get()
    assert response.status_code == 302 and response.url == f"/programs/{program.pk}/"
    assert list(program.schools.all()) == [world.elementary]
    assert program.organization == world.district
    assert program.languages == ["en", "es"] and program.sessions_to_complete == 4


def test_a_district_administrator_creates_a_program_for_the_whole_district(world, client):
    response = _create(
        client, world.org_admin, kind="community_of_practice", audience="parent_coordinators"
    )

    program = Program.objects.get()
    assert response.status_code == 302
    assert program.organization == world.district and not program.schools.exists()


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"name": "  "}, "Give the program a name."),
        ({"kind": "picnic"}, "Select a valid choice."),
        ({"languages": "en, not a language"}, "not"),
        ({"languages": ""}, "Name at least one language the program is held in."),
        ({"sessions_to_complete": "0"}, "Enter a number of sessions from 1 to 60."),
        ({"sessions_to_complete": "many"}, "Enter a whole number of sessions."),
        ({"schools": []}, "Choose at least one school."),
    ],
)
def test_bad_input_names_what_is_wrong_and_creates_nothing(world, client, fields, error):
    fields.setdefault("schools", [world.elementary])
    response = _create(client, world.coordinator, **fields)

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Program.objects.exists()


def test_a_school_outside_her_scope_cannot_be_chosen(world, client):
    response = _create(client, world.coordinator, schools=[world.middle])

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode() or "Choose schools" in (
        response.content.decode()
    )
    assert not Program.objects.exists()


def _college(client, user, preview=False, **fields):
    client.force_login(user)
    data = {
        "school": fields.pop("school").pk,
        "school_year_starts": str(fields.pop("year", _this_school_year())),
        "languages": "en, es, so",
        "place": "Parent Center",
        **fields,
    }
    if preview:
        data["preview"] = "1"
    return client.post("/programs/new/parent-college/", data)


def _this_school_year() -> int:
    today = timezone.localdate()
    return today.year if today.month >= 7 else today.year - 1


def test_the_parent_college_dates_are_shown_before_anything_is_created(world, client):
    year = _this_school_year()
    response = _college(client, world.coordinator, preview=True, school=world.elementary)

    html = response.content.decode()
    assert response.status_code == 200
    assert not Program.objects.exists()
    first = services.parent_college_calendar(year)[0].day
    assert f"<strong>{formats.date_format(first, 'DATE_FORMAT')}</strong>, 9 a.m.–noon" in html
    assert "University Day" in html
    assert "America/Chicago" in html


def test_a_coordinator_plans_a_parent_college_year_at_her_school(world, client):
    response = _college(client, world.coordinator, school=world.elementary)

    program = Program.objects.get()
    assert response.status_code == 302 and response.url == f"/programs/{program.pk}/"
    assert program.kind == Program.Kind.PARENT_COLLEGE
    assert program.languages == ["en", "es", "so"]
    assert program.sessions.count() == 9
    assert set(program.sessions.values_list("place", flat=True)) == {"Parent Center"}


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"year": 1999}, "Choose a school year from the list."),
        ({"languages": "klingonese"}, "klingonese"),
    ],
)
def test_a_parent_college_with_bad_input_is_refused_by_name(world, client, fields, error):
    response = _college(client, world.coordinator, school=world.elementary, **fields)

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Program.objects.exists()


def test_the_program_page_shows_its_curriculum_in_the_schools_time(
    world, client, program, session, invite
):
    record_rsvp(invitation=invite(session), coming=True, channel="web")

    html = page(client, world.coordinator, f"/programs/{program.pk}/")

    assert "Reading report cards" in html
    assert "10 a.m." in html and "America/Chicago" in html  # not 15:00 or 16:00 UTC
    assert "In person · Library" in html
    assert '<td data-label="Coming" class="table__number">1</td>' in html


def test_a_program_outside_the_coordinators_scope_is_not_found(world, client):
    middle = make_program(world, "middle")
    other = make_program(world, "other_school")
    client.force_login(world.coordinator)

    assert client.get(f"/programs/{middle.pk}/").status_code == 404
    assert client.get(f"/programs/{other.pk}/").status_code == 404


def test_the_program_page_reads_a_flat_number_of_queries(world, client, program):
    client.force_login(world.coordinator)
    make_session(world, program=program)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/programs/{program.pk}/").status_code == 200
    for week in range(2, 9):
        session = make_session(
            world, program=program, starts_at=next_saturday(world.elementary, week)
        )
        record_rsvp(invitation=_invitation(world, session), coming=True, channel="web")
        services.add_facilitator(
            actor=world.org_admin, program=program, name=f"Facilitator {week}", kind="staff"
        )
        services.add_material(
            actor=world.org_admin,
            program=program,
            title=f"Handout {week}",
            language="es",
            url="https://example.org/h.pdf",
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/programs/{program.pk}/").status_code == 200

    assert len(many) == len(few)


def _came(world, session):
    check_in_caregiver(
        session=session,
        caregiver=world.caregiver,
        method="roster",
        actor=world.org_admin,
        now=session.starts_at + timedelta(minutes=5),
    )


def test_a_parent_who_came_is_added_as_a_peer_parent_leader(world, client, program, session):
    _came(world, session)
    client.force_login(world.coordinator)
    assert "María García" in client.get(f"/programs/{program.pk}/").content.decode()

    response = client.post(
        f"/programs/{program.pk}/facilitators/",
        {"part": "co", "kind": "staff", "caregiver": world.caregiver.pk, "name": ""},
    )

    assert response.status_code == 302
    leader = Facilitator.objects.get()
    assert leader.caregiver == world.caregiver and leader.name == "María García"
    assert leader.kind == Facilitator.Kind.PEER_PARENT_LEADER
    assert leader.part == Facilitator.Part.CO and leader.languages == ["es"]
    html = page(client, world.coordinator, f"/programs/{program.pk}/")
    assert "Co-facilitator" in html and "Peer parent leader" in html


def test_a_caregiver_outside_the_program_cannot_be_chosen(world, client, program):
    client.force_login(world.coordinator)
    other = world.other_household.caregivers.get()

    response = client.post(
        f"/programs/{program.pk}/facilitators/",
        {"part": "lead", "kind": "peer_parent_leader", "caregiver": other.pk},
    )

    assert response.status_code == 400
    assert "Choose a parent from the list." in response.content.decode()
    assert not Facilitator.objects.exists()


def test_a_facilitator_without_a_name_is_refused_by_name(world, client, program):
    client.force_login(world.coordinator)
    response = client.post(
        f"/programs/{program.pk}/facilitators/", {"part": "lead", "kind": "community_partner"}
    )

    assert response.status_code == 400
    assert "Enter the facilitator&#x27;s name." in response.content.decode()
    assert not Facilitator.objects.exists()


def test_materials_are_grouped_by_title_with_their_languages(world, client, program):
    client.force_login(world.coordinator)
    for language, url in [
        ("en", "https://example.org/cards.pdf"),
        ("es", "https://example.org/boletas.pdf"),
    ]:
        response = client.post(
            f"/programs/{program.pk}/materials/",
            {"title": "Report card guide", "language": language, "url": url},
        )
        assert response.status_code == 302

    html = page(client, world.coordinator, f"/programs/{program.pk}/")

    assert html.count("<strong>Report card guide</strong>") == 1
    assert 'hreflang="es"' in html and ">Spanish</a>" in html and ">English</a>" in html


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"url": "javascript:alert(1)"}, "Enter a link that starts with https://."),
        ({"title": ""}, "Give the material a title."),
        ({"language": "not a language"}, "not a language"),
    ],
)
def test_a_material_with_bad_input_is_refused_by_name(world, client, program, fields, error):
    client.force_login(world.coordinator)
    data = {"title": "Guide", "language": "es", "url": "https://example.org/g.pdf", **fields}

    response = client.post(f"/programs/{program.pk}/materials/", data)

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Material.objects.exists()


def test_the_topic_catalog_lists_parent_college_family_and_educator_topics(world, client):
    html = page(client, world.coordinator, "/programs/topics/")

    assert "Parent College workshops" in html
    assert "Reading and understanding report cards" in html
    assert "University Day" in html
    assert "Family capacity building" in html and 'type="a"' in html
    assert "Navigating the education system" in html
    assert "Educator capacity building" in html
    assert "Culturally affirming communication" in html


def test_the_navigation_offers_programs_to_those_who_run_them(world, client):
    assert 'aria-current="page">Programs</a>' in page(client, world.coordinator, "/programs/")
    assert ">Programs</a>" not in page(client, world.teacher, "/directory/households/")


def test_a_cancelled_session_is_marked_in_the_curriculum(world, client, program, session):
    services.cancel_session(actor=world.org_admin, session=session)

    html = page(client, world.coordinator, f"/programs/{program.pk}/")

    assert Session.objects.get().status == Session.Status.CANCELLED
    assert "Cancelled" in html
