"""The list of municipalities a centre picks its own from at first start.

There is no single file of OKTMO codes every PC has, so the list is whatever the
region hands out: ``municipalities.csv`` (``код;наименование``, UTF-8, a header
row allowed) in the user's data folder, or the same file shipped beside the
program's resources. Where there is none, the wizard takes free text.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from app.resource_files import resource_path
from app.services.common.bootstrap import data_dir_path

LIST_FILE = "municipalities.csv"


@dataclass(frozen=True)
class KnownMunicipality:
    code: str
    name: str

    @property
    def label(self) -> str:
        return f"{self.code} — {self.name}"


def list_files() -> list[Path]:
    """Where a list may be: the data folder first (the region's own), then the program's."""
    return [data_dir_path() / LIST_FILE, resource_path(LIST_FILE)]


def known_municipalities() -> list[KnownMunicipality]:
    """The first list found, in its order; an unreadable or malformed file counts as none."""
    for path in list_files():
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        found = parse_list(text)
        if found:
            return found
    return []


def parse_list(text: str) -> list[KnownMunicipality]:
    """Rows ``code;name`` (or comma/tab separated); a header and rows without both parts are skipped."""
    sample = text[:2048]
    delimiter = ";" if ";" in sample else "\t" if "\t" in sample else ","
    out, seen = [], set()
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        if len(row) < 2:
            continue
        code, name = row[0].strip(), row[1].strip()
        if not code or not name or code.lower() in ("код", "code") or code in seen:
            continue
        if len(code) > 16 or any(ch.isspace() for ch in code):
            continue
        seen.add(code)
        out.append(KnownMunicipality(code, name[:255]))
    return out
