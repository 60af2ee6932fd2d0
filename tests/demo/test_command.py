"""`tandem demo`: builds once, reuses after, prints every sign-in, refuses what it cannot do."""

import socket
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tandem.accounts.roles import Role
from tandem.directory.demo import DEMO_PASSWORD
from tandem.directory.models import Caregiver, Household, Student


def demo(*args):
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def counts():
    return Household.objects.count(), Caregiver.objects.count(), Student.objects.count()


def test_running_it_again_reuses_the_district(db):
    first = demo("--households", "50", "--no-serve")
    built = counts()
    household_ids = list(Household.objects.values_list("pk", flat=True))

    again = demo("--households", "50", "--no-serve")

    assert "Built 50 households" in first
    assert "Reusing the demo district (50 households)" in again
    assert counts() == built
    assert list(Household.objects.values_list("pk", flat=True)) == household_ids


def test_reset_builds_the_district_again(db):
    demo("--households", "30", "--no-serve")
    before = set(Household.objects.values_list("pk", flat=True))

    output = demo("--households", "40", "--no-serve", "--reset")

    assert "Built 40 households" in output
    assert Household.objects.count() == 40
    assert not before & set(Household.objects.values_list("pk", flat=True))


def test_it_prints_a_sign_in_for_every_role_and_the_family_persona(db):
    output = demo("--households", "20", "--no-serve", "--port", "8123")

    for role in Role:
        assert str(role.label) in output
    assert DEMO_PASSWORD in output
    assert "http://127.0.0.1:8123/" in output
    assert "(312) 555-0100" in output
    assert "guadalupe.ramirez@example.com" in output
    assert "/outbox/" in output


@pytest.mark.parametrize("households", ["0", "-5", "99999999"])
def test_an_impossible_number_of_households_is_refused_with_a_message(db, households):
    with pytest.raises(CommandError, match="--households must be between 1 and"):
        demo("--households", households, "--no-serve")
    assert Household.objects.count() == 0


def test_a_port_in_use_is_reported_before_anything_is_built(db):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError, match=f"Cannot serve on 127.0.0.1:{port}"):
            demo("--households", "5", "--port", str(port))
    assert Household.objects.count() == 0


def test_it_refuses_to_fill_a_production_database(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="does not run with TANDEM_ENV=production"):
        demo("--households", "5", "--no-serve")
    assert Household.objects.count() == 0


def test_reset_works_after_messages_were_sent_in_the_demo(db):
    from tandem.accounts.models import Membership
    from tandem.messaging.compose import compose_message
    from tandem.messaging.models import Message

    demo("--households", "60", "--no-serve")
    principal = Membership.objects.filter(role=Role.PRINCIPAL).select_related("school").first()
    compose_message(
        actor=principal.user,
        organization=principal.organization,
        audience=Message.Audience.SCHOOL,
        school=principal.school,
        body="Report cards go home on Friday.",
        language="en",
    )

    output = demo("--households", "20", "--no-serve", "--reset")

    assert "Built 20 households" in output
    assert not Message.objects.exists()
