"""Forms of the staff directory: the list filters and a caregiver's corrections."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tandem.directory.corrections import ContactCorrection, NewContact
from tandem.directory.display import contact_value, language_label
from tandem.directory.languages import normalize_language_tag
from tandem.directory.models import Caregiver, ContactPoint, School
from tandem.directory.selectors import DirectoryFilters

NEED_CHOICES = [
    ("childcare", _("Childcare")),
    ("transportation", _("Transportation")),
    ("interpretation", _("Interpretation")),
    ("accessibility", _("Accessibility")),
]
AVAILABILITY_CHOICES = [
    ("", _("Any time")),
    ("weekday_daytime", _("Weekdays, during the school day")),
    ("weekday_evening", _("Weekday evenings")),
    ("weekend", _("Weekends")),
]


class DirectoryFilterForm(forms.Form):
    """The directory's GET filters. Choices are limited to what the user may see."""

    q = forms.CharField(
        label=_("Name, phone or email"),
        required=False,
        max_length=100,
        strip=True,
        help_text=_("A family, caregiver or student name, or a full phone number or email."),
    )
    school = forms.ChoiceField(label=_("School"), required=False)
    language = forms.ChoiceField(label=_("Preferred language"), required=False)
    needs = forms.MultipleChoiceField(
        label=_("Needs"),
        choices=NEED_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    relationship = forms.ChoiceField(
        label=_("Relationship"),
        choices=[("", _("Any relationship")), *Caregiver.Relationship.choices],
        required=False,
    )
    availability = forms.ChoiceField(
        label=_("Available"), choices=AVAILABILITY_CHOICES, required=False
    )
    not_reached = forms.BooleanField(label=_("Only families not yet reached"), required=False)

    def __init__(self, data=None, *, schools: list[School], languages: list[str], ui_language):
        super().__init__(data)
        self._schools = {str(school.pk): school for school in schools}
        self.fields["school"].choices = [
            ("", _("All my schools")),
            *((str(school.pk), school.name) for school in schools),
        ]
        self.fields["language"].choices = [
            ("", _("Any language")),
            *sorted(
                ((tag, language_label(tag, ui_language)) for tag in languages),
                key=lambda choice: choice[1].casefold(),
            ),
        ]

    def filters(self) -> DirectoryFilters:
        data = self.cleaned_data
        return DirectoryFilters(
            school=self._schools.get(data["school"]),
            language=data["language"],
            needs=tuple(data["needs"]),
            not_reached=data["not_reached"],
            relationship=data["relationship"],
            availability=data["availability"],
            search=data["q"],
        )


class CaregiverCorrectionForm(forms.Form):
    """One caregiver's language, relationship, needs and contact points, as staff correct them.

    Field names match the keys of the ValidationError that
    `tandem.directory.corrections.correct_caregiver` raises, so its errors land on fields.
    """

    preferred_language = forms.CharField(
        label=_("Preferred language"), max_length=35, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    relationship = forms.ChoiceField(
        label=_("Relationship to the students"), choices=Caregiver.Relationship.choices
    )
    needs_childcare = forms.BooleanField(label=_("Needs childcare"), required=False)
    needs_transportation = forms.BooleanField(label=_("Needs transportation"), required=False)
    needs_interpretation = forms.BooleanField(label=_("Needs interpretation"), required=False)
    accessibility_note = forms.CharField(
        label=_("Accessibility needs"), max_length=500, required=False
    )
    new_contact_kind = forms.ChoiceField(
        label=_("Kind"), choices=ContactPoint.Kind.choices, required=False
    )
    new_contact_value = forms.CharField(
        label=_("New phone number or email"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocapitalize": "none"}),
    )
    new_contact_consent = forms.BooleanField(
        label=_("Agreed to be contacted there"), required=False
    )

    def __init__(self, data=None, *, caregiver: Caregiver, region: str, prefix: str | None = None):
        initial = {
            "preferred_language": caregiver.preferred_language,
            "relationship": caregiver.relationship,
            "needs_childcare": caregiver.needs_childcare,
            "needs_transportation": caregiver.needs_transportation,
            "needs_interpretation": caregiver.needs_interpretation,
            "accessibility_note": caregiver.accessibility_note,
        }
        self.caregiver = caregiver
        self.contacts = list(caregiver.contact_points.all())
        for contact in self.contacts:
            initial[f"contact_{contact.pk}_value"] = contact_value(contact, region)
            initial[f"contact_{contact.pk}_consent"] = contact.consent
        super().__init__(data, initial=initial, prefix=prefix)
        self.fields["preferred_language"].help_text = _(
            "Now: %(language)s. A language tag, for example es, vi, so, zh-Hant."
        ) % {"language": language_label(caregiver.preferred_language, get_language() or "en")}
        for contact in self.contacts:
            phone = contact.kind == ContactPoint.Kind.PHONE
            self.fields[f"contact_{contact.pk}_value"] = forms.CharField(
                label=_("Number") if phone else _("Address"),
                max_length=254,
                widget=forms.TextInput(
                    attrs={"inputmode": "tel", "dir": "ltr"}
                    if phone
                    else {"inputmode": "email", "dir": "ltr", "autocapitalize": "none"}
                ),
            )
            self.fields[f"contact_{contact.pk}_consent"] = forms.BooleanField(
                label=_("Agreed to text messages") if phone else _("Agreed to email"),
                required=False,
            )
            self.fields[f"contact_{contact.pk}_remove"] = forms.BooleanField(
                label=_("Remove"), required=False
            )

    def contact_rows(self):
        """(contact, value field, consent field, remove field) for the template."""
        return [
            (
                contact,
                self[f"contact_{contact.pk}_value"],
                self[f"contact_{contact.pk}_consent"],
                self[f"contact_{contact.pk}_remove"],
            )
            for contact in self.contacts
        ]

    def clean_preferred_language(self) -> str:
        return normalize_language_tag(self.cleaned_data["preferred_language"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_contact_value") and not cleaned.get("new_contact_kind"):
            self.add_error("new_contact_kind", _("Choose whether this is a phone or an email."))
        return cleaned

    def correction(self) -> dict:
        """Keyword arguments for `correct_caregiver`, from the cleaned data."""
        data = self.cleaned_data
        new_contact = None
        if data["new_contact_value"]:
            new_contact = NewContact(
                kind=data["new_contact_kind"],
                value=data["new_contact_value"],
                consent=data["new_contact_consent"],
            )
        return {
            "preferred_language": data["preferred_language"],
            "relationship": data["relationship"],
            "needs_childcare": data["needs_childcare"],
            "needs_transportation": data["needs_transportation"],
            "needs_interpretation": data["needs_interpretation"],
            "accessibility_note": data["accessibility_note"],
            "contacts": [
                ContactCorrection(
                    contact_point_id=contact.pk,
                    value=data[f"contact_{contact.pk}_value"],
                    consent=data[f"contact_{contact.pk}_consent"],
                    remove=data[f"contact_{contact.pk}_remove"],
                )
                for contact in self.contacts
            ],
            "new_contact": new_contact,
        }


class StyleGuideForm(forms.Form):
    """The style guide's sample form: each kind of field, bound so errors show."""

    name = forms.CharField(label=_("Family name"), help_text=_("As the family writes it."))
    email = forms.EmailField(label=_("Email"))
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=[("es", "Español"), ("vi", "Tiếng Việt"), ("ar", "العربية")],
    )
    needs_childcare = forms.BooleanField(label=_("Needs childcare"), required=False)
    needs = forms.MultipleChoiceField(
        label=_("Needs"),
        choices=NEED_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
