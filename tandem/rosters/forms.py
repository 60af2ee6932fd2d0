"""The roster upload form: the organization, the files and, if the user knows, the format."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.rosters.models import RosterImport


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class RosterUploadForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None, empty_label=None)
    files = MultipleFileField(
        label=_("Roster files"),
        help_text=_(
            "A .zip file exported from your student information system (OneRoster 1.2), "
            "or its .csv files, or one .csv file made from Tandem's template."
        ),
        error_messages={
            "required": _("Choose a .zip file or one or more .csv files to upload."),
        },
        widget=MultipleFileInput(attrs={"accept": ".csv,.zip,text/csv,application/zip"}),
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=RosterImport.Format.choices, required=False
    )

    def __init__(self, *args, organizations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if len(organizations) == 1:
            self.fields["organization"].initial = organizations[0]
            self.fields["organization"].widget = forms.HiddenInput()
