"""Attendance from an online meeting's participant list: Zoom's participants report
("Name (Original Name)", "User Email", "Join Time", …) or Microsoft Teams' attendance
report ("Name" or "Full Name", "Email", "First Join" or "Join Time", …), as CSV or as
the tab-separated UTF-16 file Teams downloads.

Each person is matched by email to a caregiver's email address in the organization (or
a staff member's), then by exact full name to the one caregiver who has it. Staff see
who matched, who was already checked in and who did not match, then confirm; those who
did not match can be added as guests. A file that cannot be read changes nothing."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.audit.services import record
from tandem.directory.models import Caregiver, ContactPoint, StaffMember
from tandem.programs.attendance import (
    Method,
    add_guest,
    check_in_caregiver,
    check_in_refusal,
    check_in_staff,
)
from tandem.programs.models import Attendance, Program, Session
from tandem.programs.services import check, local

MAX_BYTES = 2_000_000
MAX_PARTICIPANTS = 1000
_SIGNING_SALT = "tandem.programs.participants"
_KEPT_SECONDS = 6 * 3600  # a preview may be confirmed for this long

ZOOM, TEAMS, OTHER = "zoom", "teams", "csv"
SOURCE_NAMES = {ZOOM: "Zoom", TEAMS: "Microsoft Teams", OTHER: "CSV"}

# Header cells, lower case with spaces collapsed.
NAME_COLUMNS = (
    "name (original name)",
    "full name",
    "name",
    "participant name",
    "display name",
    "participant",
    "attendee name",
)
EMAIL_COLUMNS = (
    "user email",
    "email",
    "email address",
    "e-mail",
    "participant id (upn)",
    "upn",
)
JOIN_COLUMNS = ("join time", "first join", "first join time", "timestamp", "joined")
ACTION_COLUMN = "user action"  # Teams' older report: a "Joined" and a "Left" row each
ZOOM_SIGNS = {"name (original name)", "user email", "duration (minutes)", "guest"}
TEAMS_SIGNS = {"full name", "first join", "last leave", "in-meeting duration", ACTION_COLUMN}

TIME_FORMATS = (
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y, %I:%M:%S %p",
    "%m/%d/%y, %I:%M:%S %p",
    "%m/%d/%y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
)
_SPACES = re.compile(r"\s+")
_ORIGINAL_NAME = re.compile(r"^(?P<shown>.*?)\s*\((?P<original>[^()]*)\)\s*$")


@dataclass(frozen=True)
class Participant:
    name: str
    email: str  # lower case, "" when the list has none
    joined: datetime | None  # aware; None when the list has no time we can read


@dataclass
class Match:
    index: int  # the participant's place in the list (guests are chosen by it)
    participant: Participant
    caregiver: Caregiver | None = None
    staff: StaffMember | None = None
    attendance: Attendance | None = None  # checked in before the import
    by: str = ""  # "email" or "name"

    @property
    def status(self) -> str:
        if self.attendance is not None:
            return "already"
        return "matched" if self.caregiver or self.staff else "unmatched"


@dataclass(frozen=True)
class ImportResult:
    checked_in: int
    already: int
    guests: int


# Reading the file.


def _cell(value: str) -> str:
    return _SPACES.sub(" ", (value or "").replace("\ufeff", "")).strip().strip('"').strip()


def _header(value: str) -> str:
    return _cell(value).lower()


def _decode(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        raise ValidationError(
            _("This looks like an Excel workbook. Save it as CSV and upload it again.")
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        if b"\x00" in data:
            raise ValidationError(_("This file is not a CSV file."))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    return text


def _table(text: str) -> tuple[list[str], list[list[str]]]:
    """The participants' header row and the rows under it, with whichever delimiter
    finds a header that names people."""
    for delimiter in (",", "\t", ";"):
        try:
            rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        except csv.Error:
            continue
        for index, row in enumerate(rows):
            header = [_header(cell) for cell in row]
            if len(header) > 1 and any(name in header for name in NAME_COLUMNS):
                return header, rows[index + 1 :]
    return [], []


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in header:
            return header.index(name)
    return None


def parse_time(value: str, zone: ZoneInfo) -> datetime | None:
    """A join time as the meeting services write it, in the session's zone unless it
    names its own."""
    value = _cell(value.replace("\u202f", " ").replace("\xa0", " "))
    if not value:
        return None
    parsed = None
    for pattern in TIME_FORMATS:
        try:
            parsed = datetime.strptime(value, pattern)
            break
        except ValueError:
            continue
    if parsed is None:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=zone)
    return parsed


def read_participants(data: bytes, zone: ZoneInfo) -> tuple[str, list[Participant]]:
    """(the meeting service, each person once with their first join time); raises
    ValidationError naming what is wrong with the file."""
    if not data:
        raise ValidationError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is too large: a participant list is under 2 MB."))
    header, rows = _table(_decode(data))
    if not header:
        raise ValidationError(
            _(
                "We could not find a column of names. Upload the participants report from "
                "Zoom or the attendance report from Teams, as a CSV file."
            )
        )
    name_at = _column(header, NAME_COLUMNS)
    email_at = _column(header, EMAIL_COLUMNS)
    join_at = _column(header, JOIN_COLUMNS)
    action_at = header.index(ACTION_COLUMN) if ACTION_COLUMN in header else None
    source = ZOOM if ZOOM_SIGNS & set(header) else TEAMS if TEAMS_SIGNS & set(header) else OTHER
    people: dict[str, Participant] = {}
    for row in rows:
        if not any(_cell(cell) for cell in row):
            break  # the end of the participants (Teams puts another section after)
        cells = row + [""] * (len(header) - len(row))
        if action_at is not None and _header(cells[action_at]).startswith("left"):
            continue
        name = _cell(cells[name_at])
        email = _cell(cells[email_at]).lower() if email_at is not None else ""
        if "@" not in email:
            email = ""
        if not name and not email:
            continue
        joined = parse_time(cells[join_at], zone) if join_at is not None else None
        key = email or name.casefold()
        earlier = people.get(key)
        if earlier is None:
            if len(people) >= MAX_PARTICIPANTS:
                raise ValidationError(
                    _("The list has more than %(most)s people.") % {"most": MAX_PARTICIPANTS}
                )
            people[key] = Participant(name or email, email, joined)
        elif joined and (earlier.joined is None or joined < earlier.joined):
            people[key] = Participant(earlier.name, earlier.email, joined)
    if not people:
        raise ValidationError(_("The list has no participants."))
    return source, list(people.values())


# Matching people to the directory.


def _names(name: str) -> list[str]:
    """The names a participant may be known by: as shown, and Zoom's "Shown (Original)"
    parts."""
    names = [name]
    parts = _ORIGINAL_NAME.match(name)
    if parts:
        names += [parts["shown"], parts["original"]]
    return [_cell(n).casefold() for n in names if _cell(n)]


def match_participants(session: Session, participants: list[Participant]) -> list[Match]:
    """Each participant with the caregiver or staff member they are (by email first,
    then by a full name only one caregiver has) and their earlier check-in; a fixed
    number of queries whatever the list's length."""
    organization_id = session.program.organization_id
    emails = {p.email for p in participants if p.email}
    by_email = {
        contact.value: contact.caregiver
        for contact in ContactPoint.objects.filter(
            kind=ContactPoint.Kind.EMAIL,
            value__in=emails,
            caregiver__organization_id=organization_id,
        )
        .select_related("caregiver")
        .order_by("-is_preferred", "-id")
    }
    staff_by_email = {
        member.lower_email: member
        for member in StaffMember.objects.annotate(lower_email=Lower("email")).filter(
            organization_id=organization_id, lower_email__in=emails - set(by_email)
        )
    }
    wanted = {name for p in participants for name in _names(p.name)}
    named: dict[str, list[Caregiver]] = {}
    for caregiver in Caregiver.objects.annotate(
        lower_name=Lower(Concat("given_name", Value(" "), "family_name"))
    ).filter(organization_id=organization_id, lower_name__in={n.lower() for n in wanted}):
        named.setdefault(caregiver.full_name.casefold(), []).append(caregiver)

    matches, seen = [], set()
    for index, participant in enumerate(participants):
        match = Match(index, participant)
        if participant.email in by_email:
            match.caregiver, match.by = by_email[participant.email], "email"
        elif participant.email in staff_by_email:
            match.staff, match.by = staff_by_email[participant.email], "email"
        else:
            for name in _names(participant.name):
                if len(named.get(name, [])) == 1:
                    match.caregiver, match.by = named[name][0], "name"
                    break
        person = _person(match)
        if person in seen:
            continue  # the same person under two names or addresses
        seen.add(person)
        matches.append(match)

    earlier = {}
    for attendance in Attendance.objects.filter(
        Q(caregiver_id__in=[m.caregiver.pk for m in matches if m.caregiver])
        | Q(staff_id__in=[m.staff.pk for m in matches if m.staff])
        | Q(caregiver__isnull=True, staff__isnull=True),
        session=session,
    ):
        if attendance.caregiver_id:
            earlier["c", attendance.caregiver_id] = attendance
        elif attendance.staff_id:
            earlier["s", attendance.staff_id] = attendance
        else:  # a guest added before, by hand or by an earlier import
            earlier.setdefault(("g", attendance.name.casefold()), attendance)
    for match in matches:
        match.attendance = earlier.get(_person(match))
    return matches


