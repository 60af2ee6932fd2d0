"""Listening to families: protocols (question sets), campaigns that use them at a school
or district-wide, the three ways to listen (facilitated sessions, personal links and
text conversations, exchanges of statements), the answers, the themes staff review, and
the action items a strengths-and-needs report turns into.

Anonymity is structural: an anonymous answer set keeps no caregiver, household or
invitation; while it is being filled in it is found by a keyed digest of its invitation
(`tokens.anonymous_key`), erased when it is finished or the campaign closes; its dates
are kept to the day.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Who spoke, at the level reports show (never a name unless they agreed)."""

    FAMILY = "family", _("Family")
    EDUCATOR = "educator", _("Educator")
    LEADER = "leader", _("Leader")


class Protocol(models.Model):
    """A reusable set of questions (or an exchange) with a guide for facilitators."""

    class Kind(models.TextChoices):
        QUESTIONS = "questions", _("Questions")
        EXCHANGE = "exchange", _("Share and rate (exchange)")

    # None for the templates Tandem ships; an organization's own protocols otherwise.
    organization = models.ForeignKey(
        "directory.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    template_key = models.CharField(max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    language = models.CharField(_("written in"), max_length=35, default="en")
    description = models.TextField(_("description"), blank=True)
    facilitator_guide = models.TextField(_("facilitator guide"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("listening protocol")
        verbose_name_plural = _("listening protocols")
        constraints = [
            models.UniqueConstraint(
                fields=["template_key"],
                condition=Q(organization__isnull=True),
                name="one_shipped_template_per_key",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    class Kind(models.TextChoices):
        OPEN = "open", _("Open answer")
        ONE_WORD = "one_word", _("One word")

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.TextField(_("question"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OPEN)

    class Meta:
        ordering = ["protocol", "position"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["protocol", "position"], name="question_position")
        ]

    def __str__(self) -> str:
        return self.text


class Campaign(models.Model):
    """One round of listening with a protocol, at one school or across the organization."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(  # None: district-wide
        "directory.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    protocol = models.ForeignKey(Protocol, on_delete=models.RESTRICT, related_name="campaigns")
    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(_("staff language"), max_length=35, default="en")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closes_on = models.DateField(_("answers accepted until"))
    invitation_message = models.ForeignKey(
        "messaging.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When staff last asked for themes, and when a run last finished (or failed).
    themes_requested_at = models.DateTimeField(null=True, blank=True)
    themes_found_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("listening campaign")
        verbose_name_plural = _("listening campaigns")
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_exchange(self) -> bool:
        return self.protocol.kind == Protocol.Kind.EXCHANGE


class Invitation(models.Model):
    """One caregiver's personal invitation to a campaign (their link and text
    conversation). It says how far they got, never what they answered when anonymous."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        STARTED = "started", _("Started")
        COMPLETED = "completed", _("Finished")

    class Conversation(models.TextChoices):
        """Where a text-message conversation stands."""

        NONE = "", _("No text conversation")
        CHOOSING = "choosing", _("Asked to answer with their name or anonymously")
        ANSWERING = "answering", _("Answering by text")
        DONE = "done", _("Finished by text")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="+"
    )
    caregiver = models.ForeignKey(
        "directory.Caregiver", on_delete=models.CASCADE, related_name="listening_invitations"
    )
    household = models.ForeignKey("directory.Household", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(  # the school the family is invited through
        "directory.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=35)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    conversation = models.CharField(
        max_length=10, choices=Conversation.choices, default=Conversation.NONE, blank=True
    )
    next_position = models.PositiveSmallIntegerField(default=0)  # the text conversation's
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "caregiver"], name="one_invitation_each")
        ]
        indexes = [
            models.Index(
                fields=["caregiver"],
                condition=~Q(conversation__in=["", "done"]),
                name="invitation_in_conversation",
            )
        ]

    def __str__(self) -> str:
        return f"invitation {self.pk}"


class ListeningSession(models.Model):
    """A facilitated listening session or family dialogue."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sessions")
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "directory.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    languages = models.JSONField(_("languages"), default=list)
    interpretation = models.CharField(_("interpretation"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("listening session")
        verbose_name_plural = _("listening sessions")

    def __str__(self) -> str:
        return f"{self.place} {self.starts_at:%Y-%m-%d}"


class SessionPerson(models.Model):
    """A facilitator or a listener (educators and leaders who sit quietly and listen)."""

    class Part(models.TextChoices):
        FACILITATOR = "facilitator", _("Facilitator")
        LISTENER = "listener", _("Listener")

    session = models.ForeignKey(ListeningSession, on_delete=models.CASCADE, related_name="people")
    part = models.CharField(_("part"), max_length=12, choices=Part.choices)
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=100, blank=True)
    shares_language = models.BooleanField(_("shares the families' language"), default=False)
    shares_culture = models.BooleanField(_("shares the families' culture"), default=False)

    class Meta:
        ordering = ["part", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Attendance(models.Model):
    """How many came to a session, by role and language (counts, not names)."""

    session = models.ForeignKey(
        ListeningSession, on_delete=models.CASCADE, related_name="attendance"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    language = models.CharField(max_length=35)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "role", "language"], name="attendance_per_role_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.language}: {self.count}"


class AnswerSet(models.Model):
    """One respondent's answers to a campaign (by link or text). Anonymous ones hold no
    link to a person; see the module's docstring."""

    class Channel(models.TextChoices):
        WEB = "web", _("Web link")
        SMS = "sms", _("Text message")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="answer_sets")
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "directory.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Named answer sets only.
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="answer_set"
    )
    caregiver = models.ForeignKey(
        "directory.Caregiver", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Anonymous answer sets while under way only.
    resume_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    anonymous = models.BooleanField(default=False)
    channel = models.CharField(max_length=5, choices=Channel.choices)
    language = models.CharField(max_length=35)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.FAMILY)
    completed = models.BooleanField(default=False)
    started_on = models.DateField()

    class Meta:
        verbose_name = _("answer set")
        verbose_name_plural = _("answer sets")
        indexes = [models.Index(fields=["campaign", "school"])]

    def __str__(self) -> str:
        return f"answer set {self.pk}"


