"""Roster tests: a fresh district to import into, uploads kept in a temporary folder,
and a helper that imports a folder the way the `import-roster` command does."""

from collections import Counter
from pathlib import Path

import pytest

from tandem.directory.models import Caregiver, ContactPoint, Household, School, StaffMember, Student
from tandem.directory.services import create_organization
from tandem.rosters.services import import_roster_from_path


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def district(db):
    return create_organization(name="Riverside Unified", kind="district", slug="riverside")


@pytest.fixture
def run_import(district):
    def run(path: Path, *, organization=None, **options):
        return import_roster_from_path(organization=organization or district, path=path, **options)

    return run


def directory_counts(organization) -> Counter:
    """How many rows of each kind the organization holds: what an import may change."""
    return Counter(
        {
            "schools": School.objects.filter(organization=organization).count(),
            "households": Household.objects.filter(organization=organization).count(),
            "caregivers": Caregiver.objects.filter(organization=organization).count(),
            "students": Student.objects.filter(organization=organization).count(),
            "staff": StaffMember.objects.filter(organization=organization).count(),
            "contacts": ContactPoint.objects.filter(caregiver__organization=organization).count(),
        }
    )


def messages(roster) -> list[str]:
    """Each problem as “file row column: message”, for asserting what the user reads."""
    return [
        f"{problem.file} {problem.row} {problem.column}: {problem.message}"
        for problem in roster.problems.sorted()
    ]
