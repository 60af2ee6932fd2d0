"""Roster imports from upload to report: store the files, check them, import them (all or
nothing), and let the uploader import the valid rows or cancel when problems are found.
"""

import logging
import secrets
import shutil
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.audit.services import record
from tandem.directory.models import Organization, School
from tandem.rosters.apply import apply_roster
from tandem.rosters.models import RosterImport
from tandem.rosters.parsing import parse_roster
from tandem.rosters.plain import normalize_school
from tandem.rosters.problems import Problem
from tandem.rosters.records import Roster

logger = logging.getLogger(__name__)

UPLOAD_DIR = "rosters"
ACCEPTED_SUFFIXES = (".csv", ".zip")
STORED_PROBLEMS = 2_000  # the report keeps the first ones; counts cover them all
Status = RosterImport.Status


def max_unpacked_bytes() -> int:
    """How much a zip may unpack to: ten times the upload limit (CSV packs about 5:1)."""
    return settings.TANDEM_MAX_UPLOAD_BYTES * 10


def check_upload(files: list[UploadedFile]) -> None:
    """Raise ValidationError naming what is wrong with these files, before storing any."""
    if not files:
        raise ValidationError(
            _("Nothing was uploaded: choose a .zip file or one or more .csv files."),
            code="empty",
        )
    for file in files:
        if not (file.name or "").lower().endswith(ACCEPTED_SUFFIXES):
            raise ValidationError(
                _("“%(name)s” is not a .csv or .zip file."),
                code="file_type",
                params={"name": file.name},
            )
    total = sum(file.size or 0 for file in files)
    if total > settings.TANDEM_MAX_UPLOAD_BYTES:
        raise ValidationError(too_large_message(), code="too_large")


def too_large_message() -> str:
    return _(
        "The upload is larger than %(limit)s, the most Tandem accepts. Split the roster "
        "into smaller files or zip it."
    ) % {"limit": filesizeformat(settings.TANDEM_MAX_UPLOAD_BYTES)}


def start_roster_import(
    *, actor, organization: Organization, files: list[UploadedFile], format: str = ""
) -> RosterImport:
    """Store the uploaded files under MEDIA_ROOT/rosters/ and queue their import."""
    check_upload(files)
    folder_name = secrets.token_hex(16)
    folder = Path(settings.MEDIA_ROOT) / UPLOAD_DIR / folder_name
    folder.mkdir(parents=True)
    names = []
    try:
        for file in files:
            name = _stored_name(file.name, names)
            with (folder / name).open("wb") as stored:
                for chunk in file.chunks():
                    stored.write(chunk)
            names.append(name)
        with transaction.atomic():
            roster_import = RosterImport.objects.create(
                organization=organization,
                uploaded_by=actor,
                format=format,
                upload_path=f"{UPLOAD_DIR}/{folder_name}",
                file_names=names,
                upload_bytes=sum(file.size or 0 for file in files),
            )
            record(
                actor=actor,
                action="roster.upload",
                target=roster_import,
                files=len(names),
                bytes=roster_import.upload_bytes,
            )
            transaction.on_commit(lambda: _enqueue(roster_import.pk))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return roster_import


def _stored_name(name: str, taken: list[str]) -> str:
    """A safe file name: no folders, only letters, digits, dot, dash and underscore."""
    base = Path(name or "roster.csv").name
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_" for ch in base)
    safe = safe.lstrip(".") or "roster.csv"
    candidate, number = safe, 1
    while candidate in taken:
        number += 1
        candidate = f"{number}-{safe}"
    return candidate


def _enqueue(roster_import_id: int) -> None:
    from tandem.rosters.tasks import run_roster_import  # tasks.py imports this module

    run_roster_import.enqueue(roster_import_id)


def read_roster(
    *, organization: Organization, path: Path, format: str = "", on_progress=None
) -> Roster:
    """Parse the files at `path` for `organization` (nothing is written)."""
    known_schools = frozenset(
        normalize_school(value)
        for pair in School.objects.filter(organization=organization).values_list(
            "name", "sourced_id"
        )
        for value in pair
        if value
    )
    return parse_roster(
        path,
        format=format,
        phone_region=organization.phone_region,
        district_sourced_id=organization.sourced_id,
        known_schools=known_schools,
        max_unpacked_bytes=max_unpacked_bytes(),
        on_progress=on_progress,
    )


