"""DeepL's REST API v2 (POST /v2/translate), with the standard library's HTTP client.

Glossary terms travel as empty XML tags (`<x id="1"/>`) with tag_handling=xml, which
DeepL keeps in place, so approved renderings are put back after translation.
"""

import json
import logging
import re
import urllib.error
import urllib.request
from xml.sax.saxutils import escape, unescape

from tandem.directory.languages import primary_subtag
from tandem.translation.providers import ProviderError

logger = logging.getLogger(__name__)

FREE_API_URL = "https://api-free.deepl.com"
PRO_API_URL = "https://api.deepl.com"

# Target languages DeepL offers (its regional variants are chosen below).
TARGETS = frozenset(
    {
        *("ar", "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "he", "hu"),
        *("id", "it", "ja", "ko", "lt", "lv", "nb", "nl", "pl", "pt", "ro", "ru", "sk"),
        *("sl", "sv", "th", "tr", "uk", "vi", "zh"),
    }
)
SOURCES = TARGETS
_PLACEHOLDER_ESCAPED = re.compile(r"&lt;x id=&quot;(\d+)&quot;/&gt;")


def deepl_target(tag: str) -> str:
    """DeepL's name for a target language: "en" → "EN-US", "zh-Hant" → "ZH-HANT"."""
    language = primary_subtag(tag)
    if language == "en":
        return "EN-GB" if tag.lower().endswith("-gb") else "EN-US"
    if language == "pt":
        return "PT-PT" if tag.lower().endswith("-pt") else "PT-BR"
    if language == "zh":
        traditional = "hant" in tag.lower() or tag.lower().endswith(("-tw", "-hk", "-mo"))
        return "ZH-HANT" if traditional else "ZH-HANS"
    return language.upper()


class DeepLProvider:
    name = "deepl"

    def __init__(self, *, api_key: str, api_url: str = "", timeout: float = 10.0):
        self.api_key = api_key
        free = api_key.endswith(":fx")
        self.api_url = (api_url or (FREE_API_URL if free else PRO_API_URL)).rstrip("/")
        self.timeout = timeout

    def supports(self, source: str, target: str) -> bool:
        return bool(self.api_key) and (
            primary_subtag(source) in SOURCES and primary_subtag(target) in TARGETS
        )

    def translate(self, texts: list[str], *, source: str, target: str) -> list[str]:
        if not self.api_key:
            raise ProviderError("no DeepL API key is set")
        body = {
            "text": [self._to_xml(text) for text in texts],
            "source_lang": primary_subtag(source).upper(),
            "target_lang": deepl_target(target),
            "tag_handling": "xml",
        }
        request = urllib.request.Request(  # noqa: S310 - the URL is an https setting
            f"{self.api_url}/v2/translate",
            data=json.dumps(body).encode(),
            headers={
                "Authorization": f"DeepL-Auth-Key {self.api_key}",
                "Content-Type": "application/json",
                "User-Agent": "Tandem",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.load(response)
        except urllib.error.HTTPError as refused:
            # 403: bad key, 456: quota used up, 429: too many requests, 5xx: down.
            raise ProviderError(f"DeepL answered HTTP {refused.code}") from refused
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as failure:
            raise ProviderError("DeepL could not be reached") from failure
        try:
            translated = [item["text"] for item in answer["translations"]]
        except (KeyError, TypeError) as malformed:
            raise ProviderError("DeepL's answer had no translations") from malformed
        if len(translated) != len(texts):
            raise ProviderError("DeepL answered with the wrong number of translations")
        return [unescape(text, {"&quot;": '"', "&apos;": "'"}) for text in translated]

    def placeholder(self, index: int) -> str:
        return f'<x id="{index}"/>'

    @staticmethod
    def _to_xml(text: str) -> str:
        """Escape the text for tag_handling=xml, keeping our own placeholders as tags."""
        escaped = escape(text, {'"': "&quot;"})
        return _PLACEHOLDER_ESCAPED.sub(r'<x id="\1"/>', escaped)
