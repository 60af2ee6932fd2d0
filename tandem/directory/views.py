"""Staff directory pages: households, caregivers, one household and its corrections, schools.

Views are thin: rows come from `tandem.directory.selectors`, changes from
`tandem.directory.corrections`, and every listing or view of families is audited.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.accounts.access import access_object, public, staff
from tandem.accounts.permissions import Action, can
from tandem.audit.services import record
from tandem.directory.corrections import correct_caregiver
from tandem.directory.forms import CaregiverCorrectionForm, DirectoryFilterForm, StyleGuideForm
from tandem.directory.selectors import (
    NO_FILTERS,
    DirectoryFilters,
    caregivers_for_directory,
    households_for_directory,
    households_for_page,
    languages_in_use,
    schools_for_directory,
    schools_for_filter,
)
from tandem.directory.services import record_directory_view

PAGE_SIZE = 50


@staff(Action.VIEW_DIRECTORY)
def households(request):
    return _listing(request, households_for_directory, "directory/households.html")


@staff(Action.VIEW_DIRECTORY)
def caregivers(request):
    return _listing(request, caregivers_for_directory, "directory/caregivers.html")


def _listing(request, rows_for: Callable[[object, DirectoryFilters], QuerySet], template: str):
    user = request.user
    schools = schools_for_filter(user)
    form = DirectoryFilterForm(
        request.GET or None,
        schools=schools,
        languages=languages_in_use(user),
        ui_language=get_language(),
    )
    page = None
    filters = NO_FILTERS
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        if form.is_bound:
            filters = form.filters()
        page = Paginator(rows_for(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
        organization_ids = {school.organization_id for school in schools}
        record_directory_view(
            actor=user,
            organization_id=organization_ids.pop() if len(organization_ids) == 1 else None,
            shown=len(page.object_list),
            filters=filters.as_dict(),
        )
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "filtered": form.is_bound and (form.errors or filters != NO_FILTERS),
            # Staff who write to families may keep these households as a saved list.
            "may_save_list": can(user, Action.SEND_MESSAGES),
            "filter_items": [
                (name, value)
                for name, values in request.GET.lists()
                if name != "page"
                for value in values
            ],
        },
        status=status,
    )


@staff(Action.VIEW_DIRECTORY)
def household(request, pk: int):
    user = request.user
    household = access_object(households_for_page(user), user, Action.VIEW_HOUSEHOLD, pk=pk)
    record(actor=user, action="directory.household.view", target=household)
    return render(
        request,
        "directory/household.html",
        {
            "household": household,
            "can_edit": can(user, Action.CHANGE_HOUSEHOLD, household),
            "can_message": can(user, Action.SEND_MESSAGES, household),
        },
    )


@staff(Action.CHANGE_HOUSEHOLD)
@require_http_methods(["GET", "POST"])
def household_edit(request, pk: int):
    user = request.user
    household = access_object(
        households_for_page(user, Action.CHANGE_HOUSEHOLD), user, Action.CHANGE_HOUSEHOLD, pk=pk
    )
    caregivers = list(household.caregivers.all())
    region = household.organization.phone_region
    forms = {
        caregiver.pk: CaregiverCorrectionForm(
            caregiver=caregiver, region=region, prefix=f"caregiver-{caregiver.pk}"
        )
        for caregiver in caregivers
    }
    status = 200
    if request.method == "POST":
        caregiver = next(
            (c for c in caregivers if str(c.pk) == request.POST.get("caregiver")), None
        )
        if caregiver is None:
            messages.error(request, _("Choose which caregiver's details to save."))
            status = 400
        else:
            form = CaregiverCorrectionForm(
                request.POST,
                caregiver=caregiver,
                region=region,
                prefix=f"caregiver-{caregiver.pk}",
            )
            if form.is_valid():
                try:
                    correct_caregiver(actor=user, caregiver=caregiver, **form.correction())
                except ValidationError as invalid:
                    _add_errors(form, invalid)
                else:
                    messages.success(
                        request,
                        _("Saved the corrections to %(name)s's details.")
                        % {"name": caregiver.full_name},
                    )
                    return redirect("directory:household", pk=household.pk)
            forms[caregiver.pk] = form
            status = 400
    else:
        record(actor=user, action="directory.household.view", target=household, purpose="edit")
    return render(
        request,
        "directory/household_edit.html",
        {"household": household, "forms": list(forms.values())},
        status=status,
    )


def _add_errors(form: CaregiverCorrectionForm, invalid: ValidationError) -> None:
    """Put the service's errors on the fields they name, the rest above the form."""
    if not hasattr(invalid, "error_dict"):
        form.add_error(None, invalid)
        return
    for field, errors in invalid.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@staff(Action.VIEW_DIRECTORY)
def schools(request):
    summaries = schools_for_directory(request.user)
    return render(
        request,
        "directory/schools.html",
        {
            "summaries": summaries,
            "min_group_size": settings.TANDEM_MIN_GROUP_SIZE,
            "show_organization": len({s.school.organization_id for s in summaries}) > 1,
        },
    )


@public
def style_guide(request):
    """Every component of tandem.css with made-up data, for people changing the look."""
    form = StyleGuideForm({"name": "", "email": "not-an-email", "language": "vi"})
    form.is_valid()
    return render(request, "directory/style_guide.html", {"form": form})
