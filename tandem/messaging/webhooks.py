"""Twilio calling Tandem: a family's text arriving, and what became of a text we sent.
Both are signed by Twilio (X-Twilio-Signature); anything else gets 403 and stores nothing."""

from xml.sax.saxutils import escape

from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone

from tandem.accounts.access import provider_webhook
from tandem.messaging.channels.sms import request_is_from_twilio
from tandem.messaging.inbound import receive_sms
from tandem.messaging.models import Delivery

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


@provider_webhook(request_is_from_twilio)
def sms_inbound(request):
    """Store the text; STOP, START and HELP are answered at once in the reply (TwiML),
    as carriers expect and as Twilio allows even after a STOP."""
    form = request.POST
    received = receive_sms(
        provider_id=form.get("MessageSid", ""),
        from_number=form.get("From", ""),
        to_number=form.get("To", ""),
        body=form.get("Body", ""),
    )
    twiml = EMPTY_TWIML
    if received.answer:
        twiml = twiml.replace(
            "<Response></Response>",
            f"<Response><Message>{escape(received.answer)}</Message></Response>",
        )
    return HttpResponse(twiml, content_type="text/xml")


# Twilio's statuses, in the order a text moves through them; a late callback never moves
# a delivery backwards.
_DELIVERED = {"delivered", "read"}
_FAILED = {"failed", "undelivered"}


@provider_webhook(request_is_from_twilio)
def sms_status(request, pk: int):
    form = request.POST
    status = form.get("MessageStatus", "")
    sid = form.get("MessageSid", "")
    now = timezone.now()
    deliveries = Delivery.objects.filter(pk=pk).filter(Q(provider_id=sid) | Q(provider_id=None))
    if status in _DELIVERED:
        deliveries.exclude(status=Delivery.Status.DELIVERED).update(
            status=Delivery.Status.DELIVERED,
            provider_id=sid,
            delivered_at=now,
            claimed_until=None,
        )
    elif status in _FAILED:
        deliveries.exclude(status=Delivery.Status.DELIVERED).update(
            status=Delivery.Status.FAILED,
            provider_id=sid,
            error_code=form.get("ErrorCode", "")[:20],
            error_reason=status,
            claimed_until=None,
        )
    return HttpResponse(status=204)
