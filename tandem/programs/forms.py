"""Forms of the program and session pages: they read and check what staff typed; the
services decide. Times are typed as the wall-clock time of the session's place (the
view attaches the time zone), so no form depends on the browser's or server's zone."""

from datetime import UTC, date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.directory.languages import parse_languages
from tandem.directory.models import School
from tandem.programs.models import Facilitator, Program, Session
from tandem.programs.topics import topic_choices


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, school: School) -> str:
        return school.name


class SchoolsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, school: School) -> str:
        return school.name


class LanguagesField(forms.CharField):
    """BCP 47 tags separated by commas or spaces: "en, es, so"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault(
            "help_text", _("Language tags separated by commas, for example: en, es, so.")
        )
        super().__init__(**kwargs)

    def clean(self, value):
        return parse_languages(super().clean(value) or "")


class WallClockDateTimeField(forms.DateTimeField):
    """A date and time as typed, without a time zone: the view places it in the
    session's."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        with timezone.override(UTC):
            parsed = super().to_python(value)
        return timezone.make_naive(parsed, UTC) if parsed else None


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time_input():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ProgramForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("For example: Families as partners, spring series."),
        error_messages={"required": _("Give the program a name.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Program.Kind.choices,
        error_messages={"required": _("Choose what kind of program this is.")},
    )
    audience = forms.ChoiceField(
        label=_("For"),
        choices=Program.Audience.choices,
        error_messages={"required": _("Choose who the program is for.")},
    )
    schools = SchoolsField(
        label=_("Schools"),
        queryset=School.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for a program of the whole organization."),
        error_messages={"invalid_choice": _("Choose schools from the list.")},
    )
    languages = LanguagesField(
        label=_("Held in"),
        initial="en, es",
        error_messages={"required": _("Name at least one language the program is held in.")},
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )
    open_to_all_families = forms.BooleanField(
        label=_("Open to families from outside our schools"), required=False
    )
    sessions_to_complete = forms.IntegerField(
        label=_("Sessions to attend for a certificate"),
        required=False,
        help_text=_("Leave empty when the program gives no certificate."),
        error_messages={"invalid": _("Enter a whole number of sessions.")},
    )

    def __init__(self, *args, schools, whole_organization: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = schools
        self.whole_organization = whole_organization
        if not whole_organization:
            self.fields["schools"].help_text = ""

    def clean_schools(self):
        schools = list(self.cleaned_data["schools"])
        if not schools and not self.whole_organization:
            raise ValidationError(_("Choose at least one school."))
        if len({school.organization_id for school in schools}) > 1:
            raise ValidationError(_("Choose schools of one organization."))
        return schools


def school_years(today: date) -> list[tuple[int, str]]:
    """The school years a Parent College may be planned for (the service's range),
    the current one first."""
    current = today.year if today.month >= 7 else today.year - 1
    years = [
        y for y in (current, current + 1, current - 1) if today.year - 1 <= y <= today.year + 2
    ]
    return [(year, f"{year}–{year + 1}") for year in years]


class ParentCollegeForm(forms.Form):
    school = SchoolChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Choose the school that holds the Parent College."),
            "invalid_choice": _("Choose a school from the list."),
        },
    )
    school_year_starts = forms.TypedChoiceField(
        label=_("School year"),
        coerce=int,
        choices=(),
        error_messages={"invalid_choice": _("Choose a school year from the list.")},
    )
    languages = LanguagesField(
        label=_("Held in"),
        initial="en, es",
        error_messages={"required": _("Name at least one language the sessions are held in.")},
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=300,
        required=False,
        help_text=_("For example: the Parent Center. Leave empty to use the school's name."),
    )

    def __init__(self, *args, schools, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["school_year_starts"].choices = school_years(today)


class SessionForm(forms.Form):
    """A session's plan. Dates and times are the wall-clock time where it is held."""

    school = SchoolChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        empty_label=None,
        help_text=_("The session's times are in this school's time zone."),
        error_messages={
            "required": _("Choose the school that holds the session."),
            "invalid_choice": _("Choose one of the program's schools."),
        },
    )
    topic = forms.ChoiceField(
        label=_("Topic"),
        required=False,
        help_text=_("From the topic catalog."),
        error_messages={"invalid_choice": _("Choose a topic from the catalog.")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the topic's name."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Session.Kind.choices, initial="workshop")
    day = forms.DateField(
        label=_("Date"),
        widget=_date_input(),
        error_messages={
            "required": _("Enter the date of the session."),
            "invalid": _("Enter a date, for example 2026-10-10."),
        },
    )
    starts_at = forms.TimeField(
        label=_("Starts at"),
        widget=_time_input(),
        error_messages={
            "required": _("Enter when the session starts."),
            "invalid": _("Enter a time, for example 10:00."),
        },
    )
    ends_at = forms.TimeField(
        label=_("Ends at"),
        widget=_time_input(),
        error_messages={
            "required": _("Enter when the session ends."),
            "invalid": _("Enter a time, for example 12:00."),
        },
    )
    modality = forms.ChoiceField(
        label=_("How families join"),
        choices=Session.Modality.choices,
        initial=Session.Modality.IN_PERSON,
        widget=forms.RadioSelect,
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=300,
        required=False,
        help_text=_("For example: Parent Center, room 104."),
    )
    virtual_link = forms.URLField(
        label=_("Link to join online"),
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a link that starts with https://.")},
    )
    languages = LanguagesField(
        label=_("Held in"),
        error_messages={"required": _("Name at least one language the session is held in.")},
    )
    interpretation = LanguagesField(
        label=_("Interpretation into"),
        required=False,
        help_text=_("Languages interpreters will be there for, for example: so, vi."),
    )
    childcare = forms.BooleanField(label=_("Childcare"), required=False)
    childcare_seats = forms.IntegerField(
        label=_("Childcare seats"),
        required=False,
        min_value=1,
        max_value=500,
        help_text=_("Leave empty when there is no limit."),
        error_messages={"invalid": _("Enter a whole number of seats.")},
    )
    transportation = forms.ChoiceField(
        label=_("Transportation"), choices=Session.Transportation.choices, required=False
    )
    food = forms.BooleanField(label=_("Food"), required=False)
    accessibility = forms.CharField(
        label=_("Accessibility"),
        max_length=500,
        required=False,
        help_text=_("For example: step-free entrance, captions, large print."),
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        max_value=100000,
        help_text=_("Leave empty when there is no limit; past it, families wait on a list."),
        error_messages={"invalid": _("Enter a whole number of places.")},
    )
    rsvp_deadline = WallClockDateTimeField(
        label=_("Answer by"),
        required=False,
        help_text=_("Leave empty to accept answers until the session starts."),
        error_messages={"invalid": _("Enter a date and time, for example 2026-10-08 18:00.")},
    )

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("No topic from the catalog")), *topic_choices()]
        if schools is None:
            del self.fields["school"]
        else:
            self.fields["school"].queryset = schools

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("childcare_seats") and not cleaned.get("childcare"):
            self.add_error("childcare_seats", _("Tick childcare to offer seats."))
        return cleaned

    def values(self, zone) -> dict:
        """What the services take: the wall-clock times placed in `zone`."""
        data = self.cleaned_data
        day = data["day"]

        def at(clock):
            return datetime.combine(day, clock, zone) if clock else None

        deadline = data.get("rsvp_deadline")
        return {
            "title": data["title"],
            "topic": data["topic"],
            "kind": data["kind"],
            "starts_at": at(data["starts_at"]),
            "ends_at": at(data["ends_at"]),
            "modality": data["modality"],
            "place": data["place"],
            "virtual_link": data["virtual_link"],
            "languages": data["languages"],
            "interpretation": data["interpretation"],
            "childcare": data["childcare"],
            "childcare_seats": data["childcare_seats"],
            "transportation": data["transportation"],
            "food": data["food"],
            "accessibility": data["accessibility"],
            "capacity": data["capacity"],
            "rsvp_deadline": deadline.replace(tzinfo=zone) if deadline else None,
        }


