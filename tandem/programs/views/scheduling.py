"""The scheduling assistant (candidate times for a session compared by the families
they would reach) and a program's outreach list (invited families who never came to
anything), on screen, as CSV, or saved as a messaging list for peer-parent outreach.

Views are thin: `tandem.programs.selectors` finds the session or program in the
user's scope (404 outside it), `tandem.programs.scheduling` reads, and
`tandem.programs.reach` holds the rule."""

import csv
from datetime import time

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import formset_factory
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import formats, translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.accounts.access import staff
from tandem.audit.services import record
from tandem.directory.display import contact_value, language_label, needs_of
from tandem.directory.languages import parse_languages
from tandem.directory.models import AvailabilityWindow, Household
from tandem.messaging.saved_lists import MAX_NAME_CHARS, save_household_list
from tandem.programs import reach
from tandem.programs.invitations import when_text
from tandem.programs.models import Session
from tandem.programs.scheduling import (
    RUN,
    compare_candidates,
    default_candidates,
    households_of,
    never_came,
    program_sessions,
)
from tandem.programs.selectors import access_program, access_session
from tandem.programs.services import session_zone

MAX_CANDIDATES = 6
BLANK_ROWS = 2  # empty rows under the candidates, to add more
LONGEST_MINUTES = 12 * 60
PAGE_SIZE = 50


class CandidateForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=gettext_lazy("Day"),
        choices=[("", "—"), *AvailabilityWindow.Weekday.choices],
        coerce=int,
        error_messages={
            "required": gettext_lazy("Choose a day."),
            "invalid_choice": gettext_lazy("Choose a day of the week."),
        },
    )
    starts = forms.TimeField(
        label=gettext_lazy("Starts at"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": gettext_lazy("Enter a start time."),
            "invalid": gettext_lazy("Enter a time, for example 18:00."),
        },
    )
    minutes = forms.IntegerField(
        label=gettext_lazy("Length in minutes"),
        min_value=15,
        max_value=LONGEST_MINUTES,
        error_messages={
            "required": gettext_lazy("Enter how long it lasts, in minutes."),
            "invalid": gettext_lazy("Enter a whole number of minutes, for example 90."),
            "min_value": gettext_lazy("Enter at least 15 minutes."),
            "max_value": gettext_lazy("Enter at most 720 minutes (12 hours)."),
        },
    )
    modality = forms.ChoiceField(
        label=gettext_lazy("How"),
        choices=Session.Modality.choices,
        initial=Session.Modality.IN_PERSON,
        error_messages={"invalid_choice": gettext_lazy("Choose in person, virtual or both.")},
    )
    childcare = forms.BooleanField(label=gettext_lazy("Childcare"), required=False)
    transportation = forms.BooleanField(label=gettext_lazy("Rides or bus vouchers"), required=False)
    languages = forms.CharField(
        label=gettext_lazy("Languages"),
        max_length=200,
        help_text=gettext_lazy("Held in and interpreted into, separated by commas: en, es, so."),
        error_messages={"required": gettext_lazy("Name at least one language.")},
    )

    def clean_languages(self) -> tuple[str, ...]:
        tags = parse_languages(self.cleaned_data["languages"])
        if not tags:
            raise ValidationError(_("Name at least one language."))
        return tuple(tags)

    def clean(self):
        data = super().clean()
        starts, minutes = data.get("starts"), data.get("minutes")
        if (
            starts is not None
            and minutes is not None
            and starts.hour * 60 + starts.minute + minutes > reach.DAY_MINUTES
        ):
            self.add_error("minutes", _("It must end by midnight."))
        return data

    def candidate(self) -> reach.Candidate:
        data = self.cleaned_data
        return reach.Candidate(
            weekday=data["weekday"],
            start=data["starts"].hour * 60 + data["starts"].minute,
            minutes=data["minutes"],
            modality=data["modality"],
            childcare=data["childcare"],
            transportation=data["transportation"],
            languages=data["languages"],
        )


CandidateFormSet = formset_factory(
    CandidateForm,
    extra=BLANK_ROWS,
    max_num=MAX_CANDIDATES,
    absolute_max=MAX_CANDIDATES,
    validate_max=True,
)
PREFIX = "candidate"


def _initial(candidate: reach.Candidate) -> dict:
    return {
        "weekday": candidate.weekday,
        "starts": f"{candidate.start // 60:02d}:{candidate.start % 60:02d}",
        "minutes": candidate.minutes,
        "modality": candidate.modality,
        "childcare": candidate.childcare,
        "transportation": candidate.transportation,
        "languages": ", ".join(candidate.languages),
    }


