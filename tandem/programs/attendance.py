"""Checking people in to a session: caregivers from the directory (by QR code on the
kiosk page, by staff ticking the roster, from an online meeting's participant list),
staff members, and guests who walked in.

Checking in twice changes nothing and says when the first check-in was. A session at
capacity turns away only those who had no place: families who said yes (or were
checked in by staff, who may go over the limit knowingly) always get in."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tandem.audit.services import record
from tandem.directory.languages import normalize_language_tag
from tandem.directory.models import Caregiver, StaffMember
from tandem.programs.invitations import invitation_for_caregiver
from tandem.programs.models import Attendance, Invitation, Session
from tandem.programs.services import check, local

Method = Attendance.Method


@dataclass(frozen=True)
class CheckIn:
    attendance: Attendance
    already: bool  # they had checked in before: nothing was changed

    def message(self) -> str:
        if self.already:
            return _("Already checked in at %(time)s.") % {
                "time": formats.time_format(
                    local(self.attendance.session, self.attendance.checked_in_at), "TIME_FORMAT"
                )
            }
        return _("Welcome! You are checked in.")


class SessionFull(ValidationError):
    pass


def present_count(session: Session) -> int:
    return Attendance.objects.filter(session=session).count()


def _can_check_in(session: Session, now: datetime) -> None:
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session was cancelled."))
    day = local(session).date()
    if local(session, now).date() != day and now < session.starts_at:
        raise ValidationError(_("Check-in opens on the day of the session."))


def check_in_refusal(session: Session, now: datetime | None = None) -> str:
    """Why no one can check in to the session now ("" when they can): for pages to say
    so before anyone types anything."""
    try:
        _can_check_in(session, now or timezone.now())
    except ValidationError as refused:
        return refused.messages[0]
    return ""


def check_in_caregiver(
    *,
    session: Session,
    caregiver: Caregiver,
    method: str,
    actor=None,
    over_capacity: bool = False,
    now: datetime | None = None,
) -> CheckIn:
    """Check a caregiver in. By themselves (QR, kiosk) they need a place: a yes, or a
    free seat. Staff (`actor`) check in anyone, past capacity only with `over_capacity`."""
    if actor is not None:
        check(actor, session)
    now = now or timezone.now()
    _can_check_in(session, now)
    existing = Attendance.objects.filter(session=session, caregiver=caregiver).first()
    if existing is not None:
        return CheckIn(existing, already=True)
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        invitation = invitation_for_caregiver(locked, caregiver)
        had_place = invitation.response == Invitation.Response.YES
        full = locked.capacity is not None and present_count(locked) >= locked.capacity
        if full and not had_place and not (actor is not None and over_capacity):
            raise SessionFull(
                _("This session is full. Please see the staff at the door.")
                if actor is None
                else _("This session is full (%(capacity)s places). Check in anyway?")
                % {"capacity": locked.capacity}
            )
        try:
            with transaction.atomic():
                attendance = Attendance.objects.create(
                    session=locked,
                    caregiver=caregiver,
                    role=Attendance.Role.FAMILY,
                    language=caregiver.preferred_language,
                    school_id=invitation.school_id,
                    method=method,
                    checked_in_at=now,
                    checked_in_by=actor,
                )
        except IntegrityError:  # checked in at the same moment from another screen
            return CheckIn(Attendance.objects.get(session=session, caregiver=caregiver), True)
        if invitation.response != Invitation.Response.YES:
            Invitation.objects.filter(pk=invitation.pk).update(
                response=Invitation.Response.YES,
                channel=invitation.channel or Invitation.Channel.WALK_IN,
                responded_at=invitation.responded_at or now,
            )
        record(actor=actor, action="programs.checked_in", target=attendance, method=method)
    return CheckIn(attendance, already=False)


def check_in_staff(
    *,
    actor,
    session: Session,
    staff: StaffMember,
    role: str,
    method: str = Method.ROSTER,
    now: datetime | None = None,
) -> CheckIn:
    """Check in an educator or leader from the organization's staff (from the roster,
    or from an online meeting's participant list)."""
    check(actor, session)
    if staff.organization_id != session.program.organization_id:
        raise ValidationError(_("This person is not on your organization's staff."))
    if role not in Attendance.Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    existing = Attendance.objects.filter(session=session, staff=staff).first()
    if existing is not None:
        return CheckIn(existing, already=True)
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                session=session,
                staff=staff,
                role=role,
                language=(staff.languages or ["en"])[0],
                school_id=staff.school_id,
                method=method,
                checked_in_at=now or timezone.now(),
                checked_in_by=actor,
            )
    except IntegrityError:  # checked in at the same moment from another screen
        return CheckIn(Attendance.objects.get(session=session, staff=staff), already=True)
    record(actor=actor, action="programs.checked_in", target=attendance, method=method)
    return CheckIn(attendance, already=False)


def add_guest(
    *,
    actor,
    session: Session,
    name: str,
    language: str,
    role: str = Attendance.Role.FAMILY,
    method: str = Method.WALK_IN,
    now: datetime | None = None,
) -> Attendance:
    """A walk-in who is not in the directory (Parent College is open to families from
    outside the network), or someone on an online meeting's list we could not match:
    their name and language only."""
    check(actor, session)
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Enter the name they gave.")
    elif len(name) > 200:
        errors["name"] = _("Keep the name under 200 characters.")
    try:
        language = normalize_language_tag(language)
    except ValidationError as invalid:
        errors["language"] = invalid.messages[0]
    if role not in Attendance.Role.values:
        errors["role"] = _("Choose a role.")
    if errors:
        raise ValidationError(errors)
    attendance = Attendance.objects.create(
        session=session,
        name=name,
        role=role,
        language=language,
        method=method,
        checked_in_at=now or timezone.now(),
        checked_in_by=actor,
    )
    record(actor=actor, action="programs.guest_added", target=attendance, method=method)
    return attendance
