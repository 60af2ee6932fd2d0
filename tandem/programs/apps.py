from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    """Capacity building: programs and sessions for families, educators and leaders,
    invitations with RSVP and needs, attendance, assignments, feedback, certificates and
    the scheduling assistant."""

    name = "tandem.programs"
    verbose_name = _("Capacity building")

    def ready(self) -> None:
        from tandem.messaging import conversations, personal_links
        from tandem.programs import conversation, invitations

        personal_links.register(invitations.PERSONAL_LINK, invitations.invitation_links)
        conversations.register(conversation.continue_by_text, conversation.opened_at)
        from tandem.programs import assignments, feedback

        personal_links.register(assignments.PERSONAL_LINK, assignments.assignment_links)
        personal_links.register(feedback.PERSONAL_LINK, feedback.feedback_links)
