"""Machine translation engines: none (the default), Argos when absent, and DeepL's API
through a real HTTP server on loopback. An engine's failure is "no draft", never an error."""

import pytest

from tandem.translation.checks import translation_provider_is_known
from tandem.translation.models import TranslationRequest
from tandem.translation.providers import ProviderError, get_provider
from tandem.translation.providers.argos import ArgosProvider
from tandem.translation.providers.deepl import DeepLProvider, deepl_target
from tandem.translation.services import request_translation
from tests.translation.conftest import API_KEY

Status = TranslationRequest.Status
Problem = TranslationRequest.Problem


def _ask(world, text="The bus leaves at 8.", language="es"):
    return request_translation(
        organization=world.district, text=text, source_language="en", target_language=language
    )


def test_with_no_engine_a_request_waits_for_a_translator(world, settings):
    settings.TANDEM_TRANSLATION_PROVIDER = "none"
    request = _ask(world)
    assert request.status == Status.NEEDS_TRANSLATOR
    assert request.problem == Problem.NO_ENGINE
    assert request.draft_text == ""


def test_argos_not_installed_supports_nothing_and_drafts_nothing(world, settings):
    settings.TANDEM_TRANSLATION_PROVIDER = "argos"
    assert not ArgosProvider().supports("en", "es")
    with pytest.raises(ProviderError):
        ArgosProvider().translate(["Hello"], source="en", target="es")
    request = _ask(world)
    assert request.status == Status.NEEDS_TRANSLATOR
    assert request.problem == Problem.UNSUPPORTED


def test_deepl_drafts_through_its_http_api(world, deepl):
    deepl.phrase_book[("The bus leaves at 8.", "ES")] = "El autobús sale a las 8."
    request = _ask(world)

    assert request.status == Status.MACHINE_DRAFT
    assert request.origin == TranslationRequest.Origin.MACHINE
    assert request.provider == "deepl"
    assert request.draft_text == "El autobús sale a las 8."
    assert request.is_machine_translated
    sent = deepl.received[-1]
    assert sent["authorization"] == f"DeepL-Auth-Key {API_KEY}"
    assert sent["source_lang"] == "EN" and sent["target_lang"] == "ES"
    assert sent["tag_handling"] == "xml"


def test_deepl_text_is_escaped_for_xml_and_unescaped_back(deepl):
    provider = get_provider()
    [translated] = provider.translate(['Bring "snacks" & water <3'], source="en", target="es")
    assert deepl.received[-1]["text"] == ["Bring &quot;snacks&quot; &amp; water &lt;3"]
    assert translated == '[ES] Bring "snacks" & water <3'


def test_deepl_over_quota_leaves_the_request_for_a_translator(world, deepl):
    deepl.mode = "quota"
    request = _ask(world)
    assert request.status == Status.NEEDS_TRANSLATOR
    assert request.problem == Problem.ENGINE_FAILED


def test_deepl_down_or_unreachable_is_no_draft(world, deepl, settings):
    deepl.mode = "down"
    assert _ask(world).problem == Problem.ENGINE_FAILED
    settings.TANDEM_TRANSLATION_API_URL = "http://127.0.0.1:9"  # nothing listens there
    assert _ask(world, "Another text.").problem == Problem.ENGINE_FAILED


def test_deepl_with_a_wrong_key_is_no_draft(world, deepl, settings):
    settings.TANDEM_TRANSLATION_API_KEY = "wrong"
    assert _ask(world).problem == Problem.ENGINE_FAILED


def test_deepl_does_not_offer_somali_so_somali_waits_for_a_translator(world, deepl):
    request = _ask(world, language="so")
    assert request.problem == Problem.UNSUPPORTED
    assert deepl.received == []


def test_deepl_names_chinese_scripts_and_english_variants():
    assert deepl_target("zh-Hant") == "ZH-HANT"
    assert deepl_target("zh") == "ZH-HANS"
    assert deepl_target("en") == "EN-US"
    assert deepl_target("pt-PT") == "PT-PT"
    assert deepl_target("vi") == "VI"


def test_free_keys_use_the_free_endpoint():
    assert DeepLProvider(api_key="abc:fx").api_url == "https://api-free.deepl.com"
    assert DeepLProvider(api_key="abc").api_url == "https://api.deepl.com"


def test_an_unknown_provider_stops_tandem_from_starting(settings):
    settings.TANDEM_TRANSLATION_PROVIDER = "babelfish"
    assert "tandem.E101" in [error.id for error in translation_provider_is_known(None)]


def test_deepl_without_a_key_stops_tandem_from_starting(settings):
    settings.TANDEM_TRANSLATION_PROVIDER = "deepl"
    settings.TANDEM_TRANSLATION_API_KEY = ""
    assert "tandem.E102" in [error.id for error in translation_provider_is_known(None)]
