"""Capacity building: programs (a Parent College year, a family series, educators'
professional learning, a community of practice), their sessions with the logistics
that let families come, invitations and RSVPs with needs, attendance, assignments
reported back, and anonymous feedback.

Feedback is anonymous by structure: a response keeps no caregiver, only the session,
the language and the day; the attendance row remembers that feedback was given.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Program(models.Model):
    class Kind(models.TextChoices):
        FAMILY_SERIES = "family_series", _("Family series")
        PARENT_COLLEGE = "parent_college", _("Parent College")
        EDUCATOR_LEARNING = "educator_learning", _("Educator professional learning")
        LEADER_SERIES = "leader_series", _("Leader series")
        COMMUNITY_OF_PRACTICE = "community_of_practice", _("Community of practice")
        JOINT = "joint", _("Joint family–educator sessions")

    class Audience(models.TextChoices):
        FAMILIES = "families", _("Families")
        EDUCATORS = "educators", _("Educators")
        LEADERS = "leaders", _("School and district leaders")
        PARENT_COORDINATORS = "parent_coordinators", _("Parent coordinators")
        FAMILIES_AND_EDUCATORS = "families_and_educators", _("Families and educators together")

    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    audience = models.CharField(_("audience"), max_length=24, choices=Audience.choices)
    description = models.TextField(_("description"), blank=True)
    schools = models.ManyToManyField("directory.School", related_name="+", blank=True)
    # BCP 47 tags the program is held in (interpretation for others is per session).
    languages = models.JSONField(_("languages"), default=list, blank=True)
    open_to_all_families = models.BooleanField(
        _("open to families from outside our schools"), default=False
    )
    # Sessions attended to complete the program (and receive a certificate); None: no
    # certificate.
    sessions_to_complete = models.PositiveSmallIntegerField(
        _("sessions to attend for a certificate"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return self.name


class Facilitator(models.Model):
    """Who leads or co-leads a program (or one of its sessions): staff, an educator, a
    community partner, or a peer parent leader from the directory."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff")
        EDUCATOR = "educator", _("Educator")
        PEER_PARENT_LEADER = "peer_parent_leader", _("Peer parent leader")
        COMMUNITY_PARTNER = "community_partner", _("Community partner")

    class Part(models.TextChoices):
        LEAD = "lead", _("Facilitator")
        CO = "co", _("Co-facilitator")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="facilitators")
    session = models.ForeignKey(  # None: the whole program
        "programs.Session", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    caregiver = models.ForeignKey(  # a peer parent leader
        "directory.Caregiver", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("who"), max_length=20, choices=Kind.choices)
    part = models.CharField(_("part"), max_length=4, choices=Part.choices, default=Part.LEAD)
    languages = models.JSONField(_("languages"), default=list, blank=True)

    class Meta:
        ordering = ["part", "name", "id"]
        verbose_name = _("facilitator")
        verbose_name_plural = _("facilitators")

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    """One meeting of a program, with what it takes for families to come."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        FIELD_TRIP = "field_trip", _("Field trip (University Day)")
        COMMUNITY = "community", _("Community of practice meeting")

    class Modality(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIRTUAL = "virtual", _("Virtual")
        HYBRID = "hybrid", _("In person and virtual")

    class Transportation(models.TextChoices):
        NONE = "", _("None")
        RIDES = "rides", _("Rides")
        BUS_VOUCHERS = "bus_vouchers", _("Bus vouchers")
        RIDES_AND_VOUCHERS = "rides_and_vouchers", _("Rides and bus vouchers")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sessions")
    # The school it is held at or for: its time zone is the session's (None: the
    # organization's, for a central place).
    school = models.ForeignKey(
        "directory.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=40, blank=True)  # a key of topics.TOPICS
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.WORKSHOP)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    modality = models.CharField(
        _("modality"), max_length=10, choices=Modality.choices, default=Modality.IN_PERSON
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    virtual_link = models.URLField(_("link to join online"), max_length=500, blank=True)
    languages = models.JSONField(_("held in"), default=list, blank=True)
    interpretation = models.JSONField(_("interpretation into"), default=list, blank=True)
    childcare = models.BooleanField(_("childcare"), default=False)
    childcare_seats = models.PositiveSmallIntegerField(_("childcare seats"), null=True, blank=True)
    transportation = models.CharField(
        _("transportation"),
        max_length=20,
        choices=Transportation.choices,
        default=Transportation.NONE,
        blank=True,
    )
    food = models.BooleanField(_("food"), default=False)
    accessibility = models.CharField(_("accessibility"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)  # None: no limit
    rsvp_deadline = models.DateTimeField(_("answer by"), null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.SCHEDULED, db_index=True
    )
    invitation_message = models.ForeignKey(
        "messaging.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "position", "id"]
        verbose_name = _("program session")
        verbose_name_plural = _("program sessions")
        indexes = [models.Index(fields=["program", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")), name="session_starts_before_end"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Material(models.Model):
    """A handout, slides or a video for a program or one session, in one language; the
    same title in several languages is one material in several versions."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="materials")
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=35)
    url = models.URLField(_("link"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "language", "id"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """A caregiver invited to a session, with their answer and what they need to come.
    Made when the invitation message goes out (or when staff record an answer taken on
    the phone, or a walk-in is checked in)."""

    class Response(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        YES = "yes", _("Coming")
        NO = "no", _("Not coming")
        WAITLISTED = "waitlisted", _("On the wait list")

    class Channel(models.TextChoices):
        SMS = "sms", _("Text message")
        WEB = "web", _("Web link")
        PHONE = "phone", _("Phone call with staff")
        WALK_IN = "walk_in", _("Came without answering")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="invitations")
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="+"
    )
    caregiver = models.ForeignKey(
        "directory.Caregiver", on_delete=models.CASCADE, related_name="program_invitations"
    )
    household = models.ForeignKey("directory.Household", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        "directory.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=35)
    response = models.CharField(
        _("answer"), max_length=10, choices=Response.choices, default=Response.PENDING
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices, blank=True)
    recorded_by = models.ForeignKey(  # staff who took the answer on the phone
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Needs: the children's ages for childcare ([3, 6] is two children), a ride, a bus
    # voucher, interpretation into a language, anything else.
    childcare_ages = models.JSONField(_("children's ages for childcare"), default=list, blank=True)
    needs_ride = models.BooleanField(_("needs a ride"), default=False)
    needs_bus_voucher = models.BooleanField(_("needs a bus voucher"), default=False)
    interpretation = models.CharField(_("interpretation into"), max_length=35, blank=True)
    accessibility = models.CharField(_("accessibility needs"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "id"]
        verbose_name = _("session invitation")
        verbose_name_plural = _("session invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "caregiver"], name="one_session_invitation_each"
            )
        ]
        indexes = [
            models.Index(fields=["session", "response"]),
            models.Index(fields=["caregiver", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.session} – {self.get_response_display()}"


class TextConversation(models.Model):
    """A question asked by text that the caregiver's next reply answers: an RSVP (with
    its follow-up about needs) or an assignment's report back. One open at a time per
    caregiver counts: the latest."""

    class Kind(models.TextChoices):
        RSVP = "rsvp", _("Answer to an invitation")
        ASSIGNMENT = "assignment", _("Report on an assignment")

    class Step(models.TextChoices):
        ASKED = "asked", _("Asked")
        NEEDS = "needs", _("Asked about needs")
        CHILDREN = "children", _("Asked the children's ages")
        STORY = "story", _("Asked what happened")

    caregiver = models.ForeignKey("directory.Caregiver", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    step = models.CharField(max_length=10, choices=Step.choices, default=Step.ASKED)
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    assignment = models.ForeignKey(
        "programs.Assignment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["caregiver", "-opened_at"],
                condition=Q(closed_at__isnull=True),
                name="open_program_conversation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_step_display()})"


class Attendance(models.Model):
    """Someone at a session: a caregiver from the directory, a staff member, or a guest
    known only by the name and language they gave (a walk-in from outside)."""

    class Role(models.TextChoices):
        FAMILY = "family", _("Family")
        EDUCATOR = "educator", _("Educator")
        LEADER = "leader", _("Leader")
        COMMUNITY = "community", _("Community member")

    class Method(models.TextChoices):
        QR = "qr", _("QR code")
        KIOSK = "kiosk", _("Kiosk")
        ROSTER = "roster", _("Roster")
        IMPORT = "import", _("Online meeting list")
        WALK_IN = "walk_in", _("Walk-in")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    caregiver = models.ForeignKey(
        "directory.Caregiver",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="program_attendance",
    )
    staff = models.ForeignKey(
        "directory.StaffMember", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)  # guests only
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.FAMILY)
    language = models.CharField(_("language"), max_length=35, default="en")
    school = models.ForeignKey(
        "directory.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(max_length=8, choices=Method.choices)
    checked_in_at = models.DateTimeField()
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    feedback_given = models.BooleanField(default=False)

    class Meta:
        ordering = ["checked_in_at", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "caregiver"],
                condition=Q(caregiver__isnull=False),
                name="checked_in_once",
            ),
            models.UniqueConstraint(
                fields=["session", "staff"],
                condition=Q(staff__isnull=False),
                name="staff_checked_in_once",
            ),
        ]
        indexes = [models.Index(fields=["caregiver", "session"])]

    def __str__(self) -> str:
        return f"{self.session} – {self.get_role_display()}"


class Assignment(models.Model):
    """Something to try right after a session and report back on."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="assignments")
    text = models.TextField(_("assignment"))
    language = models.CharField(_("written in"), max_length=35, default="en")
    report_by = models.DateField(_("report back by"), null=True, blank=True)
    message = models.ForeignKey(
        "messaging.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return self.text[:60]


class AssignmentReport(models.Model):
    """A participant's report: done or not yet, and the story they tell."""

    class Channel(models.TextChoices):
        SMS = "sms", _("Text message")
        WEB = "web", _("Web link")
        STAFF = "staff", _("Told to staff")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reports")
    caregiver = models.ForeignKey(
        "directory.Caregiver", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    staff = models.ForeignKey(
        "directory.StaffMember", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    done = models.BooleanField(_("done"), default=True)
    story = models.TextField(_("what happened"), blank=True)
    language = models.CharField(max_length=35, blank=True)
    channel = models.CharField(max_length=6, choices=Channel.choices)
    reported_at = models.DateTimeField()

    class Meta:
        ordering = ["-reported_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "caregiver"],
                condition=Q(caregiver__isnull=False),
                name="one_report_per_caregiver",
            ),
            models.UniqueConstraint(
                fields=["assignment", "staff"],
                condition=Q(staff__isnull=False),
                name="one_report_per_staff_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} – {self.reported_at:%Y-%m-%d}"


class FeedbackResponse(models.Model):
    """One participant's feedback on a session, kept without who gave it."""

    class Scale(models.IntegerChoices):
        NO = 1, _("No")
        SOMEWHAT = 2, _("Somewhat")
        YES = 3, _("Yes")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="feedback")
    role = models.CharField(max_length=10, choices=Attendance.Role.choices)
    language = models.CharField(max_length=35)
    felt_welcome = models.PositiveSmallIntegerField(
        _("I felt welcome"), choices=Scale.choices, null=True, blank=True
    )
    learned_something = models.PositiveSmallIntegerField(
        _("I learned something I will use"), choices=Scale.choices, null=True, blank=True
    )
    would_come_again = models.PositiveSmallIntegerField(
        _("I would come again"), choices=Scale.choices, null=True, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    given_on = models.DateField()  # the day only

    class Meta:
        verbose_name = _("session feedback")
        verbose_name_plural = _("session feedback")
        indexes = [models.Index(fields=["session", "language"])]

    def __str__(self) -> str:
        return f"{self.session} – {self.given_on}"
