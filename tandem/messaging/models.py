"""Messages staff write once, the per-caregiver deliveries that carry them in each family's
language, the replies that come back, and the thread per household that holds both.

A message and all its deliveries are written in one transaction (the transactional
outbox): a worker can only ever send what was committed, and each delivery is one row
that at most one worker holds at a time (see `delivery.py`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Thread(models.Model):
    """The conversation between the school side and one household."""

    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="+"
    )
    household = models.ForeignKey(
        "directory.Household", on_delete=models.CASCADE, related_name="threads"
    )
    last_activity_at = models.DateTimeField(null=True, blank=True)
    last_reply_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "household"], name="thread_per_household"
            )
        ]
        indexes = [models.Index(fields=["organization", "-last_activity_at"])]

    def __str__(self) -> str:
        return f"thread {self.pk}"


class SavedList(models.Model):
    """Households saved from a directory search to write to again ("Somali-speaking
    families who need a ride"). A message to it reaches only those of its households its
    author may write to when it is sent."""

    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="+"
    )
    # Set when saved from one school's families: staff of that school see it.
    school = models.ForeignKey(
        "directory.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    # "" for a list staff saved; otherwise the app that made it to address one message
    # (programs: "told of a change", "reminded the day before"). Those are kept as the
    # record of whom the message was for, not offered among the lists to write to.
    made_for = models.CharField(max_length=20, blank=True, default="")
    households = models.ManyToManyField("directory.Household", related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("saved list")
        verbose_name_plural = _("saved lists")

    def __str__(self) -> str:
        return self.name


class Message(models.Model):
    """What a staff member wrote, once, in their language, to an audience."""

    class Audience(models.TextChoices):
        SCHOOL = "school", _("Everyone at a school")
        GRADE = "grade", _("A grade at a school")
        HOUSEHOLD = "household", _("One household")
        LIST = "list", _("A saved list of households")

    class Status(models.TextChoices):
        AWAITING_REVIEW = "awaiting_review", _("Waiting for reviewed translations")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    school = models.ForeignKey(
        "directory.School", null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    grade = models.CharField(_("grade"), max_length=8, blank=True)
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    saved_list = models.ForeignKey(
        SavedList, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    language = models.CharField(_("written in"), max_length=35)
    body = models.TextField(_("message"))
    # Linked to learning (optional): what students are learning and a tip to try at home.
    learning_subject = models.CharField(_("subject"), max_length=100, blank=True)
    learning_unit = models.CharField(_("unit"), max_length=200, blank=True)
    learning_tip = models.TextField(_("tip to try at home"), blank=True)
    # Each recipient's copy ends with their own link, made by the app registered under
    # this name in `personal_links` (a listening campaign's invitation, say).
    personal_link = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["organization", "-created_at"]),
            models.Index(fields=["status", "send_at"]),
        ]

    def __str__(self) -> str:
        return f"message {self.pk}"

    @property
    def full_text(self) -> str:
        return compose_text(self.body, self.learning_subject, self.learning_unit, self.learning_tip)


def compose_text(body: str, subject: str = "", unit: str = "", tip: str = "") -> str:
    """The text a family reads, paragraphs separated by blank lines (the translation
    memory reuses paragraphs)."""
    learning = " — ".join(part for part in [subject, unit] if part)
    return "\n\n".join(part.strip() for part in [body, learning, tip] if part.strip())


def with_machine_note(text: str, language: str) -> str:
    """A text or email carries the note itself: families are told when a translation was
    made by machine and not yet reviewed (the web inbox shows its own note)."""
    with translation.override(language):
        note = _("(Machine translation, not yet reviewed by the school.)")
    return compose_text(text, tip=str(note))


class MessageVersion(models.Model):
    """The text of a message in one language, fixed when the message is released."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(max_length=35)
    text = models.TextField()
    machine_translated = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "language"], name="one_version_per_language")
        ]

    def __str__(self) -> str:
        return f"message {self.message_id} in {self.language}"


class Delivery(models.Model):
    """One caregiver's copy of a message on one channel. Exactly one row per message and
    caregiver: the database, not the worker, guarantees nothing is sent twice."""

    class Channel(models.TextChoices):
        SMS = "sms", _("Text message")
        EMAIL = "email", _("Email")
        WEB = "web", _("Tandem inbox")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        SUPPRESSED = "suppressed", _("Not sent: opted out")
        CANCELLED = "cancelled", _("Cancelled")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="+"
    )
    household = models.ForeignKey(
        "directory.Household", on_delete=models.CASCADE, related_name="deliveries"
    )
    caregiver = models.ForeignKey(
        "directory.Caregiver", on_delete=models.CASCADE, related_name="deliveries"
    )
    contact_point = models.ForeignKey(
        "directory.ContactPoint", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    address = models.CharField(max_length=254, blank=True)  # E.164 or email; "" for web
    language = models.CharField(max_length=35)
    time_zone = models.CharField(max_length=64)  # the recipient's, for quiet hours
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # A worker holds a delivery until `claimed_until`; after that another may take it over.
    claimed_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=40, blank=True)
    # Set when a send was attempted and its outcome may be unknown (crash, timeout).
    attempted_at = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    error_code = models.CharField(max_length=20, blank=True)
    error_reason = models.CharField(max_length=300, blank=True)
    segments = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["message", "caregiver"], name="one_delivery_each"),
            models.UniqueConstraint(
                fields=["provider_id"],
                condition=Q(provider_id__isnull=False),
                name="delivery_provider_id",
            ),
        ]
        indexes = [
            # The workers' queue: what is due, per message.
            models.Index(
                fields=["message", "next_attempt_at"],
                condition=Q(status__in=["pending", "sending"]),
                name="delivery_due",
            ),
            models.Index(fields=["household", "-created_at"]),
            models.Index(fields=["organization", "channel", "status"]),
        ]

    def __str__(self) -> str:
        return f"delivery {self.pk}"

    @property
    def idempotency_key(self) -> str:
        return f"tandem-delivery-{self.pk}"


class InboundMessage(models.Model):
    """A reply from a family (SMS, email or web), or a message from an unknown sender."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply")
        STOP = "stop", _("Opt-out (STOP)")
        START = "start", _("Opt-in (START)")
        HELP = "help", _("Help request (HELP)")
        AUTO_REPLY = "auto_reply", _("Automatic answer (out of office)")
        CONVERSATION = "conversation", _("Answer in a text conversation (listening)")

    organization = models.ForeignKey(
        "directory.Organization", null=True, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Delivery.Channel.choices)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.REPLY)
    from_address = models.CharField(max_length=254)
    to_address = models.CharField(max_length=254, blank=True)
    body = models.TextField()
    language = models.CharField(max_length=35, blank=True)  # detected
    # Translations for staff readers, language → text, filled as staff read them.
    translations = models.JSONField(default=dict, blank=True)
    provider_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    household = models.ForeignKey(
        "directory.Household", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    caregiver = models.ForeignKey(
        "directory.Caregiver", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(  # a web reply's signed-in family member
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("message from a family")
        verbose_name_plural = _("messages from families")
        constraints = [
            models.UniqueConstraint(
                fields=["provider_id"],
                condition=Q(provider_id__isnull=False),
                name="inbound_provider_id",
            ),
        ]
        indexes = [
            models.Index(fields=["thread", "received_at"]),
            models.Index(
                fields=["organization", "-received_at"],
                condition=Q(household__isnull=True),
                name="inbound_unmatched",
            ),
        ]

    def __str__(self) -> str:
        return f"inbound {self.pk}"
