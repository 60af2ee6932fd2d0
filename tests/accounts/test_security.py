"""The security page: staff turn two-step verification on and off, change passwords."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tandem.audit.models import AuditEvent
from tests.accounts.test_staff_sign_in import authenticator_for, token
from tests.personas import PASSWORD


def post(client, step, **data):
    return client.post("/accounts/security/", {"step": step, **data})


def test_staff_set_up_an_authenticator_app_with_a_qr_code(world, client):
    client.force_login(world.coordinator)
    assert "Set up two-step verification" in client.get("/accounts/security/").text

    assert post(client, "start").status_code == 302
    page = client.get("/accounts/security/").text
    device = TOTPDevice.objects.get(user=world.coordinator)
    assert not device.confirmed
    assert 'src="data:image/svg+xml' in page
    secret = page.split('class="secret" dir="ltr">')[1].split("<")[0].replace(" ", "")
    assert len(secret) == 32

    response = post(client, "confirm", **{"confirm-token": token(device)})

    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert AuditEvent.objects.filter(action="accounts.totp_added").count() == 1


def test_a_wrong_confirmation_code_leaves_verification_off(world, client):
    client.force_login(world.coordinator)
    post(client, "start")
    response = post(client, "confirm", **{"confirm-token": "12345"})
    assert "Enter the 6 digits of the code" in response.text
    response = post(client, "confirm", **{"confirm-token": "000000"})
    assert "That code is not right" in response.text
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_turning_verification_off_needs_the_password(world, client):
    authenticator_for(world.coordinator)
    client.force_login(world.coordinator)

    response = post(client, "remove", **{"remove-password": "wrong"})
    assert "That password is not right" in response.text
    assert TOTPDevice.objects.filter(user=world.coordinator).exists()

    post(client, "remove", **{"remove-password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=world.coordinator).exists()


def test_staff_change_their_password_and_stay_signed_in(world, client):
    client.force_login(world.coordinator)
    new = "a much longer passphrase 2026"
    response = post(client, "password", old_password="wrong", new_password1=new, new_password2=new)
    assert "Your old password was entered incorrectly" in response.text

    response = post(client, "password", old_password=PASSWORD, new_password1=new, new_password2=new)

    assert response.status_code == 302
    world.coordinator.refresh_from_db()
    assert world.coordinator.check_password(new)
    assert client.get("/accounts/security/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.password_changed").exists()


def test_families_have_nothing_to_set_up(world, client):
    client.force_login(world.family)
    page = client.get("/accounts/security/").text
    assert "no password or app to set up" in page
    assert post(client, "start").status_code == 200
    assert not TOTPDevice.objects.exists()


def test_the_security_page_needs_a_sign_in(db, client):
    response = client.get("/accounts/security/")
    assert response["Location"].startswith("/accounts/sign-in/?next=")
