"""Families sign in with a one-time code sent by text message or email, never a password."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from tandem.accounts import codes, services
from tandem.accounts.models import SignInCode, User
from tandem.audit.models import AuditEvent
from tandem.directory.models import ContactPoint
from tandem.directory.services import add_caregiver, create_household
from tandem.outbox.models import OutboxMessage
from tests.accounts.conftest import code_in, last_sms_code

PHONE = "+13125550101"  # María García's mobile in the personas' world


def enter_code(client, code: str):
    return client.post("/accounts/sign-in/code/", {"code": code})


def test_a_family_signs_in_with_the_code_sent_by_text_message(world, client, ask_for_code):
    response = ask_for_code("(312) 555-0101")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-in/code/"
    session_before = client.session.session_key

    response = enter_code(client, last_sms_code(PHONE))

    assert response.status_code == 302
    assert response["Location"] == "/family/"
    assert int(client.session[SESSION_KEY]) == world.family.pk
    assert client.session.session_key != session_before
    contact = ContactPoint.objects.get(value=PHONE)
    assert contact.verified_at is not None
    assert client.get("/family/").status_code == 200


def test_the_code_comes_in_the_caregivers_language(world, ask_for_code):
    ask_for_code("+1 312 555 0101")
    message = OutboxMessage.objects.get(to=PHONE)
    assert "código" in message.body  # María prefers Spanish


def test_a_language_tandem_does_not_ship_gets_the_code_in_english(world, ask_for_code):
    ask_for_code("+1 312 555 0103")  # Amina Hassan prefers Somali
    message = OutboxMessage.objects.get(to="+13125550103")
    assert "Your Tandem sign-in code is" in message.body


def test_a_code_by_email_signs_in_too(world, client, ask_for_code, mailoutbox):
    ask_for_code("  Maria.Garcia@Example.com ")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["maria.garcia@example.com"]

    response = enter_code(client, code_in(mailoutbox[0].body))

    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == world.family.pk


def test_the_first_sign_in_creates_the_caregivers_account(world, client, ask_for_code):
    amina = world.neighbour_household.caregivers.get()
    assert amina.user_id is None

    ask_for_code("+1 312 555 0103")
    enter_code(client, last_sms_code("+13125550103"))

    amina.refresh_from_db()
    assert amina.user_id is not None
    assert int(client.session[SESSION_KEY]) == amina.user_id
    assert not amina.user.has_usable_password()


def test_an_unknown_contact_gets_exactly_the_same_answer(world, client, ask_for_code):
    from django.test import Client

    known = ask_for_code("+1 312 555 0101", browser=Client(), address="198.51.100.1")
    unknown = ask_for_code("+1 312 555 0199", browser=client, address="198.51.100.2")

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    page = client.get(unknown["Location"])
    assert "If this number or address is in our records, we sent a code" in page.text
    assert not OutboxMessage.objects.filter(to="+13125550199").exists()
    # The request is still counted, so rate limits cannot tell known from unknown.
    assert SignInCode.objects.filter(caregiver=None).count() == 1
    assert enter_code(client, "123456").status_code == 200
    assert SESSION_KEY not in client.session


def test_something_that_is_neither_a_phone_nor_an_email_is_explained(world, client):
    response = client.post("/accounts/sign-in/", {"destination": "hello there"})
    assert response.status_code == 200
    assert "neither a mobile number nor an email address" in response.text
    assert not SignInCode.objects.exists()


def test_an_expired_code_is_refused(world, client, ask_for_code):
    ask_for_code("+1 312 555 0101")
    code = last_sms_code(PHONE)
    # An hour later.
    SignInCode.objects.update(expires_at=timezone.now() - timedelta(minutes=50))

    response = enter_code(client, code)

    assert "This code has expired or was already used" in response.text
    assert SESSION_KEY not in client.session


def test_a_code_works_only_once(world, ask_for_code):
    ask_for_code("+1 312 555 0101")
    code = last_sms_code(PHONE)
    destination = codes.destination_hash("phone", PHONE)

    assert services.redeem_sign_in_code(destination_hash=destination, code=code) == world.family
    with pytest.raises(services.CodeRejected) as second:
        services.redeem_sign_in_code(destination_hash=destination, code=code)
    assert second.value.reason == services.CodeRejected.EXPIRED


def test_five_wrong_codes_lock_the_code(world, client, ask_for_code):
    ask_for_code("+1 312 555 0101")
    right = last_sms_code(PHONE)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    for tries_left in [4, 3, 2, 1]:
        response = enter_code(client, wrong)
        assert f"You can try {tries_left} more time" in response.text
    response = enter_code(client, wrong)
    assert "entered wrongly too many times" in response.text

    response = enter_code(client, right)
    assert "entered wrongly too many times" in response.text
    assert SESSION_KEY not in client.session


def test_a_new_code_replaces_the_old_one(world, client, ask_for_code):
    ask_for_code("+1 312 555 0101")
    first = last_sms_code(PHONE)
    ask_for_code("+1 312 555 0101")
    second = last_sms_code(PHONE)
    assert OutboxMessage.objects.filter(to=PHONE).count() == 2

    if first != second:  # one chance in a million they are the same
        assert "That code is not right" in enter_code(client, first).text
        assert SESSION_KEY not in client.session
    assert enter_code(client, second).status_code == 302
    assert int(client.session[SESSION_KEY]) == world.family.pk


def test_too_many_codes_to_one_number_are_refused_politely(world, settings, ask_for_code):
    settings.TANDEM_SIGN_IN_CODES_PER_DESTINATION_PER_HOUR = 2
    for address in ["198.51.100.1", "198.51.100.2"]:
        assert ask_for_code("+1 312 555 0101", address=address).status_code == 302

    response = ask_for_code("+1 312 555 0101", address="198.51.100.3")

    assert response.status_code == 429
    assert "Please try again in 60 minutes" in response.text
    assert int(response["Retry-After"]) > 3500
    assert OutboxMessage.objects.filter(to=PHONE).count() == 2
    assert SignInCode.objects.count() == 2


def test_too_many_codes_from_one_address_are_refused(world, settings, ask_for_code):
    settings.TANDEM_SIGN_IN_CODES_PER_ADDRESS_PER_HOUR = 2
    ask_for_code("+1 312 555 0101")
    ask_for_code("+1 312 555 0102")

    response = ask_for_code("+1 312 555 0103")

    assert response.status_code == 429
    assert not OutboxMessage.objects.filter(to="+13125550103").exists()
    assert OutboxMessage.objects.count() == 2


def test_unknown_contacts_count_towards_the_limit_like_known_ones(world, settings, ask_for_code):
    settings.TANDEM_SIGN_IN_CODES_PER_DESTINATION_PER_HOUR = 1
    assert ask_for_code("+1 312 555 0199", address="198.51.100.1").status_code == 302
    assert ask_for_code("+1 312 555 0199", address="198.51.100.2").status_code == 429


def test_codes_are_stored_only_as_keyed_hashes(world, ask_for_code):
    ask_for_code("+1 312 555 0101")
    code = last_sms_code(PHONE)
    row = SignInCode.objects.get()
    stored = " ".join(str(value) for value in SignInCode.objects.values().get().values())
    assert code not in stored
    assert PHONE not in stored
    assert row.code_hash == codes.code_hash(code, sign_in_id=row.pk)


def test_signing_in_goes_on_to_a_page_of_this_site(world, client, ask_for_code):
    ask_for_code("+1 312 555 0101", next_url="/family/export/")
    response = enter_code(client, last_sms_code(PHONE))
    assert response["Location"] == "/family/export/"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example.com/", "//evil.example.com/", "javascript:alert(1)"]
)
def test_signing_in_never_redirects_to_another_site(world, client, ask_for_code, next_url):
    ask_for_code("+1 312 555 0101", next_url=next_url)
    response = enter_code(client, last_sms_code(PHONE))
    assert response["Location"] == "/family/"


def test_a_staff_account_cannot_be_opened_with_a_code(world, client, ask_for_code):
    household = create_household(organization=world.district, name="Teacher's own")
    caregiver = add_caregiver(household=household, given_name="Tess", phone="+1 312 555 0150")
    caregiver.user = world.teacher  # the teacher is also a parent at the district
    caregiver.save()

    ask_for_code("+1 312 555 0150")
    response = enter_code(client, last_sms_code("+13125550150"))

    assert "This account signs in with a password" in response.text
    assert SESSION_KEY not in client.session


def test_the_sign_in_audit_row_holds_no_personal_data(world, client, ask_for_code):
    ask_for_code("+1 312 555 0101")
    enter_code(client, last_sms_code(PHONE))

    event = AuditEvent.objects.get(action="accounts.sign_in")
    assert event.actor == world.family
    assert event.object_id == str(world.caregiver.pk)
    text = str(event.detail)
    for personal in [PHONE, "5550101", "maria", "María", "García"]:
        assert personal not in text


def test_the_code_page_without_a_request_sends_you_to_ask_for_one(world, client):
    response = client.get("/accounts/sign-in/code/")
    assert response["Location"] == "/accounts/sign-in/"


def test_the_code_field_helps_phones_fill_it_in(world, client, ask_for_code):
    ask_for_code("+1 312 555 0101")
    page = client.get("/accounts/sign-in/code/").text
    assert 'inputmode="numeric"' in page
    assert 'autocomplete="one-time-code"' in page


def test_the_sign_in_page_is_in_spanish_for_spanish_speakers(db, client):
    page = client.get("/accounts/sign-in/", HTTP_ACCEPT_LANGUAGE="es").text
    assert "Iniciar sesión" in page
    assert "Número de celular o correo electrónico" in page


def test_the_sign_in_page_reads_right_to_left_in_arabic(db, client):
    page = client.get("/accounts/sign-in/", HTTP_ACCEPT_LANGUAGE="ar").text
    assert 'dir="rtl"' in page
    assert "تسجيل الدخول" in page


def test_signing_in_sets_the_page_language_from_the_caregivers_language(
    world, client, ask_for_code
):
    amina_like = add_caregiver(
        household=world.household,
        given_name="Rosa",
        preferred_language="es-MX",
        phone="+1 312 555 0160",
    )
    ask_for_code("+1 312 555 0160")
    enter_code(client, last_sms_code("+13125550160"))
    amina_like.refresh_from_db()
    assert User.objects.get(pk=amina_like.user_id).language == "es"
