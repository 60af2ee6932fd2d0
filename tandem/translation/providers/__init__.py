"""Machine translation engines behind one small interface, chosen by settings.

TANDEM_TRANSLATION_PROVIDER is "none" (the default: people write every translation),
"argos" (Argos Translate, offline, when installed with its language packages) or
"deepl" (DeepL's REST API v2, with TANDEM_TRANSLATION_API_KEY). An engine that fails
raises ProviderError; the caller turns it into "no draft", never an error page.
"""

from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PROVIDER_NAMES = ("none", "argos", "deepl")


class ProviderError(Exception):
    """The engine could not translate now (down, refused the key, over quota, timed out)."""


class TranslationProvider(Protocol):
    name: str

    def supports(self, source: str, target: str) -> bool:
        """Can this engine translate from `source` to `target` (BCP 47 tags)?"""
        ...

    def translate(self, texts: list[str], *, source: str, target: str) -> list[str]:
        """One translation per text, in order. Raises ProviderError."""
        ...

    def placeholder(self, index: int) -> str:
        """A token the engine carries through untranslated, for glossary terms."""
        ...


def get_provider() -> TranslationProvider:
    """The engine the settings choose."""
    name = settings.TANDEM_TRANSLATION_PROVIDER
    if name == "none":
        from tandem.translation.providers.none import NoProvider

        return NoProvider()
    if name == "argos":
        from tandem.translation.providers.argos import ArgosProvider

        return ArgosProvider()
    if name == "deepl":
        from tandem.translation.providers.deepl import DeepLProvider

        return DeepLProvider(
            api_key=settings.TANDEM_TRANSLATION_API_KEY,
            api_url=settings.TANDEM_TRANSLATION_API_URL,
            timeout=settings.TANDEM_TRANSLATION_TIMEOUT_SECONDS,
        )
    raise ImproperlyConfigured(
        f"TANDEM_TRANSLATION_PROVIDER must be one of {', '.join(PROVIDER_NAMES)}, not {name!r}"
    )
