from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListeningConfig(AppConfig):
    """Listening to families: what they say, and the analysis of it (themes in open
    answers, opinion groups in exchanges). The engines are in `tandem.analysis`."""

    name = "tandem.listening"
    verbose_name = _("Listening and learning")
