"""Facilitated sessions: a new session for a campaign, the session's page (details,
facilitators and listeners, attendance by role and language), and the note-taking
screen, one question at a time, made for a phone held during the session.

Views are thin: the session's campaign is checked with `access_campaign` (404 outside
the user's scope), then `tandem.listening.sessions` decides and records.
"""

import re
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tandem.accounts.access import staff
from tandem.accounts.scopes import visible_schools
from tandem.directory.models import School
from tandem.listening import sessions as services
from tandem.listening.models import Answer, ListeningSession, Role, SessionPerson
from tandem.listening.questions import questions_in
from tandem.listening.screening import FLAG_LABELS
from tandem.listening.selectors import RUN, access_campaign
from tandem.messaging.forms import add_service_errors

NOTES_SHOWN = 50


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": gettext_lazy("Say when the session takes place."),
            "invalid": gettext_lazy("Enter a date and time, for example 2026-10-15 18:00."),
        },
    )
    place = forms.CharField(
        label=gettext_lazy("Place"),
        max_length=200,
        help_text=gettext_lazy("For example: Oak Elementary library."),
        error_messages={"required": gettext_lazy("Say where the session takes place.")},
    )
    languages = forms.CharField(
        label=gettext_lazy("Languages"),
        max_length=200,
        help_text=gettext_lazy("The languages spoken, as tags separated by commas: en, es, vi."),
        error_messages={"required": gettext_lazy("Name at least one language.")},
    )
    interpretation = forms.CharField(
        label=gettext_lazy("Interpretation"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("For example: Spanish–English interpreter, headsets."),
    )
    school = forms.ModelChoiceField(
        label=gettext_lazy("School"),
        queryset=School.objects.none(),
        required=False,
        empty_label=gettext_lazy("Not at one school"),
    )

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        if schools is None:
            del self.fields["school"]
        else:
            self.fields["school"].queryset = schools
            self.fields["school"].label_from_instance = lambda school: school.name


class PersonForm(forms.Form):
    part = forms.ChoiceField(
        label=gettext_lazy("Part"),
        choices=SessionPerson.Part.choices,
        initial=SessionPerson.Part.FACILITATOR,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        error_messages={"required": gettext_lazy("Write their name.")},
    )
    role = forms.CharField(
        label=gettext_lazy("Role"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("For example: parent liaison, principal, board member."),
    )
    shares_language = forms.BooleanField(
        label=gettext_lazy("Speaks the families' language"), required=False
    )
    shares_culture = forms.BooleanField(
        label=gettext_lazy("Shares the families' culture"), required=False
    )


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("This is"),
        choices=[
            (Answer.Kind.QUOTE, gettext_lazy("A quote (their words)")),
            (Answer.Kind.NOTE, gettext_lazy("A note (your summary)")),
        ],
        initial=Answer.Kind.QUOTE,
        widget=forms.RadioSelect,
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Who spoke"),
        choices=Role.choices,
        initial=Role.FAMILY,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=gettext_lazy("What was said"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        error_messages={"required": gettext_lazy("Write what was said.")},
    )
    speaker_name = forms.CharField(
        label=gettext_lazy("Their name (optional)"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Kept only if they agree. Leave empty otherwise."),
    )
    speaker_consented = forms.BooleanField(
        label=gettext_lazy("They agreed that their name is kept with what they said"),
        required=False,
    )


def _access_session(user, pk: int) -> ListeningSession:
    """The session if the user may run its campaign; 404 otherwise."""
    session = ListeningSession.objects.select_related("school").filter(pk=pk).first()
    if session is None:
        raise Http404
    session.campaign = access_campaign(user, session.campaign_id)
    return session


def _campaign_zone(campaign) -> ZoneInfo:
    return ZoneInfo((campaign.school or campaign.organization).time_zone)


@staff(RUN)
@require_http_methods(["GET", "POST"])
def session_create(request, pk: int):
    user = request.user
    campaign = access_campaign(user, pk)
    schools = None
    if campaign.school_id is None:
        schools = visible_schools(user, RUN).filter(organization=campaign.organization)
    zone = _campaign_zone(campaign)
    status = 200
    with timezone.override(zone):
        if request.method == "POST":
            form = SessionForm(request.POST, schools=schools)
            if form.is_valid():
                data = form.cleaned_data
                school = data.get("school")
                starts_at = data["starts_at"]
                if school is not None and school.time_zone != str(zone):
                    # The time was written in the school's own time.
                    starts_at = timezone.make_aware(
                        timezone.make_naive(starts_at, zone), ZoneInfo(school.time_zone)
                    )
                try:
                    session = services.create_session(
                        actor=user,
                        campaign=campaign,
                        starts_at=starts_at,
                        place=data["place"],
                        languages=data["languages"],
                        interpretation=data["interpretation"],
                        school=school,
                    )
                except ValidationError as invalid:
                    add_service_errors(form, invalid)
                else:
                    messages.success(request, _("The session is planned."))
                    return redirect("listening:session", session.pk)
            status = 400
        else:
            form = SessionForm(schools=schools, initial={"languages": campaign.language})
        return render(
            request,
            "listening/sessions/new.html",
            {"campaign": campaign, "form": form, "zone": zone},
            status=status,
        )


def _attendance_grid(session: ListeningSession, posted: dict | None = None) -> list[dict]:
    """One row per language (the session's, then any other counted), a cell per role."""
    counted = {(row.role, row.language): row.count for row in session.attendance.all()}
    languages = list(session.languages)
    languages += sorted({language for _role, language in counted} - set(languages))
    return [
        {
            "language": language,
            "cells": [
                {
                    "name": f"count:{role}:{language}",
                    "label": label,
                    "value": (posted or {}).get(
                        f"count:{role}:{language}", counted.get((role, language), 0)
                    ),
                }
                for role, label in Role.choices
            ],
        }
        for language in languages
    ]


def _render_session(request, session, *, person_form=None, posted=None, problems=(), status=200):
    questions = questions_in(session.campaign, request.LANGUAGE_CODE)
    noted = {}
    for question_id in session.answers.values_list("question_id", flat=True):
        noted[question_id] = noted.get(question_id, 0) + 1
    return render(
        request,
        "listening/sessions/session.html",
        {
            "session": session,
            "campaign": session.campaign,
            "zone": services.session_zone(session),
            "people": session.people.all(),
            "person_form": person_form or PersonForm(),
            "grid": _attendance_grid(session, posted),
            "roles": Role.choices,
            "attendance_problems": problems,
            "other_language": (posted or {}).get("other_language", ""),
            "questions": [
                {"number": n, "text": text, "notes": noted.get(question.pk, 0)}
                for n, (question, text) in enumerate(questions, 1)
            ],
        },
        status=status,
    )


@staff(RUN)
def session_page(request, pk: int):
    return _render_session(request, _access_session(request.user, pk))


@staff(RUN)
@require_POST
def session_person_add(request, pk: int):
    session = _access_session(request.user, pk)
    form = PersonForm(request.POST)
    if form.is_valid():
        try:
            services.add_person(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            messages.success(request, _("%(name)s is added.") % {"name": form.cleaned_data["name"]})
            return redirect("listening:session", session.pk)
    return _render_session(request, session, person_form=form, status=400)


@staff(RUN)
@require_POST
def session_person_remove(request, pk: int):
    """Idempotent: someone already removed is simply gone."""
    session = _access_session(request.user, pk)
    person = session.people.filter(pk=_posted_id(request, "person")).first()
    if person is not None:
        person.session = session
        services.remove_person(actor=request.user, person=person)
        messages.success(request, _("%(name)s is removed.") % {"name": person.name})
    return redirect("listening:session", session.pk)


def _posted_id(request, name: str) -> int:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else -1


_WHOLE_NUMBER = re.compile(r"-?\d{1,9}")


def _count(value: str) -> int | str:
    """A typed count as a number when it looks like one; otherwise as typed, for the
    service to refuse by name."""
    value = value.strip() or "0"
    return int(value) if _WHOLE_NUMBER.fullmatch(value) else value


def _posted_counts(post) -> dict[tuple[str, str], int | str]:
    counts = {}
    for name, value in post.items():
        kind, _sep, rest = name.partition(":")
        if kind == "count":
            role, _sep, language = rest.partition(":")
            counts[role, language] = _count(value)
    other = post.get("other_language", "").strip()
    for role in Role.values:
        value = post.get(f"other:{role}", "")
        if value.strip():
            counts[role, other] = _count(value)
    return counts


@staff(RUN)
@require_POST
def session_attendance(request, pk: int):
    session = _access_session(request.user, pk)
    try:
        services.set_attendance(
            actor=request.user, session=session, counts=_posted_counts(request.POST)
        )
    except ValidationError as invalid:
        return _render_session(
            request, session, posted=request.POST, problems=invalid.messages, status=400
        )
    messages.success(request, _("Attendance saved."))
    return redirect("listening:session", session.pk)


@staff(RUN)
@require_http_methods(["GET", "POST"])
def session_notes(request, pk: int, number: int):
    """Notes for the question at `number` (1 for the first)."""
    session = _access_session(request.user, pk)
    questions = questions_in(session.campaign, request.LANGUAGE_CODE)
    if not 1 <= number <= len(questions):
        raise Http404
    question, text = questions[number - 1]
    status = 200
    form = NoteForm(request.POST or None)
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_note(actor=request.user, session=session, question=question, **data)
            except ValidationError as invalid:
                add_service_errors(form, invalid)
            else:
                if data["speaker_name"].strip() and not data["speaker_consented"]:
                    messages.warning(
                        request, _("Saved without the name: they did not agree to it being kept.")
                    )
                else:
                    messages.success(request, _("Saved."))
                return redirect("listening:session-notes", session.pk, number)
        status = 400
    notes = Answer.objects.filter(session=session, question=question).order_by("-id")
    return render(
        request,
        "listening/sessions/notes.html",
        {
            "session": session,
            "campaign": session.campaign,
            "question": question,
            "question_text": text,
            "number": number,
            "count": len(questions),
            "form": form,
            "notes": [
                (note, [_(FLAG_LABELS[flag]) for flag in note.flags if flag in FLAG_LABELS])
                for note in notes[:NOTES_SHOWN]
            ],
        },
        status=status,
    )


@staff(RUN)
@require_POST
def note_delete(request, pk: int):
    """Idempotent: a note already deleted is simply gone."""
    session = _access_session(request.user, pk)
    note = session.answers.filter(pk=_posted_id(request, "note")).first()
    if note is None:
        return redirect("listening:session", session.pk)
    note.session = session
    services.delete_note(actor=request.user, note=note)
    messages.success(request, _("The note is deleted."))
    order = list(session.campaign.protocol.questions.values_list("pk", flat=True))
    return redirect("listening:session-notes", session.pk, order.index(note.question_id) + 1)


urlpatterns = [
    path("<int:pk>/sessions/new/", session_create, name="session-new"),
    path("sessions/<int:pk>/", session_page, name="session"),
    path("sessions/<int:pk>/people/", session_person_add, name="session-person-add"),
    path("sessions/<int:pk>/people/remove/", session_person_remove, name="session-person-remove"),
    path("sessions/<int:pk>/attendance/", session_attendance, name="session-attendance"),
    path("sessions/<int:pk>/notes/<int:number>/", session_notes, name="session-notes"),
    path("sessions/<int:pk>/notes/delete/", note_delete, name="session-note-delete"),
]