def _person(match: Match) -> tuple[str, object]:
    if match.caregiver is not None:
        return "c", match.caregiver.pk
    if match.staff is not None:
        return "s", match.staff.pk
    return "g", _cell(match.participant.name).casefold()


# Between the preview and the confirmation, the list travels in the form, signed.


def pack(participants: list[Participant]) -> str:
    rows = [[p.name, p.email, p.joined.isoformat() if p.joined else ""] for p in participants]
    return signing.dumps(rows, salt=_SIGNING_SALT, compress=True)


def unpack(value: str) -> list[Participant]:
    try:
        rows = signing.loads(value or "", salt=_SIGNING_SALT, max_age=_KEPT_SECONDS)
    except signing.BadSignature as bad:
        raise ValidationError(
            _("This list is too old or was changed. Please upload the file again.")
        ) from bad
    return [
        Participant(name, email, datetime.fromisoformat(joined) if joined else None)
        for name, email, joined in rows
    ]


# Confirming.


def guest_role(program: Program) -> str:
    return {
        Program.Audience.EDUCATORS: Attendance.Role.EDUCATOR,
        Program.Audience.PARENT_COORDINATORS: Attendance.Role.EDUCATOR,
        Program.Audience.LEADERS: Attendance.Role.LEADER,
    }.get(program.audience, Attendance.Role.FAMILY)


