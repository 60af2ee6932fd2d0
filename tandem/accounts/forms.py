"""Forms for signing in (families by code, staff by password and TOTP), for two-step
verification, and for a family's contact preferences."""

from dataclasses import dataclass

import langcodes
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tandem.accounts import codes, selectors
from tandem.accounts.family import ContactPreferences, NewContact
from tandem.directory.demographics import PREFER_NOT_TO_SAY, QUESTIONS, SELF_DESCRIBE_MAX_LENGTH
from tandem.directory.display import contact_value, language_label
from tandem.directory.languages import normalize_language_tag
from tandem.directory.models import AvailabilityWindow, Caregiver, ContactPoint


def _code_widget() -> forms.TextInput:
    # Phones offer the digits keypad and fill the code straight from the message.
    return forms.TextInput(
        attrs={
            "inputmode": "numeric",
            "autocomplete": "one-time-code",
            "pattern": "[0-9 ]*",
            "maxlength": "9",
            "size": "9",
            "class": "input--code",
        }
    )


class PlainForm(forms.Form):
    """Labels without Django's trailing colon: they read as sentences and questions."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SixDigitCodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", _code_widget())
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def clean(self, value):
        code = codes.normalize_code(super().clean(value))
        if len(code) != codes.CODE_DIGITS:
            raise ValidationError(_("Enter the 6 digits of the code."), code="invalid")
        return code


class FamilySignInForm(PlainForm):
    destination = forms.CharField(
        label=_("Mobile number or email address"),
        max_length=254,
        help_text=_("We will send you a 6-digit code. There is no password to remember."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_destination(self) -> selectors.Destination:
        return selectors.destination_for_sign_in(self.cleaned_data["destination"])


class SignInCodeForm(PlainForm):
    code = SixDigitCodeField(
        label=_("Your 6-digit code"),
        help_text=_("It is in the text message or email we just sent you."),
    )


class StaffSignInForm(PlainForm):
    email = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class TokenForm(PlainForm):
    token = SixDigitCodeField(
        label=_("Code from your authenticator app"),
        help_text=_("Six digits; a new one appears every 30 seconds."),
    )


class RemoveDeviceForm(PlainForm):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        help_text=_("To turn two-step verification off, confirm it is you."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("That password is not right."), code="wrong_password")
        return password


# Languages offered in the list, by their own names; any other is typed in.
COMMON_LANGUAGES = (
    "en",
    "es",
    "ar",
    "vi",
    "zh-Hans",
    "zh-Hant",
    "ht",
    "so",
    "fil",
    "fr",
    "pt",
    "ru",
    "uk",
    "ko",
    "hmn",
    "am",
    "ti",
    "sw",
    "ne",
    "my",
    "fa",
    "ps",
    "ur",
    "bn",
    "hi",
)
OTHER_LANGUAGE = "other"


def _language_label(tag: str) -> str:
    own = language_label(tag, get_language() or "en")
    return own[:1].upper() + own[1:]


def read_language(value: str) -> str:
    """A BCP 47 tag, or a language's name in English or in itself ("Khmer", "ភាសាខ្មែរ")."""
    try:
        return normalize_language_tag(value)
    except ValidationError:
        try:
            found = langcodes.find(value.strip())
        except LookupError:
            found = None
        if found is None:
            raise
        return normalize_language_tag(found.to_tag())


