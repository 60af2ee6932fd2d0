"""Forms of the messaging pages: composing a message, replying in a thread, a family's
reply. They read and check input; `compose.compose_message` decides and stores."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.directory.languages import normalize_language_tag
from tandem.directory.models import Household, School, Student
from tandem.messaging.models import Message, SavedList
from tandem.messaging.web_replies import MAX_REPLY_CHARS

NOW = "now"
LATER = "later"


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, school: School) -> str:
        return school.name


def add_service_errors(form: forms.Form, invalid: ValidationError) -> None:
    """Put a service's errors on the fields they name, the rest above the form."""
    if not hasattr(invalid, "error_dict"):
        form.add_error(None, invalid)
        return
    for name, errors in invalid.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


class LanguageField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Written in"))
        kwargs.setdefault(
            "help_text", _("The language you write in, as a tag: for example en, es, vi or ar.")
        )
        super().__init__(max_length=35, **kwargs)

    def clean(self, value):
        return normalize_language_tag(super().clean(value))


class MessageBodyField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Message"))
        super().__init__(
            widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
            error_messages={"required": _("Write the message.")},
            **kwargs,
        )


class ComposeForm(forms.Form):
    """A message to a school, a grade at a school, or (opened from a household or a saved
    list) one household or the households of a list."""

    school = SchoolChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose a school."), "invalid_choice": _("Choose a school.")},
    )
    grade = forms.ChoiceField(
        label=_("Grade"),
        required=False,
        help_text=_("Leave as is to write to every family at the school."),
    )
    body = MessageBodyField(
        help_text=_(
            "Each family gets it in its own language. Long texts are sent as several text messages."
        ),
    )
    language = LanguageField()
    learning_subject = forms.CharField(label=_("Subject"), required=False, max_length=100)
    learning_unit = forms.CharField(
        label=_("What students are learning"), required=False, max_length=200
    )
    learning_tip = forms.CharField(
        label=_("A tip to try at home"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    when = forms.ChoiceField(
        label=_("When"),
        choices=[(NOW, _("Send now")), (LATER, _("Send later"))],
        initial=NOW,
        widget=forms.RadioSelect,
    )
    send_at = forms.DateTimeField(
        label=_("Date and time to send"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"invalid": _("Enter a date and time, for example 2026-09-14 18:30.")},
    )

    def __init__(
        self,
        data=None,
        *,
        schools,
        household: Household | None = None,
        saved_list: SavedList | None = None,
        time_zone: str = "",
        initial,
    ):
        super().__init__(data, initial=initial)
        self.household = household
        self.saved_list = saved_list
        self.time_zone = time_zone  # the household's; a school's is read from the choice
        if time_zone:
            self.fields["send_at"].help_text = _("In %(zone)s time.") % {"zone": time_zone}
        else:
            self.fields["send_at"].help_text = _("In the school's time zone.")
        if household is not None or saved_list is not None:
            del self.fields["school"]
            del self.fields["grade"]
        else:
            self.fields["school"].queryset = schools
            self.fields["grade"].choices = [("", _("Every grade")), *Student.Grade.choices]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("when") == LATER:
            send_at = cleaned.get("send_at")
            if send_at is None and "send_at" not in self.errors:
                self.add_error("send_at", _("Choose when to send the message."))
            elif send_at is not None and (self.time_zone or cleaned.get("school")):
                zone = self.time_zone or cleaned["school"].time_zone
                cleaned["send_at"] = in_zone(send_at, zone)
        else:
            cleaned["send_at"] = None
        return cleaned

    @property
    def audience(self) -> str:
        if self.household is not None:
            return Message.Audience.HOUSEHOLD
        if self.saved_list is not None:
            return Message.Audience.LIST
        return Message.Audience.GRADE if self.cleaned_data.get("grade") else Message.Audience.SCHOOL

    def message_fields(self) -> dict:
        """Keyword arguments for `compose_message` (with actor and organization added)."""
        data = self.cleaned_data
        return {
            "audience": self.audience,
            "school": data.get("school"),
            "grade": data.get("grade") or "",
            "household": self.household,
            "saved_list": self.saved_list,
            "body": data["body"],
            "language": data["language"],
            "learning_subject": data["learning_subject"],
            "learning_unit": data["learning_unit"],
            "learning_tip": data["learning_tip"],
            "send_at": data["send_at"],
        }


def in_zone(value: datetime, zone: str) -> datetime:
    """The wall-clock time the writer typed, read in `zone` (the school's time zone)."""
    return timezone.make_aware(timezone.make_naive(value), ZoneInfo(zone))


class ThreadReplyForm(forms.Form):
    """Staff writing to one household from its thread."""

    body = MessageBodyField(
        label=_("Your message"),
        help_text=_("The family gets it in its own language."),
    )
    language = LanguageField()


class FamilyReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Write to the school"),
        max_length=MAX_REPLY_CHARS,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("Write in the language you prefer. The school reads it translated."),
        error_messages={"required": _("Write your message.")},
    )
