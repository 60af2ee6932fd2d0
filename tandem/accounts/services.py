"""State changes for accounts: page language, sign-in codes, memberships, staff sign-in
and two-step verification."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from tandem.accounts import codes, selectors
from tandem.accounts.models import Membership, SignInCode, StaffSignInFailure, User
from tandem.accounts.permissions import is_staff_member
from tandem.accounts.selectors import Destination
from tandem.audit.services import record
from tandem.directory.models import ContactPoint
from tandem.outbox.sms import send_sms


def set_page_language(*, user: User, language: str) -> None:
    if language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def create_staff_user(*, email: str, name: str, password: str | None = None) -> User:
    """A staff account signing in with email and password (TOTP optional)."""
    return User.objects.create_user(email=email, password=password, name=name)


def grant_membership(*, user: User, organization, role: str, school=None) -> Membership:
    """Give `user` a role at an organization or one of its schools."""
    membership = Membership(user=user, organization=organization, role=role, school=school)
    membership.full_clean(validate_unique=False, validate_constraints=False)
    membership, _created = Membership.objects.get_or_create(
        user=user, organization=organization, role=role, school=school, defaults={"is_active": True}
    )
    return membership


def family_account_for(caregiver) -> User:
    """The sign-in account of a caregiver, created the first time they sign in."""
    if caregiver.user_id:
        return caregiver.user
    user = User.objects.create_user(name=caregiver.full_name)
    caregiver.user = user
    caregiver.save(update_fields=["user"])
    return user


def supported_language(tag: str) -> str:
    """The language Tandem ships closest to a BCP 47 tag ("es-MX" → "es"), else English."""
    base = (tag or "").split("-")[0].lower()
    return base if base in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class SignInRateLimited(Exception):
    """Too many codes asked for; nothing was sent. `wait_seconds` says for how long."""

    def __init__(self, wait_seconds: int):
        super().__init__(wait_seconds)
        self.wait_seconds = wait_seconds


class CodeRejected(Exception):
    """A sign-in code that does not sign anyone in, and why (one of the reasons below)."""

    EXPIRED = "expired"  # none asked for, expired, or already used
    LOCKED = "locked"  # too many wrong tries
    WRONG = "wrong"
    STAFF_ACCOUNT = "staff_account"  # accounts with a password sign in as staff

    def __init__(self, reason: str, tries_left: int = 0):
        super().__init__(reason)
        self.reason = reason
        self.tries_left = tries_left


@transaction.atomic
def request_sign_in_code(*, destination: Destination, client_address: str) -> SignInCode:
    """Record a code request and send the code, after commit, if the contact is ours.

    Known and unknown contacts do the same work here, so neither the page nor its
    timing tells them apart. Raises SignInRateLimited, writing nothing, over a limit.
    """
    client = codes.client_hash(client_address)
    wait = selectors.sign_in_code_wait(destination_hash=destination.key_hash, client_hash=client)
    if wait:
        raise SignInRateLimited(wait)
    now = timezone.now()
    SignInCode.objects.filter(
        destination_hash=destination.key_hash, used_at=None, expires_at__gt=now
    ).update(expires_at=now)
    contact = destination.contact_point
    sign_in = SignInCode.objects.create(
        caregiver=contact.caregiver if contact else None,
        contact_point=contact,
        destination_hash=destination.key_hash,
        client_hash=client,
        created_at=now,
        expires_at=now + timedelta(seconds=settings.TANDEM_SIGN_IN_CODE_TTL_SECONDS),
    )
    from tandem.accounts.tasks import send_sign_in_code

    transaction.on_commit(lambda: send_sign_in_code.enqueue(sign_in_id=sign_in.pk))
    return sign_in


def deliver_sign_in_code(*, sign_in_id: int) -> bool:
    """Draw the code, keep only its hash, and send it by SMS or email in the caregiver's
    language. Sends at most once per request, however often the task runs."""
    sign_in = (
        SignInCode.objects.select_related("contact_point__caregiver")
        .filter(pk=sign_in_id, code_hash="", used_at=None, expires_at__gt=timezone.now())
        .first()
    )
    if sign_in is None or sign_in.contact_point is None:
        return False
    code = codes.new_code()
    claimed = SignInCode.objects.filter(pk=sign_in.pk, code_hash="").update(
        code_hash=codes.code_hash(code, sign_in_id=sign_in.pk)
    )
    if not claimed:
        return False
    contact = sign_in.contact_point
    minutes = max(1, settings.TANDEM_SIGN_IN_CODE_TTL_SECONDS // 60)
    with translation.override(supported_language(contact.caregiver.preferred_language)):
        body = ngettext(
            "Your Tandem sign-in code is %(code)s. It works for %(minutes)d minute. "
            "If you did not ask for it, you can ignore this message.",
            "Your Tandem sign-in code is %(code)s. It works for %(minutes)d minutes. "
            "If you did not ask for it, you can ignore this message.",
            minutes,
        ) % {"code": code, "minutes": minutes}
        if contact.kind == ContactPoint.Kind.PHONE:
            send_sms(to=contact.value, body=body)
        else:
            send_mail(_("Your Tandem sign-in code"), body, None, [contact.value])
    return True


def redeem_sign_in_code(*, destination_hash: str, code: str) -> User:
    """Sign a family member in with the newest code sent to their contact.

    Every try counts against the code before it is checked, so concurrent guesses cannot
    exceed the limit; the account is created on first sign-in and the contact marked
    verified. Raises CodeRejected with the reason otherwise.
    """
    now = timezone.now()
    code = codes.normalize_code(code)
    sign_in = selectors.latest_sign_in_code(destination_hash)
    if sign_in is None or sign_in.used_at is not None or sign_in.expires_at <= now:
        raise CodeRejected(CodeRejected.EXPIRED)
    limit = settings.TANDEM_SIGN_IN_CODE_MAX_ATTEMPTS
    counted = SignInCode.objects.filter(pk=sign_in.pk, attempts__lt=limit).update(
        attempts=F("attempts") + 1
    )
    if not counted:
        raise CodeRejected(CodeRejected.LOCKED)
    sign_in.refresh_from_db(fields=["attempts", "code_hash"])
    if sign_in.caregiver is None or not codes.code_matches(
        code, sign_in.code_hash, sign_in_id=sign_in.pk
    ):
        tries_left = max(0, limit - sign_in.attempts)
        raise CodeRejected(CodeRejected.WRONG if tries_left else CodeRejected.LOCKED, tries_left)
    caregiver = sign_in.caregiver
    existing = caregiver.user
    if existing is not None and (
        existing.has_usable_password() or is_staff_member(existing) or not existing.is_active
    ):
        # A code is weaker than a password with a second step: it must never open an
        # account that reaches other families' data, or one an operator switched off.
        SignInCode.objects.filter(pk=sign_in.pk, used_at=None).update(used_at=now)
        record(actor=None, action="accounts.sign_in_refused", target=caregiver, method="code")
        raise CodeRejected(CodeRejected.STAFF_ACCOUNT)
    with transaction.atomic():
        claimed = SignInCode.objects.filter(pk=sign_in.pk, used_at=None).update(used_at=now)
        if not claimed:
            raise CodeRejected(CodeRejected.EXPIRED)
        first_sign_in = existing is None
        user = family_account_for(caregiver)
        if sign_in.contact_point_id:
            ContactPoint.objects.filter(pk=sign_in.contact_point_id, verified_at=None).update(
                verified_at=now
            )
        if first_sign_in and not user.language:
            set_page_language(user=user, language=supported_language(caregiver.preferred_language))
        record(
            actor=user,
            action="accounts.sign_in",
            target=caregiver,
            method="code",
            channel=sign_in.contact_point.kind if sign_in.contact_point else "",
            first_sign_in=first_sign_in,
        )
    return user


def record_sign_in(*, user: User, method: str) -> None:
    """Audit a staff sign-in."""
    record(actor=user, action="accounts.sign_in", target=user, method=method)


def record_staff_sign_in_failure(*, email: str, client_address: str, step: str) -> None:
    """Count a wrong password or verification code against the account and address."""
    StaffSignInFailure.objects.create(key_hash=codes.staff_failure_key(email, client_address))
    record(actor=None, action="accounts.sign_in_failed", method="password", step=step)


def clear_staff_sign_in_failures(*, email: str, client_address: str) -> None:
    StaffSignInFailure.objects.filter(
        key_hash=codes.staff_failure_key(email, client_address)
    ).delete()


@transaction.atomic
def start_totp_setup(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator device; an earlier unfinished one is dropped."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


@transaction.atomic
def confirm_totp_device(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Turn two-step verification on once a code from the new device checks out."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    record(actor=user, action="accounts.totp_added", target=user)
    return True


@transaction.atomic
def remove_totp_devices(*, user: User) -> int:
    removed, _by_model = TOTPDevice.objects.filter(user=user).delete()
    record(actor=user, action="accounts.totp_removed", target=user, devices=removed)
    return removed


@transaction.atomic
def change_password(*, user: User, new_password: str) -> None:
    """Set a password already checked by Django's validators."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    record(actor=user, action="accounts.password_changed", target=user)
