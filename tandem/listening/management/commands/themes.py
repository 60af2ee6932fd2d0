"""`tandem themes INPUT.csv --out themes.json`: themes in the open answers of a CSV file,
for analysts with their own exports (and for benchmarks)."""

import csv
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tandem.analysis.embedders import get_embedder
from tandem.analysis.errors import AnalysisInputError
from tandem.analysis.themes import find_themes, themes_json
from tandem.listening.management.output import write_json
from tandem.rosters.reading import RosterFile, detect_encoding


class Command(BaseCommand):
    help = "Group short open answers into themes, each with keywords and examples."

    def add_arguments(self, parser):
        parser.add_argument("input", type=Path, help="a CSV file with one answer per row")
        parser.add_argument("--text-column", default="text", help="the answers' column")
        parser.add_argument("--id-column", help="ids for the answers (default: row numbers)")
        parser.add_argument("--language-column", help="each answer's language (BCP 47)")
        parser.add_argument("--k", default="auto", help="the number of themes, or auto")
        parser.add_argument(
            "--embedder",
            default="use",
            help="use (multilingual, offline), tfidf (no model), sentence-transformers:NAME",
        )
        parser.add_argument("--out", type=Path, help="where to write the JSON (default: stdout)")

    def handle(self, *args, **options):
        k = _read_k(options["k"])
        ids, texts, languages = _read_answers(
            options["input"],
            text_column=options["text_column"],
            id_column=options["id_column"],
            language_column=options["language_column"],
        )
        try:
            model = find_themes(
                texts,
                embedder=get_embedder(options["embedder"]),
                k=k,
                languages=languages,
                translate=_translator(),
            )
        except AnalysisInputError as error:
            raise CommandError(str(error)) from error
        write_json(themes_json(model, ids, texts), options["out"])
        themes = len(model.themes)
        other = sum(1 for theme in model.assignments if theme is None)
        self.stderr.write(f"{len(texts)} answers, {themes} themes, {other} in no theme.")


def _read_k(value: str) -> int | None:
    if value == "auto":
        return None
    if not value.isdigit() or int(value) < 1:
        raise CommandError(f"--k must be auto or a whole number of themes, not {value!r}.")
    return int(value)


def _read_answers(path: Path, *, text_column: str, id_column, language_column):
    if not path.is_file():
        raise CommandError(f"{path} is not a file.")
    file = RosterFile(name=path.name, size=path.stat().st_size, open=lambda: path.open("rb"))
    encoding = detect_encoding(file)
    if encoding is None:
        raise CommandError(f"{path} is not a CSV text file (is it a spreadsheet? Save it as CSV).")
    try:
        with path.open(encoding=encoding, newline="") as stream:
            rows = list(csv.DictReader(stream))
            header = (rows and list(rows[0])) or []
    except csv.Error as error:
        raise CommandError(f"{path} cannot be read as CSV: {error}.") from error
    wanted = [c for c in (text_column, id_column, language_column) if c]
    missing = [column for column in wanted if column not in header]
    if missing:
        raise CommandError(
            f"{path} has no column {', '.join(map(repr, missing))}; "
            f"its columns are {', '.join(map(repr, header))}."
        )
    ids = [row[id_column] if id_column else str(number) for number, row in enumerate(rows)]
    if id_column and len(set(ids)) != len(ids):
        raise CommandError(f"The column {id_column!r} repeats ids; each answer needs its own.")
    texts = [(row[text_column] or "").strip() for row in rows]
    languages = (
        [(row[language_column] or "").strip() or None for row in rows] if language_column else None
    )
    return ids, texts, languages


def _translator():
    """Answers in languages the embedder does not cover are translated first, when a
    machine translation provider is configured (TANDEM_TRANSLATION_PROVIDER)."""
    if settings.TANDEM_TRANSLATION_PROVIDER == "none":
        return None
    from tandem.translation.providers import ProviderError, get_provider

    provider = get_provider()

    def translate(texts: list[str], source_language: str) -> list[str]:
        if not provider.supports(source_language, "en"):
            return texts
        try:
            return provider.translate(texts, source=source_language, target="en")
        except ProviderError:
            return texts  # the answers are still grouped, in their own language

    return translate