def staff_role(member: StaffMember) -> str:
    leaders = {
        StaffMember.Role.PRINCIPAL,
        StaffMember.Role.DISTRICT_FACE,
        StaffMember.Role.FAMILY_ENGAGEMENT_LEAD,
    }
    return Attendance.Role.LEADER if member.role in leaders else Attendance.Role.EDUCATOR


def _on_the_day(session: Session, joined: datetime | None) -> datetime | None:
    """The join time, when it is on the session's day (the check-in time it records)."""
    if joined is not None and local(session, joined).date() == local(session).date():
        return joined
    return None


def import_attendance(
    *, actor, session: Session, participants: list[Participant], guests: dict[int, str]
) -> ImportResult:
    """Check in everyone on the list who matched (over capacity: they were there), and
    add as guests the unmatched participants at the indexes of `guests` (index →
    language). All or nothing: a bad guest language changes nothing."""
    check(actor, session)
    refusal = check_in_refusal(session)
    if refusal:
        raise ValidationError(refusal)
    matches = match_participants(session, participants)
    checked_in = already = added = 0
    role = guest_role(session.program)
    with transaction.atomic():
        for match in matches:
            when = _on_the_day(session, match.participant.joined)
            if match.status == "already":
                already += 1
            elif match.caregiver is not None:
                done = check_in_caregiver(
                    session=session,
                    caregiver=match.caregiver,
                    method=Method.IMPORT,
                    actor=actor,
                    over_capacity=True,
                    now=when,
                )
                already += done.already
                checked_in += not done.already
            elif match.staff is not None:
                done = check_in_staff(
                    actor=actor,
                    session=session,
                    staff=match.staff,
                    role=staff_role(match.staff),
                    method=Method.IMPORT,
                    now=when,
                )
                already += done.already
                checked_in += not done.already
            elif match.index in guests:
                add_guest(
                    actor=actor,
                    session=session,
                    name=match.participant.name[:200],
                    language=guests[match.index],
                    role=role,
                    method=Method.IMPORT,
                    now=when,
                )
                added += 1
        record(
            actor=actor,
            action="programs.participants_imported",
            target=session,
            organization_id=session.program.organization_id,
            checked_in=checked_in,
            already=already,
            guests=added,
        )
    return ImportResult(checked_in, already, added)
