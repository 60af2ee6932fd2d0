"""The real way deliveries leave Tandem: texts through Twilio (or the local gateway that
speaks its API), email through Django's mailers, the web inbox by being stored."""

from datetime import timedelta
from functools import cache, cached_property

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tandem.messaging.channels.base import ProviderUnavailable, SendResult
from tandem.messaging.channels.email import EmailChannel
from tandem.messaging.channels.sms import TwilioSmsChannel
from tandem.messaging.delivery import LOOKUP_FAILED, Sender
from tandem.messaging.email_replies import reply_address
from tandem.messaging.models import Delivery
from tandem.messaging.rate_limit import Pace

# Clocks differ a little between Tandem and the provider.
LOOKUP_MARGIN = timedelta(minutes=2)


class ChannelSender(Sender):
    @cached_property
    def sms(self) -> TwilioSmsChannel:
        return TwilioSmsChannel.from_settings()

    @cached_property
    def email(self) -> EmailChannel:
        return EmailChannel()

    @cached_property
    def sms_pace(self) -> Pace:
        return Pace(settings.TANDEM_SMS_RATE_PER_SECOND / max(settings.TANDEM_SEND_WORKERS, 1))

    @cached_property
    def email_pace(self) -> Pace:
        return Pace(settings.TANDEM_EMAIL_RATE_PER_SECOND / max(settings.TANDEM_SEND_WORKERS, 1))

    def send(self, delivery: Delivery, text: str) -> SendResult:
        if delivery.channel == Delivery.Channel.SMS:
            if not sms_is_configured():
                # Recorded on the delivery for staff to see, not a worker crashing on repeat.
                return SendResult.permanent(NOT_CONFIGURED, "Text messages are not set up.")
            self.sms_pace.wait()
            return self.sms.send(
                to=delivery.address,
                body=text,
                status_callback=status_callback_url(delivery),
                sender=delivery.organization.sms_number or None,
            )
        if delivery.channel == Delivery.Channel.EMAIL:
            self.email_pace.wait()
            reply_to = reply_address(delivery)
            return self.email.send(
                to=delivery.address,
                body=email_body(text, delivery) if reply_to else text,
                subject=email_subject(delivery),
                reply_to=reply_to,
                metadata={"delivery": str(delivery.pk)},
            )
        return SendResult.accepted()

    def find_earlier_send(self, delivery: Delivery, text: str) -> SendResult | None:
        """Only texts can be looked up; an email whose outcome is unknown is sent again
        (a duplicate email is the lesser harm than a lost one)."""
        if delivery.channel != Delivery.Channel.SMS or not sms_is_configured():
            return None
        try:
            sid = self.sms.lookup_sent(
                to=delivery.address, since=delivery.attempted_at - LOOKUP_MARGIN, body=text
            )
        except ProviderUnavailable as unavailable:
            return SendResult.transient(LOOKUP_FAILED, str(unavailable))
        return SendResult.accepted(sid) if sid else None


NOT_CONFIGURED = "not_configured"


def sms_is_configured() -> bool:
    return bool(
        settings.TANDEM_TWILIO_ACCOUNT_SID
        and settings.TANDEM_TWILIO_AUTH_TOKEN
        and settings.TANDEM_TWILIO_FROM
    )


def default_sender() -> Sender:
    return ChannelSender()


def status_callback_url(delivery: Delivery) -> str:
    return _status_callback_template(settings.TANDEM_PUBLIC_URL).format(pk=delivery.pk)


@cache
def _status_callback_template(public_url: str) -> str:
    """The callback URL with "{pk}" for the delivery: reversed once, not once per text."""
    marker = 987654321
    path = reverse("sms:status", args=[marker]).replace(str(marker), "{pk}")
    return public_url.rstrip("/") + path


def email_subject(delivery: Delivery) -> str:
    return delivery.organization.name


def email_body(text: str, delivery: Delivery) -> str:
    """The message, and below it, in the family's language, how to answer and how to stop."""
    with translation.override(delivery.language):
        footer = _(
            "You can reply to this email to write to %(organization)s. "
            "To stop receiving emails from us, reply STOP."
        ) % {"organization": delivery.organization.name}
    return f"{text}\n\n--\n{footer}\n"
