"""A system check: the translation provider setting names an engine Tandem knows."""

from django.conf import settings
from django.core.checks import Error, register

from tandem.translation.providers import PROVIDER_NAMES


@register()
def translation_provider_is_known(app_configs, **kwargs):
    name = settings.TANDEM_TRANSLATION_PROVIDER
    errors = []
    if name not in PROVIDER_NAMES:
        errors.append(
            Error(
                f"TANDEM_TRANSLATION_PROVIDER is {name!r}.",
                hint=f"Use one of: {', '.join(PROVIDER_NAMES)}.",
                id="tandem.E101",
            )
        )
    elif name == "deepl" and not settings.TANDEM_TRANSLATION_API_KEY:
        errors.append(
            Error(
                "TANDEM_TRANSLATION_PROVIDER is 'deepl' but TANDEM_TRANSLATION_API_KEY is empty.",
                id="tandem.E102",
            )
        )
    return errors
