from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListeningConfig(AppConfig):
    """Listening to families: protocols, campaigns, answers by web link, text message or
    facilitated session, exchanges, themes reviewed by staff, strengths-and-needs reports
    and the action items they turn into. The engines are in `tandem.analysis`."""

    name = "tandem.listening"
    verbose_name = _("Listening and learning")

    def ready(self) -> None:
        from tandem.listening import conversation, services
        from tandem.messaging import conversations, personal_links

        personal_links.register(services.PERSONAL_LINK, services.invitation_links)
        conversations.register(conversation.continue_by_text, conversation.opened_at)
