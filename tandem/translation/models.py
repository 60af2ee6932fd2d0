"""Translation requests and their review, the translation memory, glossaries, and each
organization's policy for sending machine drafts.

Source texts are keyed by `segments.segment_key` (a hash of the normalized text), so
exact lookups use an index whatever the text's length.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.directory.models import validate_language_tag


class TranslationRequest(models.Model):
    """ "This text needs to exist in that language", and where its translation stands."""

    class Status(models.TextChoices):
        APPROVED = "approved", _("Approved")
        MACHINE_DRAFT = "machine_draft", _("Machine draft to review")
        NEEDS_TRANSLATOR = "needs_translator", _("Needs a translator")

    class Origin(models.TextChoices):
        NONE = "", _("No text yet")
        MEMORY = "memory", _("Translation memory")
        MACHINE = "machine", _("Machine translation")
        HUMAN = "human", _("Written by a person")

    class Problem(models.TextChoices):
        """Why there is no machine draft; shown to reviewers, never to families."""

        NONE = "", _("None")
        NO_ENGINE = "no_engine", _("No translation engine is set up.")
        UNSUPPORTED = "unsupported", _("The translation engine does not offer this language.")
        ENGINE_FAILED = "engine_failed", _("The translation engine did not answer; try later.")
        GLOSSARY_UNPLACED = (
            "glossary_unplaced",
            _("A glossary term could not be placed in the machine draft: check it."),
        )

    PENDING = (Status.MACHINE_DRAFT, Status.NEEDS_TRANSLATOR)

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        related_name="translation_requests",
        verbose_name=_("organization"),
    )
    source_language = models.CharField(
        _("original language"), max_length=35, validators=[validate_language_tag]
    )
    target_language = models.CharField(
        _("language"), max_length=35, validators=[validate_language_tag]
    )
    source_text = models.TextField(_("original"))
    source_key = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, blank=True)
    draft_text = models.TextField(_("translation"), blank=True)
    provider = models.CharField(_("translation engine"), max_length=32, blank=True)
    problem = models.CharField(
        _("problem"), max_length=20, choices=Problem.choices, blank=True, default=""
    )
    # What needs the translation, without a foreign key: e.g. purpose "messaging.message"
    # and the message's id, so each app finds its own requests.
    purpose = models.CharField(_("needed for"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        verbose_name = _("translation request")
        verbose_name_plural = _("translation requests")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "purpose", "object_id", "target_language"],
                condition=~Q(object_id=""),
                name="translation_request_one_per_object_and_language",
            ),
        ]
        indexes = [
            # The review queue: pending requests of an organization, by language, oldest first.
            models.Index(
                fields=["organization", "status", "target_language", "created_at"],
                name="translation_queue",
            ),
            # Pending requests for the same text, approved together from memory.
            models.Index(
                fields=["organization", "source_key", "target_language", "status"],
                name="translation_same_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_language}→{self.target_language} #{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING

    @property
    def is_machine_translated(self) -> bool:
        """Machine text no person has approved yet: mark it as such wherever it is sent."""
        return self.status == self.Status.MACHINE_DRAFT and self.origin == self.Origin.MACHINE


class MemorySegment(models.Model):
    """A human-approved translation of one paragraph (or of a whole text)."""

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        related_name="translation_memory",
        verbose_name=_("organization"),
    )
    source_language = models.CharField(_("original language"), max_length=35)
    target_language = models.CharField(_("language"), max_length=35)
    source_text = models.TextField(_("original"))
    source_key = models.CharField(max_length=64)
    # Similar-segment search looks only at segments of about the same length.
    source_length = models.PositiveIntegerField()
    approved_text = models.TextField(_("approved translation"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"))

    class Meta:
        verbose_name = _("translation memory segment")
        verbose_name_plural = _("translation memory")
        ordering = ["-approved_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "source_language", "target_language", "source_key"],
                name="memory_segment_unique_text",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "source_language", "target_language", "source_length"],
                name="memory_similar_candidates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_language}→{self.target_language}: {self.source_text[:40]}"


class GlossaryTerm(models.Model):
    """An organization's approved rendering of an education term in one language.

    Tandem ships a default glossary (glossary.json); an organization's own term with the
    same wording replaces the default one.
    """

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        related_name="glossary_terms",
        verbose_name=_("organization"),
    )
    source_language = models.CharField(_("original language"), max_length=35, default="en")
    target_language = models.CharField(
        _("language"), max_length=35, validators=[validate_language_tag]
    )
    term = models.CharField(_("term"), max_length=100)
    term_key = models.CharField(max_length=100)
    rendering = models.CharField(_("approved rendering"), max_length=200)
    plural_rendering = models.CharField(
        _("plural rendering"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty when the plural is written the same way."),
    )
    note = models.CharField(_("note for translators"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["target_language", "term_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "source_language", "target_language", "term_key"],
                name="glossary_term_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term} → {self.rendering} ({self.target_language})"


class TranslationPolicy(models.Model):
    """Whether an organization sends machine drafts before anyone has reviewed them."""

    organization = models.OneToOneField(
        "directory.Organization",
        on_delete=models.CASCADE,
        related_name="translation_policy",
        verbose_name=_("organization"),
    )
    send_machine_drafts = models.BooleanField(
        _("send machine drafts before review"),
        default=False,
        help_text=_("Machine drafts are marked as machine-translated and reviewed after."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("translation policy")
        verbose_name_plural = _("translation policies")

    def __str__(self) -> str:
        return f"translation policy of {self.organization_id}"
