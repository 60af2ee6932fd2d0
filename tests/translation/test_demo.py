"""The demo's sample messages come out approved in eight languages (Chinese in both
scripts) with no engine."""

import pytest

from tandem.translation.demo import DEMO_LANGUAGES, SAMPLE_MESSAGES, install_demo_translations
from tandem.translation.models import TranslationRequest
from tandem.translation.services import request_translation


def test_installing_twice_stores_each_translation_once(world):
    assert install_demo_translations(world.district) == 40  # 5 messages × 8 languages
    install_demo_translations(world.district)
    assert world.district.translation_memory.count() == 40


@pytest.mark.parametrize("language", DEMO_LANGUAGES)
def test_every_sample_message_is_approved_from_memory(world, settings, language):
    settings.TANDEM_TRANSLATION_PROVIDER = "none"
    install_demo_translations(world.district)
    for text in SAMPLE_MESSAGES:
        request = request_translation(
            organization=world.district, text=text, source_language="en", target_language=language
        )
        assert request.status == TranslationRequest.Status.APPROVED
        assert request.draft_text and request.draft_text != text
