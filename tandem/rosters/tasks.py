"""Background work for roster imports: checking and applying an uploaded roster."""

from django.tasks import task

from tandem.rosters.services import process_roster_import


@task()
def run_roster_import(roster_import_id: int) -> None:
    process_roster_import(roster_import_id=roster_import_id)
