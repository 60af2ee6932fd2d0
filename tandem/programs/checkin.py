"""Families checking themselves in: the session's check-in link (the QR code at the door,
"<id>-<digest>" under its own salt), their phone number matched to a caregiver of the
organization, and a limit on wrong numbers so the page cannot be used to look names up.

A number that matches no one gets the same answer as one that cannot check in for any
other reason we may not tell: "see the staff at the door"."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.codes import client_hash
from tandem.accounts.selectors import RATE_WINDOW, seconds_until_allowed
from tandem.audit.models import AuditEvent
from tandem.audit.services import record
from tandem.directory.models import Caregiver, ContactPoint
from tandem.directory.phones import normalize_phone
from tandem.programs.attendance import CheckIn, check_in_caregiver
from tandem.programs.models import Invitation, Session
from tandem.web.signed_ids import sign, unsign

_SALT = "tandem.programs.checkin"
WRONG_NUMBER = "programs.checkin_number_unknown"
# Wrong numbers allowed from one address in an hour, across all sessions: enough for
# a family's typos, too few to try numbers until a name comes up.
WRONG_NUMBERS_PER_HOUR = 10


def checkin_token(session_id: int) -> str:
    return sign(_SALT, session_id)


def session_id_from(token: str) -> int | None:
    return unsign(_SALT, token)


def checkin_url(session_id: int, invitation_token: str = "") -> str:
    """The public check-in page of a session (what the kiosk's QR code holds); with the
    family's invitation token, the page checks them in with one tap."""
    url = settings.TANDEM_PUBLIC_URL.rstrip("/") + reverse(
        "join:checkin", args=[checkin_token(session_id)]
    )
    return f"{url}?i={invitation_token}" if invitation_token else url


class UnknownNumber(ValidationError):
    """No caregiver of the organization has this number (or it cannot be read)."""


class TooManyTries(ValidationError):
    def __init__(self, wait_seconds: int):
        super().__init__(
            _("There were too many tries from here. Please see the staff at the door.")
        )
        self.wait_seconds = wait_seconds


def caregiver_for_phone(session: Session, raw: str) -> Caregiver | None:
    """The caregiver of the session's organization with this mobile number: when a
    household shares one, the caregiver invited to the session (a yes first)."""
    organization = session.program.organization
    try:
        number = normalize_phone(raw, organization.phone_region)
    except ValidationError:
        return None
    invitations = Invitation.objects.filter(session=session, caregiver_id=OuterRef("caregiver_id"))
    first = (
        ContactPoint.objects.filter(
            kind=ContactPoint.Kind.PHONE, value=number, caregiver__organization=organization
        )
        .select_related("caregiver")
        .annotate(
            coming=Exists(invitations.filter(response=Invitation.Response.YES)),
            invited=Exists(invitations),
        )
        .order_by("-coming", "-invited", "-is_preferred", "id")
        .first()
    )
    return first.caregiver if first else None


def wrong_number_wait(client_address: str, now=None) -> int:
    """Seconds before this address may try another number (0: now)."""
    now = now or timezone.now()
    tries = list(
        AuditEvent.objects.filter(
            action=WRONG_NUMBER,
            at__gte=now - RATE_WINDOW,
            detail__client=client_hash(client_address),
        ).values_list("at", flat=True)
    )
    return seconds_until_allowed(tries, WRONG_NUMBERS_PER_HOUR, now)


def check_in_by_phone(
    *, session: Session, phone: str, method: str, client_address: str | None = None
) -> CheckIn:
    """Check in the caregiver whose number this is (by the QR page or the kiosk).
    From a family's own phone (`client_address` given), wrong numbers are counted and
    limited; raises TooManyTries, UnknownNumber, SessionFull or ValidationError."""
    if not (phone or "").strip():
        raise ValidationError(_("Enter your phone number."))
    if client_address is not None:
        wait = wrong_number_wait(client_address)
        if wait:
            raise TooManyTries(wait)
    caregiver = caregiver_for_phone(session, phone)
    if caregiver is None:
        if client_address is not None:
            record(
                actor=None,
                action=WRONG_NUMBER,
                target=session,
                organization_id=session.program.organization_id,
                client=client_hash(client_address),
            )
        raise UnknownNumber(_("We could not find this number. Please see the staff at the door."))
    return check_in_caregiver(session=session, caregiver=caregiver, method=method)


def invitation_for_checkin(session: Session, invitation_id: int | None) -> Invitation | None:
    """The family's invitation to this session named by their invitation link (None
    for an invitation to another session, or none)."""
    if invitation_id is None:
        return None
    return (
        Invitation.objects.select_related("caregiver")
        .filter(pk=invitation_id, session=session)
        .first()
    )
