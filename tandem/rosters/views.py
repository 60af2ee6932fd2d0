"""Roster import pages: upload and past imports, one import's progress and report, the
decision when problems were found, and the plain CSV template."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from tandem.accounts.access import staff
from tandem.accounts.permissions import Action
from tandem.audit.services import record
from tandem.rosters import selectors, services
from tandem.rosters.forms import RosterUploadForm
from tandem.rosters.models import RosterImport
from tandem.rosters.plain import TEMPLATE_COLUMNS, TEMPLATE_FILE_NAME, template_csv
from tandem.rosters.records import KIND_LABELS
from tandem.rosters.uploads import SizeLimitUploadHandler, declared_too_large

REFRESH_SECONDS = 3


@staff(Action.IMPORT_ROSTER)
@csrf_exempt  # CSRF is checked in _upload, once the size limit is in place
def imports(request):
    organizations = selectors.importable_organizations(request.user)
    if request.method != "POST":
        return _imports_page(request, RosterUploadForm(organizations=organizations))
    limit = settings.TANDEM_MAX_UPLOAD_BYTES
    if declared_too_large(request, limit):
        form = RosterUploadForm(organizations=organizations)
        return _imports_page(request, form, status=413, error=services.too_large_message())
    handler = SizeLimitUploadHandler(request, limit=limit)
    request.upload_handlers.insert(0, handler)
    return _upload(request, organizations, handler)


@csrf_protect
def _upload(request, organizations, handler: SizeLimitUploadHandler):
    form = RosterUploadForm(request.POST, request.FILES, organizations=organizations)
    if handler.too_large:
        form = RosterUploadForm(organizations=organizations)
        return _imports_page(request, form, status=413, error=services.too_large_message())
    if not form.is_valid():
        return _imports_page(request, form, status=400)
    try:
        roster_import = services.start_roster_import(
            actor=request.user,
            organization=form.cleaned_data["organization"],
            files=form.cleaned_data["files"],
            format=form.cleaned_data["format"],
        )
    except ValidationError as invalid:
        form.add_error("files", invalid)
        return _imports_page(request, form, status=400)
    return redirect("rosters:job", pk=roster_import.pk)


def _imports_page(request, form, status=200, error: str = ""):
    context = {
        "form": form,
        "upload_error": error,
        "imports": selectors.recent_imports(request.user),
        "max_upload_bytes": settings.TANDEM_MAX_UPLOAD_BYTES,
    }
    return render(request, "rosters/imports.html", context, status=status)


@staff(Action.IMPORT_ROSTER)
def job(request, pk: int):
    roster_import = get_object_or_404(selectors.visible_imports(request.user), pk=pk)
    groups = selectors.report_by_file(roster_import)
    if groups and not roster_import.is_running:
        record(
            actor=request.user,
            action="roster.report_view",
            target=roster_import,
            problems=roster_import.problems_total,
        )
    context = {
        "roster_import": roster_import,
        "groups": groups,
        "refresh_seconds": REFRESH_SECONDS if roster_import.is_running else None,
        "kinds": _kind_rows(roster_import),
        "hidden_problems": max(roster_import.problems_total - len(roster_import.report), 0),
    }
    return render(request, "rosters/job.html", context)


def _kind_rows(roster_import: RosterImport) -> list[dict]:
    return [
        {
            "label": label,
            "valid": roster_import.counts.get(kind, 0),
            **roster_import.result.get(kind, {}),
        }
        for kind, label in KIND_LABELS.items()
    ]


@staff(Action.IMPORT_ROSTER)
@require_POST
def import_valid_rows(request, pk: int):
    roster_import = get_object_or_404(selectors.visible_imports(request.user), pk=pk)
    if not services.import_valid_rows(actor=request.user, roster_import=roster_import):
        messages.error(request, _("This import is no longer waiting for a decision."))
    return redirect("rosters:job", pk=roster_import.pk)


@staff(Action.IMPORT_ROSTER)
@require_POST
def cancel(request, pk: int):
    roster_import = get_object_or_404(selectors.visible_imports(request.user), pk=pk)
    if services.cancel_roster_import(actor=request.user, roster_import=roster_import):
        messages.success(request, _("The import was cancelled; nothing was imported."))
    else:
        messages.error(request, _("This import can no longer be cancelled."))
    return redirect("rosters:job", pk=roster_import.pk)


@staff(Action.IMPORT_ROSTER)
def template(request):
    return render(request, "rosters/template.html", {"columns": TEMPLATE_COLUMNS})


@staff(Action.IMPORT_ROSTER)
def template_download(request):
    # The BOM tells Excel the file is UTF-8, so “María” opens as María.
    response = HttpResponse("\ufeff" + template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_FILE_NAME}"'
    return response
