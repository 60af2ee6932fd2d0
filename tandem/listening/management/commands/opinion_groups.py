"""`tandem opinion-groups DIR --out groups.json`: opinion groups, representative and
consensus statements in a Pol.is export (comments.csv and votes.csv or
participants-votes.csv), for analysts with their own exports (and for benchmarks)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tandem.analysis.errors import AnalysisInputError
from tandem.analysis.opinion import find_opinion_groups
from tandem.analysis.polis import read_polis_export
from tandem.listening.management.output import write_json


class Command(BaseCommand):
    help = "Find opinion groups in a Pol.is export, with the statements that set them apart."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="a folder holding a Pol.is export")
        parser.add_argument("--min-votes", type=int, default=7, help="votes to be grouped")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--out", type=Path, help="where to write the JSON (default: stdout)")

    def handle(self, *args, **options):
        folder = options["folder"]
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        try:
            export = read_polis_export(folder)
            result = find_opinion_groups(
                export.votes,
                moderated_out=export.moderated_out,
                min_votes=options["min_votes"],
                seed=options["seed"],
            )
        except AnalysisInputError as error:
            raise CommandError(str(error)) from error
        write_json(_with_texts(result.to_json(), export.statements), options["out"])
        groups = len(set(result.groups.values()))
        self.stderr.write(f"{len(result.groups)} participants in {groups} opinion groups.")


def _with_texts(data: dict, statements: dict[str, str]) -> dict:
    """Each statement named with its text beside its id, for the analyst who reads it."""

    def named(rows: list[dict]) -> list[dict]:
        return [row | {"text": statements.get(row["statement"], "")} for row in rows]

    return data | {
        "repness": {group: named(rows) for group, rows in data["repness"].items()},
        "consensus": named(data["consensus"]),
        "divisive": named(data["divisive"]),
    }
