"""Staff sign in with email and password, then a code from their authenticator app if
they turned two-step verification on; failures are limited per account and address."""

import pytest
from django.contrib.auth import SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp

from tandem.accounts import services
from tandem.accounts.models import StaffSignInFailure
from tandem.audit.models import AuditEvent
from tests.personas import PASSWORD


def sign_in(
    client, email="teacher@riverside.test", password=PASSWORD, address="203.0.113.9", **extra
):
    return client.post(
        "/accounts/staff/sign-in/",
        {"email": email, "password": password, **extra},
        REMOTE_ADDR=address,
    )


def authenticator_for(user):
    """Turn two-step verification on the way a person would, and return the device."""
    device = services.start_totp_setup(user=user)
    assert services.confirm_totp_device(user=user, device=device, token=token(device))
    device.refresh_from_db()
    return device


def token(device, steps_ahead: int = 0) -> str:
    # The device refuses a code twice in one 30-second step, so later codes look ahead.
    value = totp(device.bin_key, device.step, device.t0, device.digits, steps_ahead)
    return f"{value:06d}"


def test_staff_sign_in_with_email_and_password(world, client):
    session_before = client.session.session_key
    response = sign_in(client, email="Teacher@Riverside.test")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert int(client.session[SESSION_KEY]) == world.teacher.pk
    assert client.session.session_key != session_before
    assert AuditEvent.objects.filter(action="accounts.sign_in", actor=world.teacher).exists()


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(world, client):
    response = sign_in(client, password="not it")
    assert response.status_code == 200
    assert "That email address and password do not match an account" in response.text
    assert SESSION_KEY not in client.session
    assert StaffSignInFailure.objects.count() == 1
    unknown = sign_in(client, email="nobody@riverside.test")
    assert "That email address and password do not match an account" in unknown.text


def test_repeated_failures_lock_the_account_from_that_address(world, client, settings):
    settings.TANDEM_STAFF_SIGN_IN_FAILURES_PER_HOUR = 3
    for _attempt in range(3):
        sign_in(client, password="guess")

    response = sign_in(client)  # even the right password, for now

    assert response.status_code == 429
    assert "too many failed attempts" in response.text
    assert "Please try again in" in response.text
    assert SESSION_KEY not in client.session
    # Someone else, or the same person elsewhere, is not locked out.
    assert sign_in(client, address="198.51.100.20").status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(world, client, settings):
    settings.TANDEM_STAFF_SIGN_IN_FAILURES_PER_HOUR = 3
    sign_in(client, password="typo")
    sign_in(client, password="typo")
    sign_in(client)
    assert StaffSignInFailure.objects.count() == 0


def test_two_step_verification_is_asked_for_when_turned_on(world, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no pause after the wrong code below
    device = authenticator_for(world.principal)

    response = sign_in(client, email="principal@riverside.test")

    assert response["Location"] == "/accounts/staff/verify/"
    assert SESSION_KEY not in client.session
    assert client.get("/family/").status_code == 302  # not signed in yet

    wrong = client.post("/accounts/staff/verify/", {"token": "000000"}, REMOTE_ADDR="203.0.113.9")
    assert "That code is not right" in wrong.text
    assert SESSION_KEY not in client.session

    response = client.post(
        "/accounts/staff/verify/", {"token": token(device, 1)}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == world.principal.pk
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert AuditEvent.objects.filter(
        action="accounts.sign_in", actor=world.principal, detail__method="password+totp"
    ).exists()


def test_after_a_wrong_code_the_device_asks_for_a_pause(world, client):
    device = authenticator_for(world.principal)
    sign_in(client, email="principal@riverside.test")
    client.post("/accounts/staff/verify/", {"token": "000000"}, REMOTE_ADDR="203.0.113.9")

    response = client.post(
        "/accounts/staff/verify/", {"token": token(device, 1)}, REMOTE_ADDR="203.0.113.9"
    )

    assert "before trying another code" in response.text
    assert SESSION_KEY not in client.session


def test_wrong_verification_codes_count_as_failures(world, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.TANDEM_STAFF_SIGN_IN_FAILURES_PER_HOUR = 2
    authenticator_for(world.principal)
    sign_in(client, email="principal@riverside.test")
    client.post("/accounts/staff/verify/", {"token": "000000"}, REMOTE_ADDR="203.0.113.9")
    client.post("/accounts/staff/verify/", {"token": "000001"}, REMOTE_ADDR="203.0.113.9")

    response = client.post(
        "/accounts/staff/verify/", {"token": "000002"}, REMOTE_ADDR="203.0.113.9"
    )

    assert response.status_code == 429


def test_the_verification_step_needs_the_password_step_first(world, client):
    response = client.get("/accounts/staff/verify/")
    assert response["Location"] == "/accounts/staff/sign-in/"


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example.com/", "//evil.example.com", "http://testserver.evil.com/"],
)
def test_staff_sign_in_never_redirects_to_another_site(world, client, next_url):
    response = sign_in(client, next=next_url)
    assert response["Location"] == "/"


def test_staff_sign_in_goes_on_to_the_page_asked_for(world, client):
    page = client.get("/accounts/staff/sign-in/?next=/accounts/security/")
    assert 'value="/accounts/security/"' in page.text
    response = sign_in(client, next="/accounts/security/")
    assert response["Location"] == "/accounts/security/"


def test_signing_out_takes_a_post(world, client):
    client.force_login(world.teacher)
    assert client.get("/accounts/sign-out/").status_code == 405
    assert SESSION_KEY in client.session
    response = client.post("/accounts/sign-out/")
    assert response["Location"] == "/"
    assert SESSION_KEY not in client.session


def test_failed_sign_ins_are_audited_without_the_email(world, client):
    sign_in(client, password="nope")
    event = AuditEvent.objects.get(action="accounts.sign_in_failed")
    assert "teacher" not in str(event.detail)
    assert event.actor is None
