"""The hook other apps use to hear that translations were approved.

    from django.dispatch import receiver
    from tandem.translation.signals import translation_approved

    @receiver(translation_approved)
    def on_translation_approved(sender, request, **kwargs):
        # request: the TranslationRequest now approved; request.purpose and
        # request.object_id say what needed it.
        ...

Sent once per request that becomes approved by review (or from memory because an
identical text was just approved), after the transaction commits. A request approved
from memory at the moment it is made is returned approved and sends nothing.
"""

from django.dispatch import Signal

translation_approved = Signal()