class AvailabilityForm(PlainForm):
    weekday = forms.TypedChoiceField(
        label=_("Day"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "—"), *AvailabilityWindow.Weekday.choices],
    )
    starts_at = forms.TimeField(
        label=_("From"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    ends_at = forms.TimeField(
        label=_("Until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("DELETE"):
            return cleaned
        values = [cleaned.get(name) for name in ("weekday", "starts_at", "ends_at")]
        if all(value is None for value in values) and not self.errors:
            return cleaned
        for name, value in zip(("weekday", "starts_at", "ends_at"), values, strict=True):
            if value is None and name not in self.errors:
                self.add_error(name, _("Fill in the day and both times, or leave the row empty."))
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error(
                "ends_at", _("The time you are available until must be after the start.")
            )
        return cleaned

    @property
    def window(self) -> tuple[int, object, object] | None:
        data = self.cleaned_data
        if data.get("DELETE") or data.get("weekday") is None:
            return None
        return data["weekday"], data["starts_at"], data["ends_at"]


AvailabilityFormSet = forms.formset_factory(
    AvailabilityForm, extra=2, can_delete=True, max_num=21, validate_max=True
)


@dataclass(frozen=True)
class ContactRow:
    contact: ContactPoint
    display: str
    consent: forms.BoundField


@dataclass(frozen=True)
class QuestionFields:
    legend: str
    answers: forms.BoundField
    own_words: forms.BoundField


class ContactPreferencesForm(PlainForm):
    """One caregiver's choices. Contact points and demographic questions add fields."""

    language = forms.ChoiceField(label=_("Language for messages from school"))
    language_other = forms.CharField(
        label=_("Another language"),
        required=False,
        max_length=60,
        help_text=_(
            "If your language is not in the list, type its name or code (for example: km)."
        ),
    )
    preferred_contact = forms.TypedChoiceField(
        label=_("Where should we reach you first?"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    new_phone = forms.CharField(
        label=_("Add a mobile number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    new_phone_consent = forms.BooleanField(
        label=_("Text messages to this number are OK"), required=False, initial=True
    )
    new_email = forms.CharField(
        label=_("Add an email address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none"}),
    )
    new_email_consent = forms.BooleanField(
        label=_("Emails to this address are OK"), required=False, initial=True
    )
    needs_childcare = forms.BooleanField(label=_("Childcare during meetings"), required=False)
    needs_transportation = forms.BooleanField(label=_("Transportation"), required=False)
    needs_interpretation = forms.BooleanField(label=_("An interpreter"), required=False)
    accessibility_note = forms.CharField(
        label=_("Anything else that would help you take part (accessibility)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, caregiver: Caregiver, contacts: list[ContactPoint], **kwargs):
        self.caregiver = caregiver
        self.contacts = contacts
        kwargs.setdefault("initial", self._initial())
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            *((tag, _language_label(tag)) for tag in COMMON_LANGUAGES),
            (OTHER_LANGUAGE, _("Another language (type it below)")),
        ]
        region = caregiver.organization.phone_region
        for contact in contacts:
            # First-strong isolates keep a number or address in order in right-to-left text.
            shown = f"\u2068{contact_value(contact, region)}\u2069"
            label = (
                _("Text messages to %(number)s are OK") % {"number": shown}
                if contact.kind == ContactPoint.Kind.PHONE
                else _("Emails to %(address)s are OK") % {"address": shown}
            )
            self.fields[f"consent_{contact.pk}"] = forms.BooleanField(label=label, required=False)
        self.fields["preferred_contact"].choices = [
            (contact.pk, contact_value(contact, region)) for contact in contacts
        ]
        for question in QUESTIONS:
            choices = [*question.options, (PREFER_NOT_TO_SAY, _("Prefer not to say"))]
            if question.multiple:
                field = forms.MultipleChoiceField(
                    label=question.label,
                    choices=choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
            else:
                field = forms.ChoiceField(
                    label=question.label,
                    choices=[("", _("No answer")), *choices],
                    required=False,
                    widget=forms.RadioSelect,
                )
            self.fields[question.key] = field
            self.fields[f"{question.key}_own_words"] = forms.CharField(
                label=_("In your own words (optional)"),
                required=False,
                max_length=SELF_DESCRIBE_MAX_LENGTH,
            )

    def _initial(self) -> dict:
        caregiver = self.caregiver
        language = caregiver.preferred_language
        initial = {
            "language": language if language in COMMON_LANGUAGES else OTHER_LANGUAGE,
            "language_other": "" if language in COMMON_LANGUAGES else language,
            "needs_childcare": caregiver.needs_childcare,
            "needs_transportation": caregiver.needs_transportation,
            "needs_interpretation": caregiver.needs_interpretation,
            "accessibility_note": caregiver.accessibility_note,
            "preferred_contact": next(
                (contact.pk for contact in self.contacts if contact.is_preferred), None
            ),
        }
        for contact in self.contacts:
            initial[f"consent_{contact.pk}"] = contact.consent
        answers = caregiver.self_described or {}
        for question in QUESTIONS:
            chosen = answers.get(question.key, [])
            initial[question.key] = chosen if question.multiple else (chosen or [""])[0]
            initial[f"{question.key}_own_words"] = answers.get(f"{question.key}_own_words", "")
        return initial

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("language") == OTHER_LANGUAGE:
            typed = cleaned.get("language_other", "")
            if not typed.strip():
                self.add_error("language_other", _("Type the name or code of your language."))
            else:
                try:
                    cleaned["preferred_language"] = read_language(typed)
                except ValidationError as error:
                    self.add_error("language_other", error)
        elif cleaned.get("language"):
            cleaned["preferred_language"] = cleaned["language"]
        if cleaned.get("new_phone"):
            self._check_contact("new_phone", ContactPoint.Kind.PHONE)
        if cleaned.get("new_email"):
            self._check_contact("new_email", ContactPoint.Kind.EMAIL)
        return cleaned

    def _check_contact(self, name: str, kind: str) -> None:
        from tandem.directory.services import normalize_contact

        try:
            normalize_contact(
                kind, self.cleaned_data[name], region=self.caregiver.organization.phone_region
            )
        except ValidationError as error:
            self.add_error(name, error)

    def contact_rows(self) -> list[ContactRow]:
        return [
            ContactRow(
                contact,
                contact_value(contact, self.caregiver.organization.phone_region),
                self[f"consent_{contact.pk}"],
            )
            for contact in self.contacts
        ]

    def question_fields(self) -> list[QuestionFields]:
        return [
            QuestionFields(question.label, self[question.key], self[f"{question.key}_own_words"])
            for question in QUESTIONS
        ]

    def preferences(self, availability: AvailabilityFormSet) -> ContactPreferences:
        data = self.cleaned_data
        self_described: dict = {}
        for question in QUESTIONS:
            answer = data.get(question.key)
            if answer:
                self_described[question.key] = answer if question.multiple else [answer]
            if own_words := data.get(f"{question.key}_own_words", "").strip():
                self_described[f"{question.key}_own_words"] = own_words
        new_contacts = []
        if data.get("new_phone"):
            new_contacts.append(
                NewContact(ContactPoint.Kind.PHONE, data["new_phone"], data["new_phone_consent"])
            )
        if data.get("new_email"):
            new_contacts.append(
                NewContact(ContactPoint.Kind.EMAIL, data["new_email"], data["new_email_consent"])
            )
        return ContactPreferences(
            preferred_language=data["preferred_language"],
            consents={contact.pk: data[f"consent_{contact.pk}"] for contact in self.contacts},
            preferred_contact_id=data.get("preferred_contact"),
            new_contacts=new_contacts,
            availability=[form.window for form in availability.forms if form.window],
            needs_childcare=data["needs_childcare"],
            needs_transportation=data["needs_transportation"],
            needs_interpretation=data["needs_interpretation"],
            accessibility_note=data["accessibility_note"],
            self_described=self_described,
        )

    # Where the service's error names land on this page.
    SERVICE_ERROR_FIELDS = {
        "preferred_language": "language_other",
        "new_phone": "new_phone",
        "new_email": "new_email",
        "preferred_contact": "preferred_contact",
        "accessibility_note": "accessibility_note",
    }

    def add_service_errors(self, error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            self.add_error(self.SERVICE_ERROR_FIELDS.get(name), messages)


@dataclass(frozen=True)
class SummaryError:
    anchor: str
    label: str
    message: str


def error_summary(form: forms.Form, *formsets: forms.BaseFormSet) -> list[SummaryError]:
    """Every error on the page, each linking to its field, for the summary at the top."""
    summary = []

    def collect(each_form: forms.Form, position: str = "") -> None:
        for name, errors in each_form.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS:
                anchor, label = "main", position
            else:
                anchor = each_form[name].id_for_label or each_form[name].auto_id
                label = f"{position}{each_form.fields[name].label}"
            summary.extend(SummaryError(anchor, label, message) for message in errors)

    collect(form)
    for formset in formsets:
        for message in formset.non_form_errors():
            summary.append(SummaryError("main", "", message))
        for number, each_form in enumerate(formset.forms, start=1):
            collect(each_form, f"{_('Row')} {number}: ")
    return summary
