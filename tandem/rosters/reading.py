"""Reading roster files as they come: a folder, a zip or uploaded files, in UTF-8 (with or
without BOM), UTF-16 or Windows-1252, with headers matched loosely to the columns we know.

Pure Python: no database. Problems are collected, never raised, so one bad file or row
never stops the rest from being read.
"""

import codecs
import csv
import difflib
import io
import operator
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.template.defaultfilters import filesizeformat

from tandem.rosters.problems import Problems

CHUNK = 1 << 20
PROGRESS_EVERY_ROWS = 10_000


def normalize_header(header: str) -> str:
    """“Given Name”, given_name and GIVENNAME all become “givenname”."""
    return "".join(ch for ch in header.casefold() if ch.isalnum())


@dataclass(frozen=True)
class Schema:
    """The columns a file may have: canonical name → accepted spellings; some required."""

    columns: dict[str, tuple[str, ...]]
    required: frozenset[str] = frozenset()
    # Columns of the standard that Tandem does not read: known, so never taken for a
    # misspelling of one it does read (userIds is not a misspelled sourcedId).
    ignored: frozenset[str] = frozenset()

    def lookup(self) -> dict[str, str]:
        table = {}
        for name, aliases in self.columns.items():
            for spelling in (name, *aliases):
                table[normalize_header(spelling)] = name
        return table

    def ignored_keys(self) -> frozenset[str]:
        return frozenset(normalize_header(name) for name in self.ignored)


@dataclass
class RosterFile:
    name: str  # as the user named it, without folders
    size: int
    open: Callable[[], IO[bytes]]