def session_initial(session: Session, zone) -> dict:
    """The session's values as the form shows them, in its own time zone."""
    starts = timezone.localtime(session.starts_at, zone)
    deadline = (
        timezone.localtime(session.rsvp_deadline, zone).replace(tzinfo=None)
        if session.rsvp_deadline
        else None
    )
    return {
        "topic": session.topic,
        "title": session.title,
        "kind": session.kind,
        "day": starts.date(),
        "starts_at": starts.time(),
        "ends_at": timezone.localtime(session.ends_at, zone).time(),
        "modality": session.modality,
        "place": session.place,
        "virtual_link": session.virtual_link,
        "languages": ", ".join(session.languages),
        "interpretation": ", ".join(session.interpretation),
        "childcare": session.childcare,
        "childcare_seats": session.childcare_seats,
        "transportation": session.transportation,
        "food": session.food,
        "accessibility": session.accessibility,
        "capacity": session.capacity,
        "rsvp_deadline": deadline,
    }


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, staff) -> str:
        return str(staff)


class CaregiverChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, caregiver) -> str:
        return caregiver.full_name


class FacilitatorForm(forms.Form):
    part = forms.ChoiceField(
        label=_("Part"),
        choices=Facilitator.Part.choices,
        initial=Facilitator.Part.LEAD,
        widget=forms.RadioSelect,
    )
    kind = forms.ChoiceField(
        label=_("Who"),
        choices=Facilitator.Kind.choices,
        initial=Facilitator.Kind.STAFF,
        widget=forms.RadioSelect,
    )
    staff = StaffChoiceField(
        label=_("From the staff"),
        queryset=None,
        required=False,
        empty_label=_("Not on the staff list"),
        error_messages={"invalid_choice": _("Choose someone from the staff list.")},
    )
    caregiver = CaregiverChoiceField(
        label=_("A parent from the directory"),
        queryset=None,
        required=False,
        empty_label=_("Not in the directory"),
        help_text=_("Parents who came to your programs can co-lead as peer parent leaders."),
        error_messages={"invalid_choice": _("Choose a parent from the list.")},
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("Needed only for someone not chosen from a list."),
    )
    languages = LanguagesField(label=_("Languages they facilitate in"), required=False)

    def __init__(self, *args, staff, caregivers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["caregiver"].queryset = caregivers

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("staff") and cleaned.get("caregiver"):
            self.add_error("caregiver", _("Choose someone from the staff or a parent, not both."))
        if cleaned.get("caregiver"):
            cleaned["kind"] = Facilitator.Kind.PEER_PARENT_LEADER
        return cleaned


class MaterialForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("Give each language's version the same title."),
        error_messages={"required": _("Give the material a title.")},
    )
    language = forms.CharField(
        label=_("Language"),
        max_length=35,
        help_text=_("A language tag, for example es."),
        error_messages={"required": _("Name the material's language.")},
    )
    url = forms.CharField(
        label=_("Link"),
        max_length=500,
        help_text=_("Where the handout, slides or video is, starting with https://."),
        error_messages={"required": _("Enter a link that starts with https://.")},
    )
