"""Saved lists: kept from the directory's household search, written to from here."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.access import staff
from tandem.accounts.permissions import Action
from tandem.directory.forms import DirectoryFilterForm
from tandem.directory.selectors import (
    households_for_directory,
    languages_in_use,
    schools_for_filter,
)
from tandem.messaging.saved_lists import (
    delete_household_list,
    lists_to_message,
    save_household_list,
)

SEND = Action.SEND_MESSAGES


@staff(SEND)
def lists(request):
    return render(request, "messaging/lists.html", {"lists": list(lists_to_message(request.user))})


@staff(SEND)
@require_POST
def list_create(request):
    """Save the households the directory's search (its filters, posted back) found."""
    user = request.user
    filters_data = request.POST.copy()
    name = filters_data.pop("list_name", [""])[-1]
    back = (
        reverse("directory:households")
        + "?"
        + urlencode(
            [
                (key, value)
                for key, values in filters_data.lists()
                if key != "csrfmiddlewaretoken"
                for value in values
            ]
        )
    )
    form = DirectoryFilterForm(
        filters_data,
        schools=schools_for_filter(user),
        languages=languages_in_use(user),
        ui_language=get_language(),
    )
    if not form.is_valid():
        messages.error(request, _("The search could not be read; search again, then save."))
        return redirect(back)
    filters = form.filters()
    try:
        saved = save_household_list(
            actor=user,
            name=name,
            households=households_for_directory(user, filters),
            school=filters.school,
        )
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
        return redirect(back)
    messages.success(
        request, _("Saved the list “%(name)s”. Write to it from here.") % {"name": saved.name}
    )
    return redirect("messaging:lists")


@staff(SEND)
@require_POST
def list_delete(request, pk: int):
    saved = get_object_or_404(lists_to_message(request.user), pk=pk)
    try:
        delete_household_list(actor=request.user, saved_list=saved)
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
    else:
        messages.success(request, _("Deleted the list “%(name)s”.") % {"name": saved.name})
    return redirect("messaging:lists")