@dataclass
class RosterSource:
    """The CSV files of one roster, found by lower-case file name."""

    files: dict[str, RosterFile] = field(default_factory=dict)
    on_progress: Callable[[int, int], None] | None = None
    _bytes_done: int = 0

    @property
    def total_bytes(self) -> int:
        return sum(file.size for file in self.files.values())

    def get(self, name: str) -> RosterFile | None:
        return self.files.get(name.lower())

    def add(self, file: RosterFile, problems: Problems) -> None:
        key = file.name.lower()
        if key in self.files:
            problems.add(file.name, None, "", "duplicate_file", file=file.name)
            return
        self.files[key] = file

    def read_table(
        self, name: str, schema: Schema, problems: Problems, *, warn_unknown: bool = False
    ) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield (row number, {column: value}) for each non-blank data row of `name`."""
        file = self.get(name)
        if file is None:
            return
        try:
            yield from _read_rows(file, schema, problems, warn_unknown, self._report)
        finally:
            self._bytes_done += file.size
            self._report(0)

    def _report(self, bytes_in_file: int) -> None:
        if self.on_progress is not None:
            self.on_progress(self._bytes_done + bytes_in_file, self.total_bytes)


def open_source(path: Path, problems: Problems, *, max_unpacked_bytes: int) -> RosterSource:
    """The CSV files in a folder (and in any zip inside it), or in a zip file."""
    source = RosterSource()
    paths = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for candidate in paths:
        suffix = candidate.suffix.lower()
        if suffix == ".zip":
            _add_zip_members(source, candidate, problems, max_unpacked_bytes)
        elif suffix == ".csv" and not candidate.name.startswith("._"):
            source.add(
                RosterFile(candidate.name, candidate.stat().st_size, _opener(candidate)),
                problems,
            )
    return source


def _opener(path: Path) -> Callable[[], IO[bytes]]:
    return lambda: path.open("rb")


def _add_zip_members(
    source: RosterSource, path: Path, problems: Problems, max_unpacked_bytes: int
) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir()
                and info.filename.lower().endswith(".csv")
                and not info.filename.startswith("__MACOSX/")
                and not Path(info.filename).name.startswith("._")
            ]
    except (zipfile.BadZipFile, OSError, EOFError):
        problems.add(path.name, None, "", "zip_unreadable")
        return
    if sum(info.file_size for info in members) > max_unpacked_bytes:
        problems.add(path.name, None, "", "zip_too_large", limit=filesizeformat(max_unpacked_bytes))
        return
    for info in members:
        source.add(
            RosterFile(Path(info.filename).name, info.file_size, _zip_opener(path, info.filename)),
            problems,
        )


def _zip_opener(path: Path, member: str) -> Callable[[], IO[bytes]]:
    def open_member() -> IO[bytes]:
        archive = zipfile.ZipFile(path)
        stream = archive.open(member)
        stream_close = stream.close

        def close() -> None:
            stream_close()
            archive.close()

        stream.close = close
        return stream

    return open_member


def detect_encoding(file: RosterFile) -> str | None:
    """The text encoding of a file, or None when it is not text we can read.

    UTF-8 is tried first (a BOM is dropped); bytes that are not UTF-8 are most often a
    spreadsheet saved on Windows, so Windows-1252 comes next.
    """
    head = _head(file)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _looks_binary(head):
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        if _decodes_as(file, encoding):
            return encoding
    return None


def _head(file: RosterFile) -> bytes:
    with file.open() as stream:
        return stream.read(4096)


def _looks_binary(head: bytes) -> bool:
    """A spreadsheet (xlsx is a zip), a PDF or an image rather than text."""
    return b"\x00" in head or head.startswith(b"PK\x03\x04")


def _decodes_as(file: RosterFile, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with file.open() as stream:
            while chunk := stream.read(CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _read_rows(
    file: RosterFile,
    schema: Schema,
    problems: Problems,
    warn_unknown: bool,
    report: Callable[[int], None],
) -> Iterator[tuple[int, dict[str, str]]]:
    encoding = detect_encoding(file)
    if encoding is None:
        code = "not_csv" if _looks_binary(_head(file)) else "encoding"
        problems.add(file.name, None, "", code)
        return
    with file.open() as binary:
        text = io.TextIOWrapper(binary, encoding=encoding, newline="")
        reader = csv.reader(text, strict=True)
        row_number = 0
        header = None
        try:
            for record in reader:
                row_number += 1
                if _is_blank(record):
                    continue
                header = _match_header(
                    file.name, row_number, record, schema, problems, warn_unknown
                )
                break
            if not header:
                return
            width = len(record)
            padding = [""] * width
            names = [name for _index, name in header]
            pick = operator.itemgetter(*(index for index, _name in header))
            for record in reader:
                row_number += 1
                if len(record) != width:
                    if len(record) > width and not _is_blank(record[width:]):
                        problems.add(file.name, row_number, "", "too_many_values")
                        continue
                    record = (record + padding)[:width]
                if _is_blank(record):
                    continue
                values = pick(record)
                if len(names) == 1:
                    values = (values,)
                yield row_number, dict(zip(names, map(str.strip, values), strict=True))
                if row_number % PROGRESS_EVERY_ROWS == 0:
                    report(binary.tell())
        except csv.Error:
            problems.add(file.name, row_number + 1, "", "malformed_csv")
        except UnicodeDecodeError:
            problems.add(file.name, row_number + 1, "", "encoding")


def _is_blank(cells: list[str]) -> bool:
    if cells and cells[0].strip():
        return False  # most rows start with their id
    return not any(cells) or not "".join(cells).strip()


def _match_header(
    file_name: str,
    row_number: int,
    header: list[str],
    schema: Schema,
    problems: Problems,
    warn_unknown: bool,
) -> list[tuple[int, str]] | None:
    """Which cell index holds which known column; None (with problems) when unusable.

    Exact spellings (case, spaces and punctuation aside) are matched first; a header
    left over is read as a column still missing when it is one close misspelling of it.
    """
    lookup = schema.lookup()
    ignored = schema.ignored_keys()
    found: dict[str, int] = {}
    usable = True
    leftovers: list[tuple[int, str, str]] = []
    for index, cell in enumerate(header):
        spelled = cell.strip()
        key = normalize_header(spelled)
        if not key or key in ignored:
            continue  # trailing empty header cells, or a column we do not read
        name = lookup.get(key)
        if name is None:
            leftovers.append((index, spelled, key))
        elif name in found:
            problems.add(file_name, row_number, spelled, "duplicate_column", name=name)
            usable = False
        else:
            found[name] = index
    missing = {key: name for key, name in lookup.items() if name not in found}
    for index, spelled, key in leftovers:
        close = {missing[match] for match in difflib.get_close_matches(key, missing, 2, 0.85)}
        if len(close) == 1 and (name := close.pop()) not in found:
            problems.warn(
                file_name, row_number, spelled, "column_read_as", header=spelled, name=name
            )
            found[name] = index
        elif warn_unknown:
            problems.warn(file_name, row_number, spelled, "unknown_column", header=spelled)
    for name in sorted(schema.required - found.keys()):
        problems.add(file_name, row_number, name, "missing_column", name=name)
        usable = False
    return sorted((index, name) for name, index in found.items()) if usable else None
