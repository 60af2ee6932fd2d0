from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationConfig(AppConfig):
    name = "tandem.translation"
    label = "translation"
    verbose_name = _("Translation")

    def ready(self) -> None:
        from tandem.translation import checks  # noqa: F401  (registers the system check)
