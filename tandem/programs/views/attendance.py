"""Taking attendance and reading it, for staff who run programs: the roster on a phone
(invited families, walk-ins from the directory, guests, staff members), the kiosk at
the door with the session's QR code and a phone-number fallback, an online meeting's
participant list, attendance of a session and of a program, and certificates.

Views are thin: the session or program is found in the user's scope first
(`programs.selectors`, 404 outside it), then `tandem.programs.attendance` and its
neighbours decide and record."""

import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tandem.accounts.access import staff
from tandem.accounts.permissions import Action
from tandem.accounts.scopes import visible_caregivers
from tandem.directory.languages import autonym
from tandem.directory.models import Caregiver, StaffMember
from tandem.messaging.forms import add_service_errors
from tandem.programs import participants_import as meeting
from tandem.programs.attendance import (
    Method,
    SessionFull,
    add_guest,
    check_in_caregiver,
    check_in_refusal,
    check_in_staff,
    present_count,
)
from tandem.programs.attendance_report import program_attendance, session_attendance
from tandem.programs.certificates import certificate_pdf
from tandem.programs.checkin import UnknownNumber, check_in_by_phone, checkin_url
from tandem.programs.models import Attendance, Invitation, Program, Session
from tandem.programs.selectors import access_program, access_session
from tandem.programs.services import session_zone

RUN = Action.RUN_PROGRAMS
SEARCH_RESULTS = 10
KIOSK_BACK_SECONDS = 8
Response = Invitation.Response


def _posted_id(request, name: str) -> int | None:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else None


def _session_languages(session: Session) -> list[tuple[str, str]]:
    tags = dict.fromkeys([*session.languages, *session.interpretation, *session.program.languages])
    return [(tag, autonym(tag)) for tag in tags] or [("en", autonym("en"))]


# The roster.


class GuestForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        error_messages={"required": gettext_lazy("Enter the name they gave.")},
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"))
    role = forms.ChoiceField(
        label=gettext_lazy("Role"), choices=Attendance.Role.choices, initial=Attendance.Role.FAMILY
    )

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _session_languages(session)
        self.prefix = "guest"


