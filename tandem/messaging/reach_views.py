"""Reach pages: the dashboard of who was reached and heard from (aggregates, small groups
hidden), and a school's "not yet reached" list to call from, on screen or as CSV.

Rows come from `tandem.messaging.reach`; every view or export of the list is audited
with ids and counts only.
"""

import csv

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from tandem.accounts.access import access_object, staff
from tandem.accounts.permissions import Action
from tandem.accounts.scopes import visible_schools
from tandem.audit.services import record
from tandem.directory.display import contact_value, language_label, needs_of
from tandem.directory.models import ContactPoint
from tandem.messaging import reach
from tandem.messaging.models import Delivery

PAGE_SIZE = 50
PERIOD_CHOICES = [
    ("7", gettext_lazy("Last 7 days")),
    ("30", gettext_lazy("Last 30 days")),
    ("90", gettext_lazy("Last 90 days")),
]


def channel_label(channel: str) -> str:
    if channel == reach.NO_CHANNEL:
        return _("No way to reach")
    return str(Delivery.Channel(channel).label)


class ReachFilterForm(forms.Form):
    """The dashboard's GET filters; schools are limited to those the user may see."""

    school = forms.ChoiceField(label=gettext_lazy("School"), required=False)
    language = forms.CharField(
        label=gettext_lazy("Language"), required=False, max_length=35, widget=forms.Select
    )
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), required=False)
    period = forms.ChoiceField(label=gettext_lazy("Period"), choices=PERIOD_CHOICES, required=False)

    def __init__(self, data=None, *, schools):
        super().__init__(data)
        self._schools = {str(school.pk): school for school in schools}
        self.fields["school"].choices = [
            ("", _("All my schools")),
            *((str(school.pk), school.name) for school in schools),
        ]
        self.fields["channel"].choices = [
            ("", _("Any channel")),
            *((channel, channel_label(channel)) for channel in reach.CHANNELS),
        ]

    def set_languages(self, languages: list[str], ui_language: str) -> None:
        self.fields["language"].widget.choices = [
            ("", _("Any language")),
            *sorted(
                {
                    reach.primary_subtag(tag): language_label(
                        reach.primary_subtag(tag), ui_language
                    )
                    for tag in languages
                    if tag
                }.items(),
                key=lambda choice: choice[1].casefold(),
            ),
        ]

    def filters(self) -> reach.ReachFilters:
        data = self.cleaned_data
        return reach.ReachFilters(
            school=self._schools.get(data["school"]),
            language=reach.primary_subtag(data["language"]),
            channel=data["channel"],
            days=int(data["period"] or reach.DEFAULT_PERIOD),
        )


@staff(Action.VIEW_REPORTS)
def dashboard(request):
    user = request.user
    schools = list(visible_schools(user, Action.VIEW_REPORTS).order_by("name", "id"))
    form = ReachFilterForm(request.GET or None, schools=schools)
    status = 200
    filters = reach.ReachFilters()
    if form.is_bound:
        if form.is_valid():
            filters = form.filters()
        else:
            status = 400
    result = reach.reach_for(user, filters, schools=schools)
    form.set_languages(result.languages, get_language() or "en")
    return render(
        request,
        "messaging/reach.html",
        {
            "form": form,
            "reach": result,
            "filters": filters,
            "measures": reach.MEASURES,
            "min_group_size": settings.TANDEM_MIN_GROUP_SIZE,
            "channel_labels": {channel: channel_label(channel) for channel in reach.CHANNELS},
        },
        status=status,
    )


def _period(request) -> int:
    value = request.GET.get("period", "")
    return int(value) if value in {str(days) for days in reach.PERIODS} else reach.DEFAULT_PERIOD


def _school(request, pk: int):
    user = request.user
    return access_object(
        visible_schools(user, Action.VIEW_DIRECTORY).select_related("organization"),
        user,
        Action.VIEW_DIRECTORY,
        pk=pk,
    )


@staff(Action.VIEW_DIRECTORY)
def not_reached(request, pk: int):
    user = request.user
    school = _school(request, pk)
    days = _period(request)
    page = Paginator(reach.households_not_reached(user, school, days=days), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    record(
        actor=user,
        action="messaging.not_reached_viewed",
        target=school,
        shown=len(page.object_list),
        period_days=days,
    )
    return render(
        request,
        "messaging/reach_not_reached.html",
        {
            "school": school,
            "page": page,
            "days": days,
            "periods": PERIOD_CHOICES,
            "region": school.organization.phone_region,
        },
    )


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer rows."""

    def write(self, value: str) -> str:
        return value


CSV_COLUMNS = [
    ("household_id", gettext_lazy("Household id")),
    ("household", gettext_lazy("Household")),
    ("caregiver", gettext_lazy("Caregiver")),
    ("relationship", gettext_lazy("Relationship")),
    ("language", gettext_lazy("Preferred language")),
    ("phone", gettext_lazy("Phone")),
    ("email", gettext_lazy("Email")),
    ("availability", gettext_lazy("Available")),
    ("needs", gettext_lazy("Needs")),
    ("last_reached", gettext_lazy("Last reached")),
]


def _safe(value: str) -> str:
    """A spreadsheet runs a cell starting with = + - @ as a formula: quote it as text."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@staff(Action.VIEW_DIRECTORY)
def not_reached_csv(request, pk: int):
    user = request.user
    school = _school(request, pk)
    days = _period(request)
    households = reach.households_not_reached(user, school, days=days)
    record(
        actor=user,
        action="messaging.not_reached_exported",
        target=school,
        households=households.count(),
        period_days=days,
    )
    ui_language = get_language() or "en"
    region = school.organization.phone_region
    zone = timezone.get_current_timezone()
    writer = csv.writer(_Echo())

    header = [str(label) for _key, label in CSV_COLUMNS]

    def lines():
        yield writer.writerow(header)
        for household in households.iterator(chunk_size=500):
            with translation.override(ui_language):
                yield from _rows(household, writer, region, zone, ui_language)

    filename = f"not-reached-school-{school.pk}-{days}-days.csv"
    return StreamingHttpResponse(
        lines(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _rows(household, writer, region: str, zone, ui_language: str):
    """One CSV line per caregiver of the household: what a caller needs."""
    last = household.last_reached_at
    last_reached = last.astimezone(zone).date().isoformat() if last else ""
    for caregiver in household.caregivers.all():
        contacts = list(caregiver.contact_points.all())
        phones = [contact_value(c, region) for c in contacts if c.kind == ContactPoint.Kind.PHONE]
        emails = [c.value for c in contacts if c.kind == ContactPoint.Kind.EMAIL]
        row = [
            str(household.pk),
            household.name,
            caregiver.full_name,
            caregiver.get_relationship_display(),
            language_label(caregiver.preferred_language, ui_language),
            "; ".join(phones),
            "; ".join(emails),
            "; ".join(_window(window) for window in caregiver.availability.all()),
            "; ".join(str(need) for need in needs_of([caregiver])),
            last_reached,
        ]
        yield writer.writerow([_safe(value) for value in row])


def _window(window) -> str:
    return f"{window.get_weekday_display()} {window.starts_at:%H:%M}–{window.ends_at:%H:%M}"
