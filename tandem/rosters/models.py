"""A roster import job: the uploaded files, where the work stands, and its report."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RosterImport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        VALIDATING = "validating", _("Checking the files")
        NEEDS_DECISION = "needs_decision", _("Problems found: waiting for your decision")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")
        CANCELLED = "cancelled", _("Cancelled")

    class Format(models.TextChoices):
        DETECT = "", _("Tell from the files")
        ONEROSTER = "oneroster", _("OneRoster 1.2 CSV")
        PLAIN = "plain", _("Tandem's CSV template")

    RUNNING = frozenset({Status.QUEUED, Status.VALIDATING, Status.IMPORTING})

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        related_name="roster_imports",
        verbose_name=_("organization"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    format = models.CharField(_("format"), max_length=20, choices=Format.choices, blank=True)
    # Relative to MEDIA_ROOT; the files are deleted once the import is done or cancelled.
    upload_path = models.CharField(_("stored upload"), max_length=300, blank=True)
    file_names = models.JSONField(_("files"), default=list, blank=True)
    upload_bytes = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    import_valid_rows = models.BooleanField(_("import the valid rows only"), default=False)
    progress_done = models.PositiveBigIntegerField(default=0)
    progress_total = models.PositiveBigIntegerField(default=0)
    # Rows read and valid per kind; after import, created/updated/unchanged per kind.
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    # Problems as codes and parameters (file, row, column), worded when shown.
    report = models.JSONField(_("report"), default=list, blank=True)
    problems_total = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return f"roster import {self.pk}"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(99, self.progress_done * 100 // self.progress_total)

    @property
    def error_count(self) -> int:
        return self.counts.get("errors", 0)

    @property
    def warning_count(self) -> int:
        return self.counts.get("warnings", 0)

    @property
    def valid_rows(self) -> int:
        return self.counts.get("valid_rows", 0)
