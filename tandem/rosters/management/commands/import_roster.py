"""`tandem import-roster PATH`: import a OneRoster folder or zip (or a template CSV) and
print its report: each problem with file, row, column and reason, then a summary."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tandem.directory.models import Organization
from tandem.rosters.models import RosterImport
from tandem.rosters.problems import format_problem
from tandem.rosters.records import KIND_LABELS
from tandem.rosters.services import import_roster_from_path


class Command(BaseCommand):
    help = "Import a roster (OneRoster 1.2 CSV folder or zip, or Tandem's CSV template)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="A folder, a .zip file or a .csv file.")
        parser.add_argument(
            "--organization", help="Short name (slug) of the organization to import into."
        )
        parser.add_argument(
            "--import-valid-rows",
            action="store_true",
            help="When some rows have errors, import the other rows anyway.",
        )
        parser.add_argument(
            "--format",
            choices=["oneroster", "plain"],
            default="",
            help="The roster's format (default: tell from the files).",
        )

    def handle(self, *args, path: Path, organization, import_valid_rows, format, **options):
        if not path.exists():
            raise CommandError(_("There is no file or folder at %(path)s.") % {"path": path})
        target = self.organization(organization)
        roster_import, roster = import_roster_from_path(
            organization=target, path=path, format=format, import_valid_rows=import_valid_rows
        )
        for problem in roster.problems.sorted():
            self.stdout.write(format_problem(problem))
        self.stdout.write(self.summary(roster_import, roster))
        if roster_import.status != RosterImport.Status.DONE:
            if roster.valid_rows and not roster.blocked:
                hint = _("Correct the files, or run again with --import-valid-rows.")
            else:
                hint = _("Correct the files and run again.")
            raise CommandError(
                _("Nothing was imported because of errors. %(hint)s") % {"hint": hint}
            )

    def organization(self, slug: str | None) -> Organization:
        if slug:
            try:
                return Organization.objects.get(slug=slug)
            except Organization.DoesNotExist as missing:
                raise CommandError(
                    _("There is no organization “%(slug)s”.") % {"slug": slug}
                ) from missing
        organizations = list(Organization.objects.order_by("slug")[:2])
        if len(organizations) == 1:
            return organizations[0]
        raise CommandError(_("Choose the organization to import into with --organization SLUG."))

    def summary(self, roster_import: RosterImport, roster) -> str:
        counts = roster.counts()
        lines = [
            "",
            _("%(valid)s of %(rows)s rows are valid. Errors: %(errors)s; warnings: %(warnings)s.")
            % {
                "valid": counts["valid_rows"],
                "rows": counts["rows"],
                "errors": counts["errors"],
                "warnings": counts["warnings"],
            },
        ]
        for kind, label in KIND_LABELS.items():
            if result := roster_import.result.get(kind):
                text = _(
                    "%(kind)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."
                )
                lines.append(text % {**result, "kind": label})
            else:
                lines.append(
                    _("%(kind)s: %(valid)s valid.") % {"kind": label, "valid": counts[kind]}
                )
        if result := roster_import.result:
            lines.append(_("Contacts: %(added)s added, %(removed)s removed.") % result["contacts"])
            lines.append(
                _("Sign-in accounts created: %(accounts)s; school roles granted: %(roles)s.")
                % {
                    "accounts": result["accounts"]["created"],
                    "roles": result["memberships"]["granted"],
                }
            )
        if roster_import.status == RosterImport.Status.DONE:
            lines.append(
                _("Imported into %(organization)s.") % {"organization": roster_import.organization}
            )
        return "\n".join(lines)