def process_roster_import(*, roster_import_id: int) -> None:
    """Check a queued import and, when clean (or when valid rows were chosen), apply it.

    Claimed with a conditional update, so two workers never process the same import.
    """
    claimed = RosterImport.objects.filter(pk=roster_import_id, status=Status.QUEUED).update(
        status=Status.VALIDATING, progress_done=0
    )
    if not claimed:
        return
    roster_import = RosterImport.objects.select_related("organization").get(pk=roster_import_id)
    try:
        roster = read_roster(
            organization=roster_import.organization,
            path=Path(settings.MEDIA_ROOT) / roster_import.upload_path,
            format=roster_import.format,
            on_progress=lambda done, total: RosterImport.objects.filter(pk=roster_import_id).update(
                progress_done=done, progress_total=total
            ),
        )
        _save_report(roster_import, roster)
        if not _may_apply(roster, roster_import.import_valid_rows):
            waiting = roster.valid_rows > 0 and not roster.blocked
            _finish(roster_import, Status.NEEDS_DECISION if waiting else Status.FAILED)
            return
        _set_status(roster_import, Status.IMPORTING)
        _apply(roster_import, roster, actor=roster_import.uploaded_by)
    except Exception:
        logger.exception("roster import %s failed", roster_import_id)
        roster_import.report.append(Problem("", None, "", "internal_error").as_dict())
        roster_import.problems_total += 1
        roster_import.save(update_fields=["report", "problems_total"])
        _finish(roster_import, Status.FAILED)


def _may_apply(roster: Roster, import_valid_rows: bool) -> bool:
    if roster.blocked:
        return False
    return not roster.has_errors or (import_valid_rows and roster.valid_rows > 0)


def _apply(roster_import: RosterImport, roster: Roster, *, actor) -> None:
    result = apply_roster(organization=roster_import.organization, roster=roster)
    roster_import.result = result.as_dict()
    record(
        actor=actor,
        action="roster.import",
        target=roster_import,
        valid_rows_only=roster_import.import_valid_rows,
        **roster_import.result,
    )
    _finish(roster_import, Status.DONE)


def _save_report(roster_import: RosterImport, roster: Roster) -> None:
    problems = roster.problems.sorted()
    roster_import.format = roster.format
    roster_import.counts = roster.counts()
    roster_import.report = [problem.as_dict() for problem in problems[:STORED_PROBLEMS]]
    roster_import.problems_total = len(problems)
    roster_import.save(update_fields=["format", "counts", "report", "problems_total"])


def _set_status(roster_import: RosterImport, status: str) -> None:
    roster_import.status = status
    roster_import.save(update_fields=["status"])


def _finish(roster_import: RosterImport, status: str) -> None:
    """Record the outcome; files are kept only while the uploader still has to decide."""
    roster_import.status = status
    fields = ["status", "result"]
    if status != Status.NEEDS_DECISION:
        roster_import.finished_at = timezone.now()
        fields.append("finished_at")
        _delete_upload(roster_import)
        fields.append("upload_path")
    roster_import.save(update_fields=fields)


def _delete_upload(roster_import: RosterImport) -> None:
    if roster_import.upload_path:
        shutil.rmtree(Path(settings.MEDIA_ROOT) / roster_import.upload_path, ignore_errors=True)
        roster_import.upload_path = ""


def import_valid_rows(*, actor, roster_import: RosterImport) -> bool:
    """The uploader chose to import the rows without errors: queue the import again."""
    with transaction.atomic():
        chosen = RosterImport.objects.filter(
            pk=roster_import.pk, status=Status.NEEDS_DECISION
        ).update(status=Status.QUEUED, import_valid_rows=True)
        if chosen:
            record(actor=actor, action="roster.import_valid_rows", target=roster_import)
            transaction.on_commit(lambda: _enqueue(roster_import.pk))
    return bool(chosen)


def cancel_roster_import(*, actor, roster_import: RosterImport) -> bool:
    """Stop an import waiting for a decision (or not yet started) and delete its files."""
    with transaction.atomic():
        cancelled = RosterImport.objects.filter(
            pk=roster_import.pk, status__in=[Status.NEEDS_DECISION, Status.QUEUED]
        ).update(status=Status.CANCELLED, finished_at=timezone.now())
        if cancelled:
            roster_import.refresh_from_db()
            _delete_upload(roster_import)
            roster_import.save(update_fields=["upload_path"])
            record(actor=actor, action="roster.cancel", target=roster_import)
    return bool(cancelled)


def import_roster_from_path(
    *,
    organization: Organization,
    path: Path,
    format: str = "",
    import_valid_rows: bool = False,
    actor=None,
) -> tuple[RosterImport, Roster]:
    """Import a roster folder or zip at once (the `import-roster` command).

    The files stay where they are; the job is recorded like an upload's, for history.
    """
    roster_import = RosterImport.objects.create(
        organization=organization,
        uploaded_by=actor,
        status=Status.VALIDATING,
        format=format,
        file_names=_file_names(path),
        import_valid_rows=import_valid_rows,
    )
    roster = read_roster(organization=organization, path=path, format=format)
    _save_report(roster_import, roster)
    if _may_apply(roster, import_valid_rows):
        _set_status(roster_import, Status.IMPORTING)
        try:
            _apply(roster_import, roster, actor=actor)
        except Exception:
            _finish(roster_import, Status.FAILED)
            raise
    else:
        _finish(roster_import, Status.FAILED)
    return roster_import, roster


def _file_names(path: Path) -> list[str]:
    paths: Iterable[Path] = [path] if path.is_file() else path.rglob("*")
    return sorted(p.name for p in paths if p.suffix.lower() in ACCEPTED_SUFFIXES)