class Theme(models.Model):
    """A theme in a campaign's answers, found by the analysis engine and then reviewed
    (renamed, merged, split, answers moved) by staff, and tagged a strength or a need."""

    class Kind(models.TextChoices):
        UNTAGGED = "", _("Not tagged")
        STRENGTH = "strength", _("Strength")
        NEED = "need", _("Need")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="themes")
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="+"
    )
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    label = models.CharField(_("name"), max_length=200)
    keywords = models.JSONField(default=list, blank=True)
    kind = models.CharField(_("strength or need"), max_length=10, choices=Kind.choices, blank=True)
    reviewed = models.BooleanField(default=False)
    # The engine's centroid and threshold, so answers arriving later can join it.
    engine_data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["campaign", "question", "id"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.label


class Answer(models.Model):
    """What someone said: an answer to a question (link or text), or a quote or note
    taken at a facilitated session. The original is kept; shared views show
    `masked_text`, with phone numbers, addresses and names hidden."""

    class Kind(models.TextChoices):
        ANSWER = "answer", _("Answer")
        QUOTE = "quote", _("Quote")
        NOTE = "note", _("Note")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="answers")
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "directory.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    answer_set = models.ForeignKey(
        AnswerSet, null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    session = models.ForeignKey(
        ListeningSession, null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.ANSWER)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.FAMILY)
    speaker_name = models.CharField(max_length=200, blank=True)  # only with their consent
    text = models.TextField()
    masked_text = models.TextField()
    language = models.CharField(max_length=35, blank=True)
    flags = models.JSONField(default=list, blank=True)  # see screening.Flag
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )
    anonymous = models.BooleanField(default=False)
    # A day, no time: a time could be matched with when a family was seen answering.
    received_on = models.DateField()

    class Meta:
        ordering = ["question", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["answer_set", "question"],
                condition=Q(answer_set__isnull=False),
                name="one_answer_per_question",
            )
        ]
        indexes = [
            models.Index(fields=["campaign", "question"]),
            models.Index(fields=["campaign", "school"]),
            models.Index(fields=["theme"]),
        ]

    def __str__(self) -> str:
        return f"answer {self.pk}"


class Statement(models.Model):
    """A short statement in an exchange; others see it only once staff approve it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        APPROVED = "approved", _("Shown to participants")
        REJECTED = "rejected", _("Not shown")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="statements")
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField()
    masked_text = models.TextField()
    language = models.CharField(max_length=35, blank=True)
    flags = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # A keyed digest of the author's invitation (tokens.participant_key), so that their
    # own statements are not put to them to vote on; empty for staff's seed statements.
    author_key = models.CharField(max_length=64, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self) -> str:
        return f"statement {self.pk}"


class Vote(models.Model):
    class Choice(models.IntegerChoices):
        AGREE = 1, _("Agree")
        DISAGREE = -1, _("Disagree")
        PASS = 0, _("Pass / unsure")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    participant_key = models.CharField(max_length=64)
    choice = models.SmallIntegerField(choices=Choice.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "participant_key"], name="one_vote_per_statement"
            )
        ]
        indexes = [models.Index(fields=["campaign", "participant_key"])]

    def __str__(self) -> str:
        return f"vote {self.pk}"


class ActionItem(models.Model):
    """An item in a school's (or the district's) action plan, often made from a need in
    a strengths-and-needs report. The coproduction work will grow the action plan."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Not going ahead")

    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "directory.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    title = models.CharField(_("action"), max_length=300)
    description = models.TextField(_("details"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["school", "status", "-created_at"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [models.Index(fields=["organization", "school"])]

    def __str__(self) -> str:
        return self.title


class FollowUp(models.Model):
    """A message closing the loop with a campaign's participants: what was heard and
    what the school will do, or later "you said, we did" when an action moves."""

    class Kind(models.TextChoices):
        WHAT_WE_HEARD = "heard", _("What we heard and what we will do")
        YOU_SAID_WE_DID = "we_did", _("You said, we did")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.ForeignKey(
        ActionItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    message = models.ForeignKey(
        "messaging.Message", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"follow-up {self.pk}"
