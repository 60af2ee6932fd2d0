"""The translation memory: exact reuse with no review, paragraph by paragraph, and
similar approved segments suggested to reviewers."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.translation.models import MemorySegment, TranslationRequest
from tandem.translation.selectors import similar_segments, suggestions_for
from tandem.translation.services import approve_translation, remember, request_translation

Status = TranslationRequest.Status


def _ask(world, text, language="es", **kwargs):
    return request_translation(
        organization=world.district,
        text=text,
        source_language="en",
        target_language=language,
        **kwargs,
    )


def test_an_approved_text_is_reused_exactly_with_no_review(world):
    first = _ask(world, "Report cards go home on Friday.")
    assert first.status == Status.NEEDS_TRANSLATOR
    approve_translation(
        actor=world.coordinator,
        request=first,
        text="Las boletas de calificaciones se envían a casa el viernes.",
    )

    again = _ask(world, "  report CARDS go home   on Friday. ")

    assert again.status == Status.APPROVED
    assert again.origin == TranslationRequest.Origin.MEMORY
    assert again.draft_text == "Las boletas de calificaciones se envían a casa el viernes."
    assert again.reviewed_by is None


def test_memory_of_one_organization_is_not_used_by_another(world):
    remember(
        organization=world.district,
        source_language="en",
        target_language="es",
        source_text="School is closed on Monday.",
        approved_text="La escuela está cerrada el lunes.",
    )
    elsewhere = request_translation(
        organization=world.other_district,
        text="School is closed on Monday.",
        source_language="en",
        target_language="es",
    )
    assert elsewhere.status == Status.NEEDS_TRANSLATOR


def test_memory_is_per_language(world):
    remember(
        organization=world.district,
        source_language="en",
        target_language="es",
        source_text="School is closed on Monday.",
        approved_text="La escuela está cerrada el lunes.",
    )
    assert _ask(world, "School is closed on Monday.", "vi").status == Status.NEEDS_TRANSLATOR


def test_paragraphs_approved_before_are_reused_in_a_new_text(world):
    request = _ask(world, "School is closed on Monday.\n\nThank you, families!")
    approve_translation(
        actor=world.principal,
        request=request,
        text="La escuela está cerrada el lunes.\n\n¡Gracias, familias!",
    )

    assert MemorySegment.objects.filter(organization=world.district).count() == 3
    combined = _ask(world, "Thank you, families!\n\nSchool is closed on Monday.")
    assert combined.status == Status.APPROVED
    assert combined.draft_text == "¡Gracias, familias!\n\nLa escuela está cerrada el lunes."


def test_approving_one_request_approves_pending_requests_for_the_same_text(world):
    first = _ask(world, "Picture day is Tuesday.", purpose="test", object_id="1")
    second = _ask(world, "Picture day is Tuesday.", purpose="test", object_id="2")
    approve_translation(actor=world.teacher, request=first, text="El día de fotos es el martes.")
    second.refresh_from_db()
    assert second.status == Status.APPROVED
    assert second.origin == TranslationRequest.Origin.MEMORY
    assert second.draft_text == "El día de fotos es el martes."


def test_similar_segments_are_suggested_best_first(world):
    for source, approved in [
        ("Report cards go home on Friday.", "Las boletas se envían a casa el viernes."),
        ("Report cards go home on Monday.", "Las boletas se envían a casa el lunes."),
        ("The library is open late on Thursday.", "La biblioteca abre tarde el jueves."),
    ]:
        remember(
            organization=world.district,
            source_language="en",
            target_language="es",
            source_text=source,
            approved_text=approved,
        )

    suggestions = similar_segments(
        organization=world.district,
        source_language="en",
        target_language="es",
        text="Report cards go home on Thursday.",
    )

    texts = [suggestion.segment.source_text for suggestion in suggestions]
    assert set(texts) == {"Report cards go home on Friday.", "Report cards go home on Monday."}
    assert all(60 <= suggestion.percent < 100 for suggestion in suggestions)


def test_similar_search_stays_fast_with_thousands_of_segments(world):
    MemorySegment.objects.bulk_create(
        MemorySegment(
            organization=world.district,
            source_language="en",
            target_language="es",
            source_text=f"Segment number {n} about the spring concert and bus {n * 7}.",
            source_key=f"{n:064d}",
            source_length=55,
            approved_text=f"Segmento {n}",
            approved_at="2026-01-01T00:00Z",
        )
        for n in range(3000)
    )
    request = _ask(world, "Segment number 12 about the spring concert and bus 84!")
    with CaptureQueriesContext(connection) as queries:
        suggestions = suggestions_for(request)
    assert suggestions and suggestions[0].segment.approved_text == "Segmento 12"
    assert len(queries) <= 4
