"""The organization's sending policy: reviewed translations only (the default), or
machine drafts marked as such and reviewed after."""

import pytest
from django.core.exceptions import PermissionDenied

from tandem.translation.selectors import SendingPolicy, sending_policy, text_to_send
from tandem.translation.services import request_translation, set_sending_policy


def test_by_default_only_reviewed_translations_are_sent(world):
    assert sending_policy(world.district) == SendingPolicy.REVIEWED_ONLY


def test_an_administrator_can_allow_machine_drafts(world):
    set_sending_policy(actor=world.org_admin, organization=world.district, send_machine_drafts=True)
    assert sending_policy(world.district) == SendingPolicy.MACHINE_DRAFTS_THEN_REVIEW
    assert sending_policy(world.other_district) == SendingPolicy.REVIEWED_ONLY


@pytest.mark.parametrize("persona", ["teacher", "principal", "outsider", "partner_staff"])
def test_others_cannot_change_the_policy(world, persona):
    with pytest.raises(PermissionDenied):
        set_sending_policy(
            actor=getattr(world, persona), organization=world.district, send_machine_drafts=True
        )
    assert sending_policy(world.district) == SendingPolicy.REVIEWED_ONLY


def test_a_machine_draft_is_sent_only_when_the_policy_allows(world, deepl):
    request = request_translation(
        organization=world.district, text="Hello", source_language="en", target_language="es"
    )
    assert request.is_machine_translated
    assert text_to_send(request, SendingPolicy.REVIEWED_ONLY) is None
    assert text_to_send(request, SendingPolicy.MACHINE_DRAFTS_THEN_REVIEW) == "[ES] Hello"


def test_a_request_waiting_for_a_translator_is_never_sent(world):
    request = request_translation(
        organization=world.district, text="Hello", source_language="en", target_language="es"
    )
    assert text_to_send(request, SendingPolicy.MACHINE_DRAFTS_THEN_REVIEW) is None
