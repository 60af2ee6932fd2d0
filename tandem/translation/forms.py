"""Forms of the translation pages: queue filter, review, glossary, memory search, policy."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tandem.directory.display import language_label
from tandem.directory.languages import normalize_language_tag
from tandem.translation.services import MAX_TEXT_CHARS


def language_choices(tags: list[str], empty_label) -> list[tuple[str, str]]:
    ui_language = get_language() or "en"
    return [
        ("", empty_label),
        *sorted(
            ((tag, language_label(tag, ui_language)) for tag in tags),
            key=lambda choice: choice[1].casefold(),
        ),
    ]


class LanguageFilterForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, data=None, *, languages: list[str]):
        super().__init__(data)
        self.fields["language"].choices = language_choices(languages, _("All languages"))


class MemorySearchForm(LanguageFilterForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Words from the original or the translation."),
    )


class ReviewLanguagesForm(forms.Form):
    languages = forms.CharField(
        label=_("Languages I review"),
        required=False,
        max_length=200,
        help_text=_(
            "Language tags separated by commas, for example: es, vi, so. "
            "Their drafts come first. Leave empty to see every language in the same order."
        ),
    )

    def clean_languages(self) -> list[str]:
        raw = [part for part in self.cleaned_data["languages"].replace(";", ",").split(",")]
        tags = []
        for part in (part.strip() for part in raw):
            if part:
                tags.append(normalize_language_tag(part))
        return tags


class ReviewForm(forms.Form):
    APPROVE = "approve"
    SAVE = "save"

    text = forms.CharField(
        label=_("Translation"),
        max_length=MAX_TEXT_CHARS * 2,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Edit the draft until it reads well, then approve it."),
        error_messages={"required": _("Write the translation before saving it.")},
    )
    action = forms.ChoiceField(
        choices=[(APPROVE, _("Approve")), (SAVE, _("Save edited text"))],
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Choose Approve or Save edited text.")},
    )

    def __init__(self, data=None, *, language: str, initial=None):
        super().__init__(data, initial=initial)
        self.fields["text"].widget.attrs.update({"lang": language, "dir": "auto"})


class GlossaryTermForm(forms.Form):
    target_language = forms.CharField(
        label=_("Language"),
        max_length=35,
        help_text=_("A language tag, for example: es, vi, zh, ar, ht, so, tl."),
    )
    term = forms.CharField(
        label=_("Term in English"),
        max_length=100,
        help_text=_("For example: report card, IEP, early dismissal."),
    )
    rendering = forms.CharField(label=_("Approved rendering"), max_length=200)
    plural_rendering = forms.CharField(
        label=_("Plural rendering"),
        max_length=200,
        required=False,
        help_text=_("Leave empty when the plural is written the same way."),
    )
    note = forms.CharField(
        label=_("Note for translators"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_target_language(self) -> str:
        return normalize_language_tag(self.cleaned_data["target_language"])


class PolicyForm(forms.Form):
    REVIEWED_ONLY = "reviewed_only"
    MACHINE_DRAFTS = "machine_drafts"

    policy = forms.ChoiceField(
        label=_("What families receive"),
        widget=forms.RadioSelect,
        choices=[
            (REVIEWED_ONLY, _("Only translations a person has reviewed (recommended)")),
            (
                MACHINE_DRAFTS,
                _("Machine drafts at once, marked as machine-translated, reviewed afterwards"),
            ),
        ],
    )

    @property
    def send_machine_drafts(self) -> bool:
        return self.cleaned_data["policy"] == self.MACHINE_DRAFTS


def error_for_form(form: forms.Form, invalid: ValidationError) -> None:
    """Put a service's errors on the fields they name, the rest above the form."""
    if not hasattr(invalid, "error_dict"):
        form.add_error(None, invalid)
        return
    for field, errors in invalid.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
