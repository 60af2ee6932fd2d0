"""Reviewing a request: approve or save edited text, by those allowed, with the hook
other apps listen to."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.accounts.roles import Role
from tandem.accounts.services import create_staff_user, grant_membership
from tandem.audit.models import AuditEvent
from tandem.translation.models import MemorySegment, TranslationRequest
from tandem.translation.selectors import all_approved, translations_for
from tandem.translation.services import approve_translation, request_translation, save_draft
from tandem.translation.signals import translation_approved

Status = TranslationRequest.Status


def _ask(world, language="es", object_id="7", organization=None):
    return request_translation(
        organization=organization or world.district,
        text="The science fair is on May 3.",
        source_language="en",
        target_language=language,
        purpose="messaging.message",
        object_id=object_id,
    )


@pytest.fixture
def heard():
    received = []

    def listener(sender, request, **kwargs):
        received.append(request.pk)

    translation_approved.connect(listener)
    yield received
    translation_approved.disconnect(listener)


def test_approving_stores_memory_audits_and_signals_after_commit(
    world, heard, django_capture_on_commit_callbacks
):
    request = _ask(world)
    with django_capture_on_commit_callbacks(execute=True):
        approved = approve_translation(
            actor=world.coordinator, request=request, text=" La feria de ciencias es el 3 de mayo. "
        )
        assert heard == []  # not before the transaction commits

    assert heard == [request.pk]
    assert approved.status == Status.APPROVED
    assert approved.origin == TranslationRequest.Origin.HUMAN
    assert approved.reviewed_by == world.coordinator
    assert approved.draft_text == "La feria de ciencias es el 3 de mayo."
    segment = MemorySegment.objects.get(organization=world.district, target_language="es")
    assert segment.approved_by == world.coordinator
    event = AuditEvent.objects.get(action="translation.approve")
    assert event.object_id == str(request.pk)
    assert "feria" not in str(event.detail)


def test_all_approved_tells_messaging_when_every_language_is_ready(world):
    spanish = _ask(world, "es")
    vietnamese = _ask(world, "vi")
    key = {"organization": world.district, "purpose": "messaging.message", "object_id": "7"}
    assert set(translations_for(**key)) == {"es", "vi"}
    assert not all_approved(**key)

    approve_translation(actor=world.teacher, request=spanish, text="La feria es el 3 de mayo.")
    assert not all_approved(**key)
    approve_translation(actor=world.teacher, request=vietnamese, text="Hội chợ khoa học 3/5.")
    assert all_approved(**key)
    assert not all_approved(organization=world.district, purpose="messaging.message", object_id="8")


def test_asking_again_for_the_same_object_returns_the_same_request(world):
    first = _ask(world)
    assert _ask(world).pk == first.pk
    changed = request_translation(
        organization=world.district,
        text="The science fair moved to May 10.",
        source_language="en",
        target_language="es",
        purpose="messaging.message",
        object_id="7",
    )
    assert changed.pk == first.pk
    assert changed.source_text == "The science fair moved to May 10."
    assert TranslationRequest.objects.count() == 1


def test_saving_edited_text_keeps_the_request_pending(world):
    request = _ask(world)
    saved = save_draft(actor=world.teacher, request=request, text="La feria es el 3 de mayo.")
    assert saved.is_pending
    assert saved.draft_text == "La feria es el 3 de mayo."
    assert not MemorySegment.objects.exists()


@pytest.mark.parametrize("persona", ["partner_staff", "funder", "family", "outsider"])
def test_only_reviewers_of_the_organization_may_approve(world, persona):
    request = _ask(world)
    with pytest.raises(PermissionDenied):
        approve_translation(actor=getattr(world, persona), request=request, text="Hola")
    request.refresh_from_db()
    assert request.is_pending


def test_a_parent_leader_may_review(world):
    leader = create_staff_user(email="leader@riverside.test", name="Lia Leader")
    grant_membership(
        user=leader, organization=world.district, role=Role.PARENT_LEADER, school=world.middle
    )
    approved = approve_translation(actor=leader, request=_ask(world), text="Hola")
    assert approved.status == Status.APPROVED


def test_an_empty_translation_is_refused_and_changes_nothing(world):
    request = _ask(world)
    with pytest.raises(ValidationError):
        approve_translation(actor=world.teacher, request=request, text="   \n ")
    request.refresh_from_db()
    assert request.is_pending and not MemorySegment.objects.exists()


@pytest.mark.parametrize("bad", [{"text": "   "}, {"target_language": "klingon-ish"}])
def test_bad_requests_are_refused(world, bad):
    arguments = {
        "organization": world.district,
        "text": "Hello",
        "source_language": "en",
        "target_language": "es",
        **bad,
    }
    with pytest.raises(ValidationError):
        request_translation(**arguments)
    assert not TranslationRequest.objects.exists()


def test_right_to_left_and_emoji_text_survive_the_round_trip(world):
    request = request_translation(
        organization=world.district,
        text="Field day 🎉 is Friday!",
        source_language="en",
        target_language="ar",
    )
    approved = approve_translation(
        actor=world.principal, request=request, text="يوم الرياضة 🎉 يوم الجمعة!"
    )
    assert approved.draft_text == "يوم الرياضة 🎉 يوم الجمعة!"
    again = request_translation(
        organization=world.district,
        text="Field day 🎉 is Friday!",
        source_language="en",
        target_language="ar",
    )
    assert again.status == Status.APPROVED and again.draft_text == approved.draft_text
