"""Where the analysis commands put their JSON: a file, or standard output."""

import json
import sys
from pathlib import Path

from django.core.management.base import CommandError


def write_json(data: dict, out: Path | None) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as error:
        raise CommandError(f"Cannot write {out}: {error.strerror}.") from error
