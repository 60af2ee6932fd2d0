"""Reads for the roster import pages: the imports a user may see, and their reports."""

from django.db.models import QuerySet

from tandem.accounts.permissions import Action
from tandem.accounts.scopes import visible_organizations
from tandem.directory.models import Organization
from tandem.rosters.models import RosterImport
from tandem.rosters.problems import Problem, group_by_file

RECENT_IMPORTS = 50


def importable_organizations(user) -> QuerySet[Organization]:
    """Organizations the user may import rosters into (org admins, district staff)."""
    return visible_organizations(user, Action.IMPORT_ROSTER).order_by("name")


def visible_imports(user) -> QuerySet[RosterImport]:
    """Imports of those organizations; any other import is answered with 404."""
    return RosterImport.objects.filter(
        organization__in=visible_organizations(user, Action.IMPORT_ROSTER)
    ).select_related("organization", "uploaded_by")


def recent_imports(user) -> list[RosterImport]:
    return list(visible_imports(user)[:RECENT_IMPORTS])


def report_by_file(roster_import: RosterImport) -> list[tuple[str, list[Problem]]]:
    """The stored problems grouped by file, rows in order."""
    return group_by_file(Problem.from_dict(item) for item in roster_import.report)
