"""Forms of the campaign pages; they read and check input, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.directory.models import School
from tandem.listening.models import Protocol


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, school: School) -> str:
        return school.name


class ProtocolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, protocol: Protocol) -> str:
        return protocol.name


class CampaignForm(forms.Form):
    protocol = ProtocolChoiceField(
        label=_("Protocol"),
        queryset=Protocol.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the questions to ask.")},
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("For example: Spring listening at Oak Elementary."),
        error_messages={"required": _("Give the campaign a name.")},
    )
    school = SchoolChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        required=False,
        empty_label=_("District-wide (every school)"),
    )
    closes_on = forms.DateField(
        label=_("Answers accepted until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Say until when answers are accepted."),
            "invalid": _("Enter a date, for example 2026-12-15."),
        },
    )

    def __init__(self, *args, protocols, schools, district_wide: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["protocol"].queryset = protocols
        self.fields["school"].queryset = schools
        if not district_wide:
            self.fields["school"].required = True
            self.fields["school"].empty_label = None
