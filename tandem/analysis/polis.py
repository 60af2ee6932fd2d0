"""Read a Pol.is conversation export folder into votes for `find_opinion_groups`.

Pol.is writes `comments.csv`, `votes.csv` (one row per vote, superseded votes included)
and `participants-votes.csv` (one row per participant, latest vote per statement).
Columns are read by name because exports from different Pol.is versions order them
differently.
"""

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tandem.analysis.errors import AnalysisInputError
from tandem.analysis.opinion import Vote

COMMENTS = "comments.csv"
VOTES = "votes.csv"
PARTICIPANTS_VOTES = "participants-votes.csv"
# Columns of participants-votes.csv that are not statement ids.
PARTICIPANT_COLUMNS = ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")
MODERATED_OUT = -1


@dataclass
class PolisExport:
    votes: list[Vote]
    moderated_out: set[str] = field(default_factory=set)
    statements: dict[str, str] = field(default_factory=dict)


def read_polis_export(folder: Path) -> PolisExport:
    """Votes, moderated-out statement ids and statement texts from a Pol.is export folder."""
    folder = Path(folder)
    statements, moderated_out = _read_comments(folder / COMMENTS)
    if (folder / VOTES).exists():
        votes = _read_votes(folder / VOTES)
    elif (folder / PARTICIPANTS_VOTES).exists():
        votes = _read_participants_votes(folder / PARTICIPANTS_VOTES)
    else:
        raise AnalysisInputError(f"{folder} has neither {VOTES} nor {PARTICIPANTS_VOTES}.")
    return PolisExport(votes=votes, moderated_out=moderated_out, statements=statements)


def read_polis_groups(folder: Path) -> dict[str, int]:
    """The opinion group Pol.is itself assigned to each participant (unassigned left out)."""
    groups = {}
    for line, row in _rows(Path(folder) / PARTICIPANTS_VOTES, ("participant", "group-id")):
        if row["group-id"].strip():
            groups[row["participant"]] = _number(row["group-id"], PARTICIPANTS_VOTES, line)
    return groups


def _read_comments(path: Path) -> tuple[dict[str, str], set[str]]:
    statements, moderated_out = {}, set()
    for line, row in _rows(path, ("comment-id", "moderated", "comment-body")):
        statements[row["comment-id"]] = row["comment-body"]
        if row["moderated"].strip() and _number(row["moderated"], path.name, line) == MODERATED_OUT:
            moderated_out.add(row["comment-id"])
    return statements, moderated_out


def _read_votes(path: Path) -> list[Vote]:
    return [
        Vote(
            participant=row["voter-id"],
            statement=row["comment-id"],
            vote=_number(row["vote"], path.name, line),
            timestamp=_timestamp(row["timestamp"], path.name, line),
        )
        for line, row in _rows(path, ("timestamp", "comment-id", "voter-id", "vote"))
    ]


def _read_participants_votes(path: Path) -> list[Vote]:
    votes = []
    for line, row in _rows(path, ("participant",)):
        for column, value in row.items():
            # Blank cells are statements the participant never saw or skipped.
            if column in PARTICIPANT_COLUMNS or column is None or not (value or "").strip():
                continue
            vote = _number(value, path.name, line)
            votes.append(Vote(participant=row["participant"], statement=column, vote=vote))
    return votes


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) pairs, after checking the file exists and has the columns we need."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [name for name in required if name not in (reader.fieldnames or [])]
            if missing:
                raise AnalysisInputError(f"{path.name} has no column {', '.join(missing)}.")
            for row in reader:
                yield reader.line_num, row
    except FileNotFoundError:
        raise AnalysisInputError(f"{path.parent} has no {path.name}.") from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise AnalysisInputError(f"{path.name} is not a readable CSV file: {error}") from None


def _number(value: str | None, filename: str, line: int) -> int:
    try:
        return int(float(value or ""))
    except ValueError:
        raise AnalysisInputError(
            f"{filename} line {line}: expected a number, found {value!r}."
        ) from None


def _timestamp(value: str | None, filename: str, line: int) -> float:
    try:
        return float(value or 0)
    except ValueError:
        raise AnalysisInputError(
            f"{filename} line {line}: expected a timestamp, found {value!r}."
        ) from None
