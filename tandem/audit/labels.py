"""What each audited action means, in words a family reads on its export page.

The audit log stores action codes; families see these sentences in their language. An
action that is not listed reads as "Other activity" rather than as a code.
"""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "family.household_viewed": _("Opened the family page"),
    "family.household_exported": _("Downloaded the family's information"),
    "family.contact_preferences_viewed": _("Opened the contact preferences"),
    "family.contact_preferences_changed": _("Changed the contact preferences"),
    "directory.household.view": _("Viewed the household in the school directory"),
    "directory.caregiver.correct": _("Corrected a caregiver's information"),
    "messaging.thread_viewed": _("Read the messages between the school and the household"),
    "family.messages_viewed": _("Opened the messages from the school"),
    "accounts.sign_in": _("Signed in"),
    "accounts.sign_in_refused": _("A sign-in by code was refused"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, _("Other activity")))
