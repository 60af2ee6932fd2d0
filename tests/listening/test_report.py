"""The strengths-and-needs report page: top strengths and needs with counts and quotes,
who took part against the school's families, small groups hidden, anonymous answers
untraceable, per school district-wide; readers of reports see it, others 404."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tandem.directory.services import add_caregiver, add_student, create_household
from tandem.listening.answers import finish_answer_set, save_answer, start_answer_set
from tandem.listening.models import Attendance, ListeningSession, Protocol, Role, Theme
from tandem.listening.report import strengths_and_needs
from tandem.listening.services import create_campaign, shipped_templates
from tests.web.listening_cases import invitation_for


@pytest.fixture(autouse=True)
def _fresh_roster_names():
    """Answers are masked with the roster's names, cached per campaign id."""
    cache.clear()


# Helpers the action and PDF tests share.


def family(world, name: str, language: str = "en", school=None, phone: str | None = None):
    """A household at the school (the elementary by default) with one caregiver."""
    household = create_household(organization=world.district, name=name)
    caregiver = add_caregiver(
        household=household,
        given_name=name,
        family_name="Family",
        preferred_language=language,
        phone=phone,
    )
    add_student(household=household, school=school or world.elementary, given_name="Kid")
    return caregiver


def answer(world, campaign, caregiver, text: str, *, anonymous=False, finish=True, theme=None):
    """The caregiver answers the campaign's first question (and finishes, by default)."""
    invitation = invitation_for(world, campaign, caregiver)
    answer_set = start_answer_set(invitation=invitation, anonymous=anonymous, channel="web")
    saved = save_answer(
        answer_set=answer_set, question=campaign.protocol.questions.first(), text=text
    )
    if theme is not None:
        saved.theme = theme
        saved.save(update_fields=["theme"])
    if finish:
        finish_answer_set(answer_set=answer_set, invitation=invitation)
    return saved


def theme(campaign, label: str, kind: str = Theme.Kind.NEED) -> Theme:
    return Theme.objects.create(
        campaign=campaign, organization=campaign.organization, label=label, kind=kind
    )


def session(campaign, school, counts: dict[tuple[str, str], int]) -> ListeningSession:
    """A listening session with attendance {(role, language): count}."""
    held = ListeningSession.objects.create(
        campaign=campaign,
        organization=campaign.organization,
        school=school,
        starts_at=timezone.now(),
        place="Library",
    )
    Attendance.objects.bulk_create(
        Attendance(session=held, role=role, language=language, count=count)
        for (role, language), count in counts.items()
    )
    return held


def needs_and_strengths(world, campaign):
    """Six families who need rides (one of them María García, anonymously) and two who
    value the teachers; returns the need."""
    ride = theme(campaign, "Transportation to events")
    welcome = theme(campaign, "Welcoming teachers", Theme.Kind.STRENGTH)
    answer(
        world,
        campaign,
        world.caregiver,
        "We cannot get to evening events without a bus, call me at 312 555 0101.",
        anonymous=True,
        theme=ride,
    )
    for index in range(5):
        neighbour = family(world, f"Rider{index}")
        answer(
            world, campaign, neighbour, f"A bus to family night would help us {index}.", theme=ride
        )
    for index in range(2):
        parent = family(world, f"Happy{index}")
        answer(world, campaign, parent, "The teachers greet every family warmly.", theme=welcome)
    return ride


def district_campaign(world, organization=None, actor=None):
    protocol = next(p for p in shipped_templates() if p.template_key == "south-dakota")
    return create_campaign(
        actor=actor or world.org_admin,
        organization=organization or world.district,
        protocol=Protocol.objects.get(pk=protocol.pk),
        name="District listening",
        closes_on=timezone.localdate() + timedelta(days=30),
    )


# The report.


def test_top_needs_and_strengths_show_counts_and_quotes(world, campaign, client):
    needs_and_strengths(world, campaign)
    client.force_login(world.coordinator)

    page = client.get(reverse("listening:report", args=[campaign.pk]))

    assert page.status_code == 200
    text = page.text
    assert "Transportation to events" in text
    assert "6 answers" in text
    assert "A bus to family night would help us 0." in text
    assert "Welcoming teachers" in text
    assert "Fewer than 5 answers" in text  # the strength has two
    assert text.count("Turn into action") == 1  # beside the need only


def test_an_anonymous_answer_leaves_no_trace_on_the_page(world, campaign, client):
    needs_and_strengths(world, campaign)
    client.force_login(world.principal)

    text = client.get(reverse("listening:report", args=[campaign.pk])).text

    assert "evening events without a bus" in text  # what she said counts…
    for trace in ["María", "García", "555", "0101", "maria.garcia", "Web link", "Text message"]:
        assert trace not in text  # …but nothing says who, or how
    today = timezone.localdate()
    assert today.isoformat() not in text
    assert today.strftime("%B %-d") not in text  # months only, never a day
    assert today.strftime("%B %Y") in text


def test_small_groups_show_fewer_than_the_minimum(world, campaign, client):
    answer(world, campaign, world.caregiver, "We need more bus routes please.")
    answer(world, campaign, family(world, "Two", "es"), "Necesitamos un autobús.", finish=False)
    client.force_login(world.coordinator)

    report = strengths_and_needs(campaign)
    text = client.get(reverse("listening:report", args=[campaign.pk])).text

    total = report.participation.total
    assert (total.participants.value, total.participants.hidden) == (2, "small")
    assert all(row.participant_share is None for row in report.participation.languages)
    assert "fewer than 5" in text
    assert ">2<" not in text and ">1<" not in text


