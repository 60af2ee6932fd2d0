"""Operators' admin: accounts, sign-in codes without their code, the audit log read-only."""

import pytest

from tandem.accounts.models import SignInCode, User
from tandem.accounts.selectors import destination_for_sign_in
from tandem.accounts.services import request_sign_in_code
from tandem.audit.models import AuditEvent
from tandem.audit.services import record


@pytest.fixture
def operator_client(world, client):
    operator = User.objects.create_superuser(email="ops@tandem.test", password="x" * 12)
    client.force_login(operator)
    return client


def test_operators_open_every_accounts_page(world, operator_client):
    record(actor=world.teacher, action="directory.list", shown=3)
    request_sign_in_code(destination=destination_for_sign_in("+1 312 555 0101"), client_address="")
    for url in [
        "/admin/accounts/user/",
        f"/admin/accounts/user/{world.teacher.pk}/change/",
        "/admin/accounts/user/add/",
        "/admin/accounts/membership/",
        "/admin/accounts/signincode/",
        f"/admin/accounts/signincode/{SignInCode.objects.get().pk}/change/",
        "/admin/accounts/staffsigninfailure/",
        "/admin/audit/auditevent/",
        f"/admin/audit/auditevent/{AuditEvent.objects.first().pk}/change/",
        "/admin/outbox/outboxmessage/",
    ]:
        assert operator_client.get(url).status_code == 200, url


def test_operators_add_a_staff_account_by_email(world, operator_client):
    response = operator_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "new.coordinator@riverside.test",
            "name": "Nia New",
            "usable_password": "true",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="new.coordinator@riverside.test").check_password(
        "a long enough passphrase"
    )


def test_a_sign_in_code_page_never_shows_the_code_hash(world, operator_client):
    sign_in = request_sign_in_code(
        destination=destination_for_sign_in("+1 312 555 0101"), client_address=""
    )
    SignInCode.objects.filter(pk=sign_in.pk).update(code_hash="f" * 64)
    page = operator_client.get(f"/admin/accounts/signincode/{sign_in.pk}/change/").text
    assert "f" * 64 not in page


def test_the_audit_log_cannot_be_edited_or_deleted(world, operator_client):
    event = record(actor=world.teacher, action="directory.list", shown=3)
    assert operator_client.get("/admin/audit/auditevent/add/").status_code == 403
    response = operator_client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_admin_sign_in_is_the_staff_sign_in(db, client):
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response["Location"] == "/accounts/staff/sign-in/?next=%2Fadmin%2Faccounts%2Fuser%2F"
    offsite = client.get("/admin/login/?next=https://evil.example.com/")
    assert offsite["Location"] == "/accounts/staff/sign-in/?next=%2Fadmin%2F"


def test_signed_in_non_operators_are_refused_the_admin(world, client):
    client.force_login(world.teacher)
    assert client.get("/admin/login/").status_code == 403
