"""What is wrong with a roster file: problems that name file, row, column and reason.

Problems are stored as a code and parameters and turned into words only when shown, so
the report reads in the language of whoever looks at it.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ERROR = "error"  # the row is left out; the file imports only if the user chooses so
WARNING = "warning"  # the row is imported; something in it was ignored or will be created

MESSAGES = {
    # Files.
    "internal_error": _(
        "Something went wrong on our side while importing, and nothing was imported. "
        "Please upload the files again; if it happens again, tell your administrator."
    ),
    "not_csv": _("This is not a CSV file. Save the spreadsheet as “CSV UTF-8” and try again."),
    "encoding": _(
        "This file is neither UTF-8 nor Windows-1252 text. Save it as “CSV UTF-8” and try again."
    ),
    "malformed_csv": _(
        "The CSV is malformed from this row on (a quotation mark is not closed or is "
        "misplaced), so the rest of the file cannot be read."
    ),
    "zip_unreadable": _("The zip file cannot be opened: it is damaged or not a zip file."),
    "zip_too_large": _("The files in the zip add up to more than %(limit)s once unpacked."),
    "duplicate_file": _("Two files in the upload are named “%(file)s”; keep only one."),
    "no_roster_files": _(
        "No roster was found: expected OneRoster files (users.csv, orgs.csv, roles.csv…) "
        "or one CSV file made from Tandem's template."
    ),
    "missing_file": _("“%(file)s” is missing; a OneRoster roster needs it."),
    "manifest_lists_missing_file": _(
        "The manifest says “%(file)s” is included, but it is not in the upload."
    ),
    "unsupported_version": _(
        "This roster says it is OneRoster version %(value)s; Tandem reads 1.1 and 1.2 and "
        "read it as 1.2."
    ),
    # Columns.
    "missing_column": _("The required column “%(name)s” is missing."),
    "duplicate_column": _("The column “%(name)s” appears more than once; keep only one."),
    "column_read_as": _("The column “%(header)s” was read as “%(name)s”."),
    "unknown_column": _("The column “%(header)s” is not one Tandem knows; it was ignored."),
    # Rows.
    "too_many_values": _(
        "This row has more values than the header has columns; check for a stray comma."
    ),
    "required": _("This value is required."),
    "too_long": _("This value is longer than %(limit)s characters."),
    "duplicate_id": _("The id “%(value)s” is used on row %(other_row)s too."),
    "unknown_language": _(
        "“%(value)s” is not a language tag we recognize (for example: en, es, vi, so)."
    ),
    "invalid_phone": _("“%(value)s” is not a valid phone number."),
    "invalid_email": _("“%(value)s” is not a valid email address."),
    "invalid_grade": _("“%(value)s” is not a grade (for example: PK, KG, 1, 01, 12)."),
    "invalid_boolean": _("“%(value)s” is not yes or no."),
    "unknown_role": _("“%(value)s” is not a role Tandem knows."),
    "unknown_relationship": _(
        "“%(value)s” is not a relationship (parent, grandparent, guardian, foster parent, other)."
    ),
    "ambiguous_date": _(
        "“%(value)s” could be two different dates; write it as YYYY-MM-DD. It was ignored."
    ),
    "unreadable_date": _("“%(value)s” is not a date Tandem can read; it was ignored."),
    "unknown_org": _("The organization “%(value)s” is not in orgs.csv."),
    "unknown_user": _("The user “%(value)s” is not in users.csv; this row was ignored."),
    "no_role": _("This user has no role in roles.csv or in a role column."),
    "no_current_role": _(
        "This person's roles in roles.csv have ended or not begun yet; they were not imported."
    ),
    "no_school": _("No school was found for this person (roles.csv, orgSourcedIds)."),
    "school_left_out": _(
        "The school “%(value)s” is left out because of problems on its own row, so this "
        "person is too."
    ),
    "missing_guardian": _(
        "The guardian “%(value)s” is not in the roster; the student is imported without that link."
    ),
    "missing_student": _(
        "The student “%(value)s” is not in the roster; the guardian is imported without that link."
    ),
    "to_be_deleted": _(
        "This row is marked “tobedeleted”; Tandem does not delete people from a roster, so "
        "it was ignored."
    ),
    "other_district": _(
        "This roster is for the district “%(value)s”, and this organization's roster id is "
        "“%(expected)s”: it looks like another organization's roster."
    ),
    "new_school": _("“%(value)s” is not a school in Tandem yet; it will be created."),
    "conflicting_value": _(
        "“%(value)s” differs from row %(other_row)s for the same person; keep one value."
    ),
    "no_person": _("This row has neither a caregiver nor a student."),
    "invalid_demographic": _("“%(value)s” is not true or false; this answer was ignored."),
}


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    row: int | None  # as a spreadsheet shows it: the header is row 1
    column: str
    code: str
    params: dict = field(default_factory=dict)
    severity: str = ERROR

    @property
    def message(self) -> str:
        text = str(MESSAGES[self.code])  # lazy: translated into the active language here
        return text % self.params if self.params else text

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Problem":
        return cls(**data)


class Problems:
    """The problems found while reading a roster, and which rows they rule out."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self._rows_with_errors: set[tuple[str, int | None]] = set()
        self._seen: set[tuple] = set()

    def add(
        self,
        file: str,
        row: int | None,
        column: str,
        code: str,
        severity: str = ERROR,
        **params,
    ) -> None:
        key = (file, row, column, code, tuple(sorted(params.items())))
        if key in self._seen:
            return  # one value read twice (a guardian who is also staff) is one problem
        self._seen.add(key)
        self.items.append(Problem(file, row, column, code, params, severity))
        if severity == ERROR:
            self._rows_with_errors.add((file, row))

    def warn(self, file: str, row: int | None, column: str, code: str, **params) -> None:
        self.add(file, row, column, code, WARNING, **params)

    def row_has_error(self, file: str, row: int | None) -> bool:
        return (file, row) in self._rows_with_errors

    @property
    def rows_with_errors(self) -> int:
        return len(self._rows_with_errors)

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.items if problem.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.items if problem.severity == WARNING]

    def sorted(self) -> list[Problem]:
        return sorted(self.items, key=_reading_order)


def _reading_order(problem: Problem) -> tuple:
    return (problem.file, problem.row or 0, problem.column, problem.code)


def format_problem(problem: Problem) -> str:
    """One line for a terminal: file, row, column, reason."""
    where = [problem.file or "—"]
    if problem.row:
        where.append(gettext("row %(row)s") % {"row": problem.row})
    if problem.column:
        where.append(gettext("column %(column)s") % {"column": problem.column})
    label = gettext("Error") if problem.severity == ERROR else gettext("Warning")
    return f"{label}: {', '.join(where)}: {problem.message}"


def group_by_file(problems: Iterable[Problem]) -> list[tuple[str, list[Problem]]]:
    """Problems grouped by file, files and rows in reading order."""
    groups: dict[str, list[Problem]] = {}
    for problem in sorted(problems, key=_reading_order):
        groups.setdefault(problem.file, []).append(problem)
    return list(groups.items())
