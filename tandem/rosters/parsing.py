"""Reading a roster from a path, whichever format it is in. Pure: no database."""

from collections.abc import Callable
from pathlib import Path

from tandem.rosters.oneroster import is_oneroster, parse_oneroster
from tandem.rosters.plain import is_plain, parse_plain
from tandem.rosters.problems import Problems
from tandem.rosters.reading import open_source
from tandem.rosters.records import Roster

ONEROSTER = "oneroster"
PLAIN = "plain"


def parse_roster(
    path: Path,
    *,
    format: str = "",
    phone_region: str = "US",
    district_sourced_id: str | None = None,
    known_schools: frozenset[str] = frozenset(),
    max_unpacked_bytes: int,
    on_progress: Callable[[int, int], None] | None = None,
) -> Roster:
    """The roster in a folder or zip file; `format` "" tells OneRoster from the template.

    Problems of the files themselves (a damaged zip, no roster at all) come back in the
    roster's problems with no records, like any other problem.
    """
    problems = Problems()
    source = open_source(path, problems, max_unpacked_bytes=max_unpacked_bytes)
    source.on_progress = on_progress
    if not format:
        format = ONEROSTER if is_oneroster(source) else PLAIN if is_plain(source) else ""
    if problems.errors:
        return Roster(format or PLAIN, problems)
    if format == ONEROSTER:
        return parse_oneroster(
            source, phone_region=phone_region, district_sourced_id=district_sourced_id
        )
    if format == PLAIN and len(source.files) == 1:
        return parse_plain(source, phone_region=phone_region, known_schools=known_schools)
    problems.add("", None, "", "no_roster_files")
    return Roster(format or PLAIN, problems)
