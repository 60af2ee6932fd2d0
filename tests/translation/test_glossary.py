"""Glossaries: terms protected from the engine and replaced by approved renderings in
machine drafts, an organization's own terms over Tandem's defaults, hints to reviewers."""

from tandem.translation import glossary
from tandem.translation.glossary import GlossaryEntry
from tandem.translation.models import TranslationRequest
from tandem.translation.selectors import glossary_for, glossary_hints
from tandem.translation.services import request_translation, save_glossary_term

IEP = GlossaryEntry("IEP", "IEP (Programa de Educación Individualizado)")
CONFERENCE = GlossaryEntry(
    "parent-teacher conference",
    "conferencia de padres y maestros",
    "conferencias de padres y maestros",
)


def _token(index: int) -> str:
    return f'<x id="{index}"/>'


def test_terms_become_placeholders_and_come_back_as_approved_renderings():
    protected = glossary.protect(
        "Your IEP meeting is at the Parent Teacher Conferences.", [IEP, CONFERENCE], _token
    )
    assert protected.text == 'Your <x id="2"/> meeting is at the <x id="1"/>.'

    text, complete = glossary.restore(
        'Su reunión del <x id="2" /> es en las <x id="1"/>.', protected
    )
    assert complete
    assert text == (
        "Su reunión del IEP (Programa de Educación Individualizado) es en las "
        "conferencias de padres y maestros."
    )


def test_terms_inside_other_words_are_left_alone():
    protected = glossary.protect("The RECIPE is ready.", [IEP], _token)
    assert protected.text == "The RECIPE is ready."
    assert protected.renderings == {}


def test_a_placeholder_the_engine_lost_is_reported():
    protected = glossary.protect("Bring the IEP.", [IEP], _token)
    text, complete = glossary.restore("Traiga el.", protected)
    assert not complete and text == "Traiga el."


def test_the_default_glossary_covers_the_seven_demo_languages():
    # Tagalog is stored as Filipino ("fil"), as the directory normalizes "tl".
    assert set(glossary.default_languages()) >= {"es", "vi", "zh", "ar", "ht", "so", "fil"}
    for language in ("es", "vi", "zh", "ar", "ht", "so", "tl"):
        terms = {entry.term for entry in glossary.default_entries("en", language)}
        assert {"IEP", "GPA", "FAFSA", "report card", "field trip"} <= terms


def test_machine_drafts_use_the_glossary(world, deepl):
    request = request_translation(
        organization=world.district,
        text="Report cards and FAFSA help at the early dismissal.",
        source_language="en",
        target_language="es",
    )
    sent = deepl.received[-1]["text"][0]
    assert "FAFSA" not in sent and "<x id=" in sent
    assert request.draft_text == (
        "[ES] boletas de calificaciones and FAFSA (Solicitud Gratuita de Ayuda Federal para "
        "Estudiantes) help at the salida temprano."
    )
    assert request.problem == ""


def test_a_term_the_engine_dropped_is_flagged_for_the_reviewer(world, deepl):
    deepl.mode = "drop_tags"
    request = request_translation(
        organization=world.district,
        text="Bring the IEP form.",
        source_language="en",
        target_language="es",
    )
    assert request.status == TranslationRequest.Status.MACHINE_DRAFT
    assert request.problem == TranslationRequest.Problem.GLOSSARY_UNPLACED


def test_an_organizations_own_rendering_replaces_the_default(world, deepl):
    save_glossary_term(
        actor=world.org_admin,
        organization=world.district,
        target_language="es",
        term="Report card",
        rendering="reporte de calificaciones",
        plural_rendering="reportes de calificaciones",
    )
    entries = {
        entry.key: entry
        for entry in glossary_for(
            organization=world.district, source_language="en", target_language="es"
        )
    }
    assert entries["report card"].rendering == "reporte de calificaciones"
    assert not entries["report card"].is_default
    assert entries["iep"].is_default

    request = request_translation(
        organization=world.district,
        text="Report cards are ready.",
        source_language="en",
        target_language="es",
    )
    assert request.draft_text == "[ES] reportes de calificaciones are ready."

    other = glossary_for(
        organization=world.other_district, source_language="en", target_language="es"
    )
    assert {e.key: e for e in other}["report card"].rendering == "boleta de calificaciones"


def test_reviewers_see_the_terms_found_in_the_original(world):
    request = request_translation(
        organization=world.district,
        text="Your child's GPA is on the report card.",
        source_language="en",
        target_language="vi",
    )
    hints = {entry.term: entry.rendering for entry in glossary_hints(request)}
    assert hints == {"GPA": "điểm trung bình (GPA)", "report card": "bảng điểm"}


def test_a_regional_tag_uses_its_languages_glossary(world):
    entries = glossary_for(
        organization=world.district, source_language="en", target_language="zh-Hant"
    )
    assert "FAFSA" in {entry.term for entry in entries}
