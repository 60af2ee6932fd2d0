"""Composing a message asks the machine engine for its drafts before opening the
database transaction: an engine may take seconds, and no writer may wait on it."""

import pytest
from django.db import connections

from tandem.directory.services import add_caregiver, add_student, create_household
from tandem.messaging.compose import compose_message
from tandem.messaging.models import Message
from tandem.translation.models import TranslationRequest
from tests.personas import build_world
from tests.translation.conftest import deepl  # noqa: F401  (the fixture)


@pytest.mark.django_db(transaction=True)
def test_machine_drafts_are_made_outside_the_transaction(deepl):  # noqa: F811
    world = build_world()
    household = create_household(organization=world.district, name="Tran")
    add_caregiver(
        household=household, given_name="Lan", preferred_language="vi", phone="+13125550203"
    )
    add_student(household=household, school=world.elementary, given_name="K", grade="03")
    connection = connections["default"]
    seen_inside_transaction = []
    deepl.on_request = lambda: seen_inside_transaction.append(connection.in_atomic_block)

    message = compose_message(
        actor=world.teacher,
        organization=world.district,
        audience=Message.Audience.GRADE,
        school=world.elementary,
        grade="03",
        body="Report cards go home on Friday.",
        language="en",
    )

    assert seen_inside_transaction == [False, False]  # Spanish and Vietnamese
    drafts = TranslationRequest.objects.filter(object_id=str(message.pk))
    assert {d.target_language: d.status for d in drafts} == {
        "es": TranslationRequest.Status.MACHINE_DRAFT,
        "vi": TranslationRequest.Status.MACHINE_DRAFT,
    }
