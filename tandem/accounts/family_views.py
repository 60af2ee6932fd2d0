"""A family's own pages: their household, their contact preferences, their data export.

Each page starts from the signed-in caregiver (`selectors.own_caregiver`), so a family
only ever reaches its own household.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tandem.accounts import selectors
from tandem.accounts.access import family
from tandem.accounts.family import (
    export_household,
    household_activity,
    update_contact_preferences,
)
from tandem.accounts.forms import AvailabilityFormSet, ContactPreferencesForm, error_summary
from tandem.accounts.permissions import Action
from tandem.audit.services import record
from tandem.directory.demographics import PREFER_NOT_TO_SAY, QUESTIONS_BY_KEY


@family
@never_cache
def home(request: HttpRequest) -> HttpResponse:
    caregiver = selectors.own_caregiver(request.user)
    household = selectors.household_for_family_page(caregiver, request.user)
    record(actor=request.user, action="family.household_viewed", target=household)
    return render(
        request,
        "family/home.html",
        {"caregiver": caregiver, "household": household, "organization": household.organization},
    )


@family
@never_cache
def contact_preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    caregiver = selectors.own_caregiver(user, Action.CHANGE_CONTACT_PREFERENCES)
    contacts = list(caregiver.contact_points.order_by("kind", "id"))
    windows = [
        {"weekday": w.weekday, "starts_at": w.starts_at, "ends_at": w.ends_at}
        for w in caregiver.availability.all()
    ]
    data = request.POST if request.method == "POST" else None
    form = ContactPreferencesForm(data, caregiver=caregiver, contacts=contacts)
    availability = AvailabilityFormSet(data, initial=windows, prefix="availability")
    if data is not None and form.is_valid() and availability.is_valid():
        try:
            changed = update_contact_preferences(
                actor=user, caregiver=caregiver, preferences=form.preferences(availability)
            )
        except ValidationError as invalid:
            form.add_service_errors(invalid)
        else:
            messages.success(
                request,
                _("Your choices are saved.") if changed else _("Nothing needed changing."),
            )
            return redirect("family:home")
    if data is None:
        record(actor=user, action="family.contact_preferences_viewed", target=caregiver)
    return render(
        request,
        "family/contact_preferences.html",
        {
            "caregiver": caregiver,
            "form": form,
            "availability": availability,
            "errors": error_summary(form, availability),
        },
    )


@family
@never_cache
def export(request: HttpRequest) -> HttpResponse:
    """The household's data as a readable page, or as a JSON file with ?format=json."""
    caregiver = selectors.own_caregiver(request.user, Action.EXPORT_HOUSEHOLD)
    household = selectors.household_for_family_page(caregiver, request.user)
    as_json = request.GET.get("format") == "json"
    data = export_household(
        actor=request.user, household=household, file_format="json" if as_json else "html"
    )
    if as_json:
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = (
            f'attachment; filename="tandem-household-{household.pk}.json"'
        )
        return response
    for each in household.family_caregivers:
        each.self_described_shown = _self_described_labels(each.self_described)
    return render(
        request,
        "family/export.html",
        {
            "household": household,
            "organization": household.organization,
            "activity": household_activity(household, request.user),
        },
    )


def _self_described_labels(answers: dict) -> list[tuple[str, str]]:
    """(question, answer) pairs in the reader's language, for the readable export."""
    shown = []
    for key, value in (answers or {}).items():
        if key.endswith("_own_words"):
            question = QUESTIONS_BY_KEY.get(key.removesuffix("_own_words"))
            if question:
                shown.append((str(question.label), value))
            continue
        question = QUESTIONS_BY_KEY.get(key)
        if question is None:
            continue
        options = {**dict(question.options), PREFER_NOT_TO_SAY: _("Prefer not to say")}
        shown.append((str(question.label), ", ".join(str(options.get(v, v)) for v in value)))
    return shown
