"""Sign-in accounts, scoped memberships and one-time sign-in codes.

A user is staff through memberships (a role at an organization or at one school) and a
family member through the caregiver record linked to it; one account may be both.
"""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.roles import ORGANIZATION_ROLES, SCHOOL_ROLES, Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str | None = None, password: str | None = None, **fields):
        email = self.normalize_email(email).lower() if email else None
        user = self.model(email=email, **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email"), unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language for Tandem's pages"), max_length=35, blank=True)
    review_languages = models.JSONField(
        _("languages I review translations in"),
        default=list,
        blank=True,
        help_text=_("BCP 47 tags; their drafts come first in the review queue. Empty: all."),
    )
    is_staff = models.BooleanField(
        _("operator"), default=False, help_text=_("May use the operators' admin site.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.email or f"user {self.pk}"

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else ""


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="memberships"
    )
    school = models.ForeignKey(
        "directory.School",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                condition=Q(school__isnull=True),
                name="membership_unique_at_organization",
            ),
            models.UniqueConstraint(
                fields=["user", "school", "role"],
                condition=Q(school__isnull=False),
                name="membership_unique_at_school",
            ),
            models.CheckConstraint(
                condition=(Q(role__in=sorted(SCHOOL_ROLES), school__isnull=False))
                | (Q(role__in=sorted(ORGANIZATION_ROLES), school__isnull=True)),
                name="membership_scope_matches_role",
            ),
        ]
        indexes = [models.Index(fields=["user", "is_active"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.school or self.organization}"

    def clean(self) -> None:
        if self.role in SCHOOL_ROLES and not self.school_id:
            raise ValidationError({"school": _("This role is held at a school: choose one.")})
        if self.role in ORGANIZATION_ROLES and self.school_id:
            raise ValidationError(
                {"school": _("This role is held organization-wide: leave school empty.")}
            )
        if self.school_id and self.school.organization_id != self.organization_id:
            raise ValidationError({"school": _("The school must belong to the organization.")})


class SignInCode(models.Model):
    """A one-time code sent to a caregiver's phone or email. Only hashes are stored.

    A row is written for every request, known contact or not, so rate limits count both
    alike; the code itself is drawn and hashed by the task that sends it, so it never
    sits in clear in the task queue.
    """

    caregiver = models.ForeignKey(
        "directory.Caregiver", null=True, on_delete=models.CASCADE, related_name="sign_in_codes"
    )
    contact_point = models.ForeignKey(
        "directory.ContactPoint",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Where the code was sent; empty when the contact is not in our records."),
    )
    destination_hash = models.CharField(max_length=64, db_index=True)
    client_hash = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")

    def __str__(self) -> str:
        return f"sign-in code {self.pk}"


class StaffSignInFailure(models.Model):
    """One failed staff password or verification attempt, keyed by a hash of account and
    client address, so repeated guessing is refused across server processes."""

    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("failed staff sign-in")
        verbose_name_plural = _("failed staff sign-ins")
        indexes = [models.Index(fields=["key_hash", "created_at"])]

    def __str__(self) -> str:
        return f"failed sign-in {self.pk}"