def test_representativeness_compares_participants_with_the_schools_caregivers(
    world, campaign, client
):
    # The school's caregivers: 10 English, 6 Spanish (María and 5 more), 5 Somali (Amina
    # and 4 more). Taking part: 6 English, 5 Spanish, no Somali.
    english = [family(world, f"En{index}") for index in range(10)]
    spanish = [world.caregiver] + [family(world, f"Es{index}", "es") for index in range(5)]
    for index in range(4):
        family(world, f"So{index}", "so")
    for caregiver in english[:6] + spanish[:5]:
        answer(world, campaign, caregiver, "The school listens to us.")

    report = strengths_and_needs(campaign)

    rows = {row.language: row for row in report.participation.languages}
    assert [row.language for row in report.participation.languages] == ["en", "es", "so"]
    assert (rows["en"].participants.value, rows["en"].participant_share) == (6, 55)
    assert (rows["en"].families.value, rows["en"].family_share) == (10, 48)
    assert (rows["es"].participant_share, rows["es"].family_share) == (45, 29)
    assert (rows["so"].participants.value, rows["so"].family_share) == (0, 24)
    assert not any(cell.hidden for row in rows.values() for cell in row.cells)
    client.force_login(world.coordinator)
    text = client.get(reverse("listening:report", args=[campaign.pk])).text
    assert "55%" in text and "48%" in text and "24%" in text


def test_session_attendance_counts_by_role_and_language(world, campaign):
    session(
        campaign,
        world.elementary,
        {(Role.FAMILY, "es"): 7, (Role.FAMILY, "en"): 5, (Role.EDUCATOR, "en"): 6},
    )

    report = strengths_and_needs(campaign)

    roles = {row.role: row.attended.value for row in report.participation.roles}
    assert roles == {Role.FAMILY: 12, Role.EDUCATOR: 6, Role.LEADER: 0}
    rows = {row.language: row for row in report.participation.languages}
    assert rows["es"].attended.value == 7
    assert report.participation.attended.value == 18


def test_a_district_report_breaks_down_per_school_with_the_same_suppression(world, client):
    campaign = district_campaign(world)
    session(campaign, world.elementary, {(Role.FAMILY, "en"): 6})
    session(campaign, world.middle, {(Role.FAMILY, "vi"): 2})

    report = strengths_and_needs(campaign)

    assert [group.school for group in report.schools] == [world.elementary, world.middle]
    elementary, middle = report.schools
    assert elementary.total.attended.value == 6 and not elementary.total.attended.hidden
    assert middle.total.attended.hidden == "small"
    # The district's total would give the middle school's two away: hidden as well.
    assert report.participation.total.attended.hidden
    client.force_login(world.district_staff)
    page = client.get(reverse("listening:report", args=[campaign.pk]))
    assert page.status_code == 200
    assert "Riverside Middle" in page.text and "not shown" in page.text

    one_school = client.get(
        reverse("listening:report", args=[campaign.pk]), {"school": world.middle.pk}
    )
    assert one_school.status_code == 200
    assert one_school.context["report"].school == world.middle
    assert one_school.context["report"].schools == []
    assert (
        client.get(
            reverse("listening:report", args=[campaign.pk]), {"school": world.other_school.pk}
        ).status_code
        == 404
    )


def test_the_page_takes_the_same_number_of_queries_however_much_was_said(
    world, campaign, client, django_assert_max_num_queries
):
    client.force_login(world.coordinator)
    url = reverse("listening:report", args=[campaign.pk])
    needs_and_strengths(world, campaign)
    with django_assert_max_num_queries(16) as few:
        client.get(url)
    for index in range(4):
        more = theme(campaign, f"Need {index}")
        for person in range(3):
            answer(
                world,
                campaign,
                family(world, f"More{index}{person}"),
                "Childcare at meetings.",
                theme=more,
            )
    session(campaign, world.elementary, {(Role.FAMILY, "so"): 5, (Role.LEADER, "en"): 2})

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_teacher_reads_the_report_but_cannot_act_on_it(world, campaign, client):
    need = needs_and_strengths(world, campaign)
    client.force_login(world.teacher)

    page = client.get(reverse("listening:report", args=[campaign.pk]))

    assert page.status_code == 200
    assert "Turn into action" not in page.text
    assert client.get(reverse("listening:theme-act", args=[need.pk])).status_code == 403


def test_a_funder_reads_the_report_of_their_organization(world, client):
    campaign = district_campaign(world, world.nonprofit, actor=world.partner_staff)
    client.force_login(world.funder)

    page = client.get(reverse("listening:report", args=[campaign.pk]))

    assert page.status_code == 200
    assert "Turn into action" not in page.text


def test_another_organization_gets_not_found(world, campaign, client):
    client.force_login(world.outsider)

    for name in ["listening:report", "listening:report-pdf", "listening:data-walk"]:
        assert client.get(reverse(name, args=[campaign.pk])).status_code == 404


def test_the_data_walk_is_one_slide_per_strength_need_and_chart(world, campaign, client):
    needs_and_strengths(world, campaign)
    client.force_login(world.coordinator)

    page = client.get(reverse("listening:data-walk", args=[campaign.pk]))

    assert page.status_code == 200
    text = page.text
    assert text.count("data-slide") == 6  # title, a strength, a need, 2 charts, the end
    assert 'id="slide-need-1"' in text and "Transportation to events" in text
    assert "listening/data-walk.js" in text
    assert "García" not in text and "555" not in text
