"""Names of attached files made safe to store and to write on a Windows disk.

A name arrives from a user's disk, a spreadsheet or a package: only its last
part is kept, characters Windows forbids become «_», trailing dots and spaces
go (Windows drops them silently), and a reserved device name (CON, NUL,
COM1 …, with any extension) gets a «_» in front so it names a file again.
"""
from __future__ import annotations

import re

_PATH_PARTS = re.compile(r"[\\/]")
_FORBIDDEN = re.compile(r'[<>:"|?*\x00-\x1f\x7f]')
_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
                      | {f"{dev}{n}" for dev in ("COM", "LPT") for n in "123456789¹²³"})
MAX_NAME = 255
FALLBACK = "файл"


def safe_file_name(name: str | None, fallback: str = FALLBACK) -> str:
    """The last part of ``name``, safe as a file name on Windows and Linux."""
    base = _PATH_PARTS.split(name or "")[-1]
    base = _FORBIDDEN.sub("_", base).strip().rstrip(". ")
    if not base.strip("."):
        return fallback
    stem = base.split(".", 1)[0].rstrip(" ")
    if stem.upper() in _RESERVED:
        base = "_" + base
    if len(base) > MAX_NAME:
        stem, dot, ext = base.rpartition(".")
        keep = ext if dot and len(ext) <= 16 else ""
        base = base[:MAX_NAME - len(keep) - (1 if keep else 0)].rstrip(". ") + (f".{keep}" if keep else "")
    return base