def candidate_label(candidate: reach.Candidate) -> str:
    """ "Saturday 10:00, 2 hours, in person, childcare": for headers and captions."""
    starts = formats.time_format(time(candidate.start // 60, candidate.start % 60), "TIME_FORMAT")
    parts = [
        f"{AvailabilityWindow.Weekday(candidate.weekday).label} {starts}",
        _("%(minutes)s min") % {"minutes": candidate.minutes},
        str(Session.Modality(candidate.modality).label),
    ]
    if candidate.childcare:
        parts.append(_("childcare"))
    if candidate.transportation:
        parts.append(_("transportation"))
    parts.append(", ".join(candidate.languages))
    return ", ".join(parts)


def _candidates(request, session: Session):
    """The candidate formset and the candidates read from it: the defaults when the
    page is opened without any."""
    if f"{PREFIX}-TOTAL_FORMS" not in request.GET:
        defaults = default_candidates(session)
        formset = CandidateFormSet(prefix=PREFIX, initial=[_initial(c) for c in defaults])
        return formset, defaults
    # Any row left empty is skipped, the session's own included.
    formset = CandidateFormSet(request.GET, prefix=PREFIX, form_kwargs={"empty_permitted": True})
    formset.is_valid()
    candidates = [
        form.candidate()
        for form in formset.forms
        if form.has_changed() and not form.errors and form.cleaned_data
    ]
    return formset, candidates


@staff(RUN)
def session_scheduling(request, pk: int):
    session = access_session(request.user, pk)
    formset, candidates = _candidates(request, session)
    has_errors = formset.is_bound and (
        bool(formset.non_form_errors()) or any(form.errors for form in formset.forms)
    )
    comparison = compare_candidates(request.user, session, candidates) if candidates else None
    columns = []
    if comparison:
        columns = [
            {
                "label": candidate_label(result.candidate),
                "reach": result,
                "best": i == comparison.best,
            }
            for i, result in enumerate(comparison.reaches)
        ]
    return render(
        request,
        "programs/scheduling.html",
        {
            "session": session,
            "formset": formset,
            "has_errors": has_errors,
            "comparison": comparison,
            "columns": columns,
            "language_rows": _rows(comparison, "by_language", columns),
            "school_rows": _rows(comparison, "by_school", columns),
            "zone": session_zone(session).key,
        },
        status=400 if has_errors else 200,
    )


def _rows(comparison, measure: str, columns: list[dict]) -> list[dict]:
    """One row per language (or school) of the population: its key, its size, and each
    candidate's count. The template names languages; schools are named here."""
    if comparison is None:
        return []
    if measure == "by_language":
        keys, labels = comparison.languages, {}
    else:
        keys = comparison.school_ids
        labels = {
            pk: comparison.schools[pk].name if pk else _("No school on record") for pk in keys
        }
    return [
        {
            "key": key,
            "label": labels.get(key, key),
            "everyone": getattr(comparison.everyone, measure)[key],
            "counts": [getattr(column["reach"], measure).get(key, 0) for column in columns],
        }
        for key in keys
    ]


# Outreach ------------------------------------------------------------------------------


def _session_labels(program) -> dict[int, str]:
    """Each session of the program as "Title (day, time)", in the active language."""
    return {
        pk: f"{session.title} ({when_text(session)})"
        for pk, session in program_sessions(program).items()
    }


def _with_sessions(caregivers, labels: dict[int, str]) -> list:
    for caregiver in caregivers:
        caregiver.sessions_invited = [
            labels[invitation.session_id] for invitation in caregiver.invitations_here
        ]
    return caregivers


@staff(RUN)
@require_http_methods(["GET", "POST"])
def program_outreach(request, pk: int):
    user = request.user
    program = access_program(user, pk)
    caregivers = never_came(user, program)
    default_name = _("Never came: %(program)s") % {"program": program.name}
    if request.method == "POST":
        return _save_list(request, program, caregivers, default_name[:MAX_NAME_CHARS])
    page = Paginator(caregivers, PAGE_SIZE).get_page(request.GET.get("page"))
    _with_sessions(page.object_list, _session_labels(program))
    record(
        actor=user,
        action="programs.outreach_viewed",
        target=program,
        shown=len(page.object_list),
    )
    return render(
        request,
        "programs/outreach.html",
        {
            "program": program,
            "page": page,
            "region": program.organization.phone_region,
            "list_name": default_name[:MAX_NAME_CHARS],
            "max_name": MAX_NAME_CHARS,
        },
    )


def _save_list(request, program, caregivers, default_name: str):
    name = request.POST.get("name", "").strip() or default_name
    schools = list(program.schools.all()[:2])
    try:
        saved = save_household_list(
            actor=request.user,
            name=name,
            households=Household.objects.filter(households_of(caregivers)),
            school=schools[0] if len(schools) == 1 else None,
        )
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
        return redirect("programs:program-outreach", pk=program.pk)
    messages.success(
        request,
        _("Saved the list “%(name)s” for peer-parent outreach. Write to it from Messages.")
        % {"name": saved.name},
    )
    return redirect("programs:program-outreach", pk=program.pk)


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer rows."""

    def write(self, value: str) -> str:
        return value


def _safe(value: str) -> str:
    """A spreadsheet runs a cell starting with = + - @ as a formula: quote it as text."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@staff(RUN)
def program_outreach_csv(request, pk: int):
    user = request.user
    program = access_program(user, pk)
    caregivers = never_came(user, program)
    labels = _session_labels(program)
    region = program.organization.phone_region
    ui_language = get_language() or "en"
    record(
        actor=user,
        action="programs.outreach_exported",
        target=program,
        caregivers=caregivers.count(),
    )
    writer = csv.writer(_Echo())
    header = [
        _("Caregiver"),
        _("Household id"),
        _("Preferred language"),
        _("Phone"),
        _("Needs"),
        _("Invited to"),
    ]

    def lines():
        yield writer.writerow(header)
        for caregiver in caregivers.iterator(chunk_size=500):
            with translation.override(ui_language):
                _with_sessions([caregiver], labels)
                row = [
                    caregiver.full_name,
                    str(caregiver.household_id),
                    language_label(caregiver.preferred_language, ui_language),
                    "; ".join(contact_value(phone, region) for phone in caregiver.phones),
                    "; ".join(str(need) for need in needs_of([caregiver])),
                    "; ".join(caregiver.sessions_invited),
                ]
                yield writer.writerow([_safe(value) for value in row])

    return StreamingHttpResponse(
        lines(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="outreach-program-{pk}.csv"'},
    )


urlpatterns = [
    path("sessions/<int:pk>/scheduling/", session_scheduling, name="session-scheduling"),
    path("<int:pk>/outreach/", program_outreach, name="program-outreach"),
    path("<int:pk>/outreach.csv", program_outreach_csv, name="program-outreach-csv"),
]
