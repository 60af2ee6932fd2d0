"""The pages of checking in: the kiosk at the door (its QR code, and a phone number for
families without a smartphone) and the page the code opens on a family's phone, driven
over HTTP the way a phone would."""

import re

import requests
from django.urls import reverse
from django.utils.translation import get_language_info

from tandem.programs.checkin import WRONG_NUMBERS_PER_HOUR, checkin_token
from tandem.programs.invitations import invitation_token
from tandem.programs.models import Attendance
from tests.programs.test_checkin import MARIA_PHONE, family, today_session
from tests.web.programs_cases import make_session

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def checkin_page(session) -> str:
    return reverse("join:checkin", args=[checkin_token(session.pk)])


def test_a_family_scans_the_kiosk_code_and_checks_in_from_their_phone(
    live_server, live_world, client, settings
):
    world = live_world
    settings.TANDEM_PUBLIC_URL = live_server.url
    session = today_session(world)
    client.force_login(world.coordinator)

    kiosk = client.get(reverse("programs:session-kiosk", args=[session.pk])).text
    assert '<svg viewBox="' in kiosk and "QR code to check in" in kiosk
    [url] = re.findall(re.escape(live_server.url) + r"/p/checkin/[^\"<\s]+/", kiosk)

    with requests.Session() as phone:
        phone.headers["Accept-Language"] = "es"
        page = phone.get(url, timeout=10)
        assert page.status_code == 200 and '<html lang="es"' in page.text
        token = CSRF.search(page.text)[1]
        done = phone.post(
            url, data={"csrfmiddlewaretoken": token, "phone": MARIA_PHONE}, timeout=10
        )
        assert done.status_code == 200
        assert "María" in done.text and '<html lang="es"' in done.text
        again = phone.post(
            url, data={"csrfmiddlewaretoken": token, "phone": MARIA_PHONE}, timeout=10
        )
        assert again.status_code == 200

    [attendance] = Attendance.objects.filter(session=session)
    assert attendance.caregiver_id == world.caregiver.pk and attendance.method == "qr"
    assert attendance.checked_in_by is None


def test_welcome_by_name_in_the_familys_page(world, client):
    session = today_session(world)

    response = client.post(checkin_page(session), {"phone": MARIA_PHONE})

    # The page turns to María's language once it knows her.
    assert response.status_code == 200
    assert "¡Le damos la bienvenida, María! Ya se registró." in response.text
    again = client.post(checkin_page(session), {"phone": MARIA_PHONE})
    assert "Ya se registró la llegada a las" in again.text
    assert Attendance.objects.count() == 1


def test_from_the_invitation_link_one_tap_checks_in(world, client, invite):
    session = today_session(world)
    link = invitation_token(invite(session).pk)

    page = client.get(checkin_page(session), {"i": link})
    assert "¿Es usted María?" in page.text

    response = client.post(checkin_page(session), {"i": link, "me": "1"})

    assert "¡Le damos la bienvenida, María!" in response.text
    assert Attendance.objects.get().method == "qr"


def test_an_invitation_to_another_session_is_no_shortcut(world, client, invite):
    session = today_session(world)
    other = invitation_token(invite(make_session(world)).pk)

    page = client.get(checkin_page(session), {"i": other})
    assert "Are you" not in page.text
    response = client.post(checkin_page(session), {"i": other, "me": "1"})

    assert response.status_code == 400 and not Attendance.objects.exists()


def test_a_full_session_refuses_a_family_without_a_place_and_says_why(world, client):
    session = today_session(world, capacity=1)
    client.post(checkin_page(session), {"phone": "+1 312 555 0103"})  # Amina, first

    response = client.post(checkin_page(session), {"phone": MARIA_PHONE})

    assert response.status_code == 409
    assert "This session is full. Please see the staff at the door." in response.text
    assert Attendance.objects.count() == 1


def test_an_unknown_number_is_sent_to_the_staff_and_too_many_are_refused(world, client):
    session = today_session(world)

    response = client.post(checkin_page(session), {"phone": "312 555 0199"})

    assert response.status_code == 400
    assert "We could not find this number. Please see the staff at the door." in response.text
    for _ in range(WRONG_NUMBERS_PER_HOUR - 1):
        client.post(checkin_page(session), {"phone": "312 555 0199"})
    limited = client.post(checkin_page(session), {"phone": MARIA_PHONE})
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert "too many tries" in limited.text
    assert not Attendance.objects.exists()


def test_before_the_day_and_after_a_cancellation_the_page_says_so(world, client):
    from tandem.programs.services import cancel_session

    upcoming = make_session(world)

    page = client.get(checkin_page(upcoming))
    assert "Check-in opens on the day of the session." in page.text
    assert 'name="phone"' not in page.text
    client.post(checkin_page(upcoming), {"phone": MARIA_PHONE})
    assert not Attendance.objects.exists()

    cancel_session(actor=world.org_admin, session=upcoming)
    assert "This session was cancelled." in client.get(checkin_page(upcoming)).text


def test_a_link_we_did_not_make_is_not_found(world, client):
    response = client.get(reverse("join:checkin", args=["12-notarealtoken00"]))

    assert response.status_code == 404
    assert "This link is not valid" in response.text


def test_the_kiosk_checks_in_by_phone_number_for_families_without_a_smartphone(world, client):
    session = today_session(world)
    client.force_login(world.coordinator)
    kiosk = reverse("programs:session-kiosk", args=[session.pk])

    done = client.post(kiosk, {"phone": MARIA_PHONE})
    unknown = client.post(kiosk, {"phone": "312 555 0199"})

    assert "Welcome, María! You are checked in." in done.text
    assert f'url={kiosk}"' in done.text  # back to the kiosk for the next person
    assert unknown.status_code == 400
    assert "Please see the staff at the door." in unknown.text
    attendance = Attendance.objects.get()
    assert attendance.method == "kiosk" and attendance.caregiver == world.caregiver


def test_the_kiosk_offers_every_language_tandem_speaks(world, client):
    session = today_session(world)
    client.force_login(world.coordinator)

    page = client.get(reverse("programs:session-kiosk", args=[session.pk])).text

    for code in ["en", "es", "ar"]:
        name = get_language_info(code)["name_local"]
        assert f'value="{code}" lang="{code}" class="button' in page and name in page


def test_a_guest_family_without_a_phone_on_file_asks_the_staff(world, client):
    session = today_session(world)
    family(world, "Rosa")  # in the directory, with no phone

    response = client.post(checkin_page(session), {"phone": "312 555 0142"})

    assert "Please see the staff at the door." in response.text
