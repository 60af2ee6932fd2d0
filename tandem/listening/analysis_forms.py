"""Forms of the analysis screens: the answers' filters, finding themes, and reviewing a
theme (rename, tag, merge, split, move answers). Choices are limited to the campaign's
own questions, themes and answers, so a tampered id is an error next to its field."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tandem.directory.display import language_label
from tandem.listening.analysis import AnswerFilters, FilterChoices
from tandem.listening.models import Answer, Role, Theme
from tandem.listening.themes import MAX_LABEL


class AnswerFilterForm(forms.Form):
    question = forms.ModelChoiceField(label=_("Question"), queryset=None, required=False)
    school = forms.TypedChoiceField(label=_("School"), coerce=int, required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    role = forms.ChoiceField(
        label=_("Who spoke"), choices=[("", _("Anyone")), *Role.choices], required=False
    )
    session = forms.TypedChoiceField(label=_("Session"), coerce=int, required=False)

    def __init__(self, data, *, questions, choices: FilterChoices):
        super().__init__(data)
        self.fields["question"].queryset = questions
        self.fields["question"].empty_label = None
        self.fields["school"].choices = [
            ("", _("All schools")),
            *((school.pk, school.name) for school in choices.schools),
        ]
        self.fields["language"].choices = [
            ("", _("Any language")),
            *((tag, language_label(tag, get_language() or "en")) for tag in choices.languages),
        ]
        self.fields["session"].choices = [
            ("", _("Any session or none")),
            *((session.pk, str(session)) for session in choices.sessions),
        ]

    def filters(self) -> AnswerFilters:
        data = self.cleaned_data
        return AnswerFilters(
            school=data["school"] or None,
            language=data["language"],
            role=data["role"],
            session=data["session"] or None,
        )


class FindThemesForm(forms.Form):
    question = forms.ModelChoiceField(
        label=_("Question"), queryset=None, required=False, empty_label=_("Every question")
    )

    def __init__(self, data=None, *, questions):
        super().__init__(data)
        self.fields["question"].queryset = questions


class RenameForm(forms.Form):
    label = forms.CharField(label=_("Name"), max_length=MAX_LABEL)


class TagForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Strength or need"),
        choices=Theme.Kind.choices,
        required=False,
        widget=forms.RadioSelect,
    )


class _OtherThemesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Theme) -> str:
        return obj.label


class MergeForm(forms.Form):
    others = _OtherThemesField(
        label=_("Merge these themes into this one"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, data=None, *, others):
        super().__init__(data)
        self.fields["others"].queryset = others


class _AnswersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Answer) -> str:
        return obj.masked_text


class SplitForm(forms.Form):
    """The theme's answers chosen to form a new theme."""

    answers = _AnswersField(label=_("Answers"), queryset=None)
    label = forms.CharField(label=_("Name of the new theme"), max_length=MAX_LABEL)

    def __init__(self, data=None, *, answers):
        super().__init__(data)
        self.fields["answers"].queryset = answers


class _ThemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Theme) -> str:
        return obj.label


class MoveForm(forms.Form):
    """The theme's answers chosen to go to another theme of the question, or to none."""

    answers = _AnswersField(label=_("Answers"), queryset=None)
    target = _ThemeChoiceField(
        label=_("Move to"), queryset=None, required=False, empty_label=_("No theme")
    )

    def __init__(self, data=None, *, answers, targets):
        super().__init__(data)
        self.fields["answers"].queryset = answers
        self.fields["target"].queryset = targets


class MoveAnswerForm(forms.Form):
    target = _ThemeChoiceField(
        label=_("Theme"), queryset=None, required=False, empty_label=_("No theme")
    )

    def __init__(self, data=None, *, targets, initial=None):
        super().__init__(data, initial=initial)
        self.fields["target"].queryset = targets