def _invitations(session: Session) -> list[Invitation]:
    """Everyone invited, those coming first, then waiting, no answer, and no."""
    order = Case(
        When(response=Response.YES, then=Value(0)),
        When(response=Response.WAITLISTED, then=Value(1)),
        When(response=Response.PENDING, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    invitations = list(
        session.invitations.select_related("caregiver")
        .annotate(place=order)
        .order_by("place", "caregiver__given_name", "caregiver__family_name", "id")
    )
    present = {
        attendance.caregiver_id: attendance
        for attendance in Attendance.objects.filter(session=session, caregiver__isnull=False)
    }
    for invitation in invitations:
        invitation.attendance = present.get(invitation.caregiver_id)
    return invitations


def _search(request, session: Session) -> tuple[str, list[Caregiver], list[StaffMember]]:
    """Directory caregivers (in the user's scope) and staff members whose name has
    every word searched, for a walk-in."""
    query = request.GET.get("q", "").strip()[:100]
    if not query:
        return "", [], []
    organization_id = session.program.organization_id
    words = Q()
    staff_words = Q()
    for word in query.split()[:4]:
        words &= Q(given_name__icontains=word) | Q(family_name__icontains=word)
        staff_words &= Q(given_name__icontains=word) | Q(family_name__icontains=word)
    digits = re.sub(r"\D", "", query)
    if len(digits) >= 4:
        words |= Q(contact_points__kind="phone", contact_points__value__endswith=digits[-10:])
    present = Attendance.objects.filter(session=session, caregiver_id=OuterRef("pk"))
    caregivers = list(
        visible_caregivers(request.user, RUN)
        .filter(words, organization_id=organization_id)
        .annotate(present=Exists(present))
        .distinct()
        .order_by("family_name", "given_name", "id")[:SEARCH_RESULTS]
    )
    members = []
    if session.program.audience != Program.Audience.FAMILIES:
        staff_present = Attendance.objects.filter(session=session, staff_id=OuterRef("pk"))
        members = list(
            StaffMember.objects.filter(staff_words, organization_id=organization_id)
            .annotate(present=Exists(staff_present))
            .order_by("family_name", "given_name", "id")[:SEARCH_RESULTS]
        )
    return query, caregivers, members


def _render_roster(request, session, *, guest_form=None, full=None, problem="", status=200):
    query, found, found_staff = _search(request, session)
    invitations = _invitations(session)
    others = list(
        Attendance.objects.filter(session=session, caregiver__isnull=True).select_related("staff")
    )
    return render(
        request,
        "programs/attendance/roster.html",
        {
            "session": session,
            "program": session.program,
            "zone": session_zone(session),
            "coming": [i for i in invitations if i.response == Response.YES],
            "waiting": [i for i in invitations if i.response == Response.WAITLISTED],
            "pending": [i for i in invitations if i.response == Response.PENDING],
            "declined": [i for i in invitations if i.response == Response.NO],
            "others": others,
            "present": sum(1 for i in invitations if i.attendance) + len(others),
            "query": query,
            "found": found,
            "found_staff": found_staff,
            "staff_roles": [
                (Attendance.Role.EDUCATOR, Attendance.Role.EDUCATOR.label),
                (Attendance.Role.LEADER, Attendance.Role.LEADER.label),
            ],
            "guest_form": guest_form or GuestForm(session=session),
            "full": full,
            "problem": problem,
            "closed": check_in_refusal(session),
        },
        status=status,
    )


@staff(RUN)
def roster(request, pk: int):
    return _render_roster(request, access_session(request.user, pk))


def _caregiver_to_check_in(request, session: Session) -> Caregiver | None:
    """The caregiver posted: invited to the session, or in the user's directory scope."""
    caregiver_id = _posted_id(request, "caregiver")
    if caregiver_id is None:
        return None
    invited = Invitation.objects.filter(session=session, caregiver_id=OuterRef("pk"))
    in_scope = visible_caregivers(request.user, RUN).filter(pk=OuterRef("pk"))
    return (
        Caregiver.objects.filter(pk=caregiver_id, organization_id=session.program.organization_id)
        .filter(Exists(invited) | Exists(in_scope))
        .first()
    )


def _back_to_roster(session: Session, anchor: str = "") -> HttpResponse:
    url = reverse("programs:session-roster", args=[session.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


@staff(RUN)
@require_POST
def check_in(request, pk: int):
    """Check in a caregiver (invited, or a walk-in from the directory) or a staff
    member. Twice changes nothing and says when; a full session asks first."""
    session = access_session(request.user, pk)
    staff_id = _posted_id(request, "staff")
    caregiver = None
    try:
        if staff_id is not None:
            member = StaffMember.objects.filter(
                pk=staff_id, organization_id=session.program.organization_id
            ).first()
            if member is None:
                return _render_roster(
                    request, session, problem=_("Choose someone from the list."), status=400
                )
            done = check_in_staff(
                actor=request.user,
                session=session,
                staff=member,
                role=request.POST.get("role", ""),
            )
            name = str(member)
        else:
            caregiver = _caregiver_to_check_in(request, session)
            if caregiver is None:
                return _render_roster(
                    request, session, problem=_("Choose someone from the list."), status=400
                )
            name = caregiver.full_name
            done = check_in_caregiver(
                session=session,
                caregiver=caregiver,
                method=Method.ROSTER
                if _posted_id(request, "invitation") is not None
                else Method.WALK_IN,
                actor=request.user,
                over_capacity=request.POST.get("over_capacity") == "1",
            )
    except SessionFull as full:
        return _render_roster(
            request,
            session,
            full={
                "message": full.messages[0],
                "caregiver": caregiver,
                "invitation": request.POST.get("invitation", ""),
            },
            status=409,
        )
    except ValidationError as refused:
        return _render_roster(request, session, problem=refused.messages[0], status=400)
    if done.already:
        messages.info(request, f"{name}: {done.message()}")
    else:
        messages.success(request, _("%(name)s is checked in.") % {"name": name})
    return _back_to_roster(session)


@staff(RUN)
@require_POST
def guest(request, pk: int):
    """Someone not in the directory, by the name and language they give."""
    session = access_session(request.user, pk)
    form = GuestForm(request.POST, session=session)
    if form.is_valid():
        try:
            add_guest(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(
                request, _("%(name)s is checked in.") % {"name": form.cleaned_data["name"]}
            )
            return _back_to_roster(session)
    return _render_roster(request, session, guest_form=form, status=400)


# The kiosk at the door.


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Your phone number"),
        max_length=40,
        error_messages={"required": gettext_lazy("Enter your phone number.")},
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )


def qr_svg(url: str, title: str) -> str:
    """The QR code of `url` as inline SVG that fills its box (segno)."""
    import segno

    return segno.make(url, error="m").svg_inline(
        scale=1, border=2, omitsize=True, title=title, svgclass="qr-code"
    )


def _kiosk_languages() -> list[dict]:
    from django.utils.translation import get_language_info

    return [
        {"code": code, "name": get_language_info(code)["name_local"]}
        for code, _name in settings.LANGUAGES
    ]


@staff(RUN)
@never_cache
@require_http_methods(["GET", "POST"])
def kiosk(request, pk: int):
    """A tablet at the door: families scan the code with their phone, or type their
    number here (checked in as by themselves: a full session needs the staff)."""
    session = access_session(request.user, pk)
    form = PhoneForm(request.POST or None)
    problem = ""
    if form.is_bound and form.is_valid():
        try:
            done = check_in_by_phone(
                session=session, phone=form.cleaned_data["phone"], method=Method.KIOSK
            )
        except (UnknownNumber, SessionFull, ValidationError) as refused:
            problem = refused.messages[0]
        else:
            return render(
                request,
                "programs/attendance/kiosk_done.html",
                {
                    "session": session,
                    "done": done,
                    "given_name": done.attendance.caregiver.given_name,
                    "back_seconds": KIOSK_BACK_SECONDS,
                    "navigation": [],
                },
            )
    url = checkin_url(session.pk)
    return render(
        request,
        "programs/attendance/kiosk.html",
        {
            "session": session,
            "program": session.program,
            "zone": session_zone(session),
            "form": form,
            "problem": problem,
            "closed": check_in_refusal(session),
            "url": url,
            "qr": qr_svg(url, _("QR code to check in")),
            "kiosk_languages": _kiosk_languages(),
            # Families use the tablet: no way from here to the directory's pages.
            "navigation": [],
        },
        status=400 if form.is_bound else 200,
    )


# An online meeting's participant list.


class ParticipantsForm(forms.Form):
    participants = forms.FileField(
        label=gettext_lazy("Participant list"),
        help_text=gettext_lazy(
            "Zoom: Reports, Usage, Participants, Export. Teams: the meeting's Attendance "
            "tab, Download. A CSV file."
        ),
        error_messages={"required": gettext_lazy("Choose the participant list to upload.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,text/csv"}),
    )


def _render_import(request, session, form, status=200, preview=None, problem=""):
    return render(
        request,
        "programs/attendance/import.html",
        {
            "session": session,
            "program": session.program,
            "zone": session_zone(session),
            "form": form,
            "preview": preview,
            "problem": problem,
            "guest_languages": _session_languages(session),
            "closed": check_in_refusal(session),
        },
        status=status,
    )


def _preview(session: Session, source: str, participants) -> dict:
    matches = meeting.match_participants(session, participants)
    return {
        "source": meeting.SOURCE_NAMES[source],
        "packed": meeting.pack(participants),
        "matched": [m for m in matches if m.status == "matched"],
        "already": [m for m in matches if m.status == "already"],
        "unmatched": [m for m in matches if m.status == "unmatched"],
    }


def _guests(request, session: Session) -> dict[int, str]:
    """Index → language of each unmatched participant ticked to be added as a guest."""
    default = _session_languages(session)[0][0]
    chosen = {}
    for value in request.POST.getlist("guest"):
        if value.isdigit():
            chosen[int(value)] = request.POST.get(f"language-{value}", default)
    return chosen


@staff(RUN)
@require_http_methods(["GET", "POST"])
def import_participants(request, pk: int):
    """Upload the list, see who matched, then confirm."""
    session = access_session(request.user, pk)
    if request.method == "GET":
        return _render_import(request, session, ParticipantsForm())
    if "list" in request.POST:
        try:
            participants = meeting.unpack(request.POST["list"])
            result = meeting.import_attendance(
                actor=request.user,
                session=session,
                participants=participants,
                guests=_guests(request, session),
            )
        except ValidationError as invalid:
            return _render_import(
                request, session, ParticipantsForm(), status=400, problem=invalid.messages[0]
            )
        messages.success(
            request,
            _(
                "From the list: %(checked_in)s checked in, %(already)s already checked in, "
                "%(guests)s added as guests."
            )
            % {"checked_in": result.checked_in, "already": result.already, "guests": result.guests},
        )
        return _back_to_roster(session)
    form = ParticipantsForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["participants"]
        try:
            source, participants = meeting.read_participants(
                upload.read(meeting.MAX_BYTES + 1), session_zone(session)
            )
        except ValidationError as invalid:
            form.add_error("participants", invalid)
        else:
            preview = _preview(session, source, participants)
            return _render_import(request, session, form, preview=preview)
    return _render_import(request, session, form, status=400)


# Reading attendance.


def _columns() -> dict:
    return {
        "session_columns": [
            _("Said yes"),
            _("Came, as they said"),
            _("Came without saying yes"),
            _("Came"),
        ],
        "people_columns": [_("People")],
    }


@staff(RUN)
def session_report(request, pk: int):
    session = access_session(request.user, pk)
    return render(
        request,
        "programs/attendance/session_report.html",
        {
            "session": session,
            "program": session.program,
            "zone": session_zone(session),
            "report": session_attendance(session),
            "present": present_count(session),
            "min_group_size": settings.TANDEM_MIN_GROUP_SIZE,
            **_columns(),
        },
    )


@staff(RUN)
def program_report(request, pk: int):
    program = access_program(request.user, pk)
    return render(
        request,
        "programs/attendance/program_report.html",
        {
            "program": program,
            "report": program_attendance(program),
            "min_group_size": settings.TANDEM_MIN_GROUP_SIZE,
            **_columns(),
        },
    )


@staff(RUN)
def certificate(request, pk: int, caregiver_id: int):
    """A caregiver's certificate, in their language; 404 unless they completed."""
    program = access_program(request.user, pk)
    caregiver = Caregiver.objects.filter(
        pk=caregiver_id, organization_id=program.organization_id
    ).first()
    if caregiver is None:
        raise Http404
    pdf = certificate_pdf(program=program, caregiver=caregiver, actor=request.user)
    return HttpResponse(
        pdf,
        content_type="application/pdf",
        headers={
            "Content-Disposition": (
                f'inline; filename="certificate-{program.pk}-{caregiver.pk}.pdf"'
            )
        },
    )


urlpatterns = [
    path("sessions/<int:pk>/roster/", roster, name="session-roster"),
    path("sessions/<int:pk>/roster/check-in/", check_in, name="session-check-in"),
    path("sessions/<int:pk>/roster/guest/", guest, name="session-guest"),
    path("sessions/<int:pk>/kiosk/", kiosk, name="session-kiosk"),
    path("sessions/<int:pk>/import/", import_participants, name="session-import"),
    path("sessions/<int:pk>/attendance/", session_report, name="session-attendance"),
    path("<int:pk>/attendance/", program_report, name="program-attendance"),
    path("<int:pk>/certificates/<int:caregiver_id>.pdf", certificate, name="certificate"),
]
