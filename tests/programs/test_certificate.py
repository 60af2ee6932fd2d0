"""Parent College completion: a family who came to enough sessions gets a certificate,
a PDF in their language (WeasyPrint), printed by staff or downloaded by the family with
their invitation link; before completing, there is none."""

import io
from datetime import timedelta

import pypdf
from django.urls import reverse
from django.utils import timezone

from tandem.programs.attendance import check_in_caregiver
from tandem.programs.invitations import invitation_token
from tests.programs.test_checkin import family
from tests.web.programs_cases import make_program, make_session

SPANISH_MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto"]
SPANISH_MONTHS += ["septiembre", "octubre", "noviembre", "diciembre"]


def parent_college(world, *, sessions: int = 3, to_complete: int = 2):
    """A Parent College year with `sessions` workshops that already took place."""
    program = make_program(
        world,
        name="Parent College 2025–2026",
        kind="parent_college",
        sessions_to_complete=to_complete,
    )
    topics = ["academics", "report_cards", "empowerment", "college_access"]
    now = timezone.now()
    return program, [
        make_session(
            world,
            program=program,
            title=topic,
            topic=topic,
            starts_at=now - timedelta(days=30 * (sessions - n)),
        )
        for n, topic in enumerate(topics[:sessions])
    ]


def attend(sessions, caregiver) -> None:
    for session in sessions:
        check_in_caregiver(
            session=session, caregiver=caregiver, method="roster", now=session.starts_at
        )


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_a_spanish_family_that_completed_gets_a_spanish_certificate(world, client):
    program, sessions = parent_college(world)
    attend(sessions[:2], world.caregiver)
    client.force_login(world.coordinator)

    response = client.get(reverse("programs:certificate", args=[program.pk, world.caregiver.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "María García" in text
    assert "Certificado" in text
    assert "Certificate" not in text
    assert any(f" de {month} de " in text for month in SPANISH_MONTHS)  # dates in Spanish


def test_an_english_family_reads_theirs_in_english_with_the_sessions_they_came_to(world, client):
    program, sessions = parent_college(world)
    robin = family(world, "Robin", "Lee", "en")
    attend(sessions, robin)
    client.force_login(world.coordinator)

    pdf = client.get(reverse("programs:certificate", args=[program.pk, robin.pk])).content

    text = text_of(pdf)
    assert "Certificate of completion" in text and "Robin Lee" in text
    assert "has completed Parent College 2025–2026" in text
    assert "attending 3 sessions" in text
    assert "Reading and understanding report cards" in text  # the topic's catalog name


def test_no_certificate_before_completing(world, client, invite):
    program, sessions = parent_college(world)
    attend(sessions[:1], world.caregiver)
    token = invitation_token(invite(sessions[0]).pk)
    client.force_login(world.coordinator)

    staff = client.get(reverse("programs:certificate", args=[program.pk, world.caregiver.pk]))
    client.logout()
    own = client.get(reverse("join:certificate", args=[token]))

    assert staff.status_code == 404 and own.status_code == 404


def test_a_program_without_a_certificate_gives_none(world, client):
    program = make_program(world)  # no number of sessions to complete
    session = make_session(world, program=program, starts_at=timezone.now() - timedelta(days=7))
    attend([session], world.caregiver)
    client.force_login(world.coordinator)

    response = client.get(reverse("programs:certificate", args=[program.pk, world.caregiver.pk]))

    assert response.status_code == 404


def test_the_family_downloads_their_own_certificate_with_their_invitation_link(
    world, client, invite
):
    _program, sessions = parent_college(world)
    attend(sessions[:2], world.caregiver)
    token = invitation_token(invite(sessions[1]).pk)

    response = client.get(reverse("join:certificate", args=[token]))

    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert "María García" in text_of(response.content)
    assert client.get(reverse("join:certificate", args=["7-forged0000000000"])).status_code == 404
