"""Argos Translate (OpenNMT models on CTranslate2), offline, when installed.

Used only if the `argostranslate` package imports and the language package for the pair
is already installed; Tandem never downloads models.
"""

import importlib
import logging

from tandem.directory.languages import primary_subtag
from tandem.translation.providers import ProviderError

logger = logging.getLogger(__name__)


def _translate_module():
    try:
        return importlib.import_module("argostranslate.translate")
    except ImportError:
        return None


class ArgosProvider:
    name = "argos"

    def _translation(self, source: str, target: str):
        module = _translate_module()
        if module is None:
            return None
        try:
            languages = {language.code: language for language in module.get_installed_languages()}
        except Exception:  # an engine's own failure must never reach a user
            logger.exception("Argos Translate could not list its installed languages")
            return None
        from_language = languages.get(primary_subtag(source))
        to_language = languages.get(primary_subtag(target))
        if from_language is None or to_language is None:
            return None
        return from_language.get_translation(to_language)

    def supports(self, source: str, target: str) -> bool:
        return self._translation(source, target) is not None

    def translate(self, texts: list[str], *, source: str, target: str) -> list[str]:
        translation = self._translation(source, target)
        if translation is None:
            raise ProviderError(f"no installed Argos package for {source}→{target}")
        try:
            return [translation.translate(text) for text in texts]
        except Exception as failure:
            raise ProviderError("Argos Translate failed") from failure

    def placeholder(self, index: int) -> str:
        # Digits in brackets survive the OpenNMT models better than markup.
        return f"[[{index}]]"
