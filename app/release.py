"""The program's version, from one place: ``pyproject.toml``.

An installed program (the editable install of ./run and ./test, a wheel, a
frozen build, which carries the package's metadata) reads it from the package
metadata; a bare checkout that was never installed reads it from pyproject.toml
itself. No layer: the command line, «О программе» and the build all ask here.
"""
from __future__ import annotations

import re
from functools import cache
from importlib.metadata import PackageNotFoundError, version as installed_version
from pathlib import Path

DISTRIBUTION = "metodset"
PRODUCT = "МетодСеть"
_PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


@cache
def version() -> str:
    try:
        return installed_version(DISTRIBUTION)
    except PackageNotFoundError:
        return _version_in_pyproject() or "неизвестна"


def _version_in_pyproject() -> str | None:
    try:
        text = _PYPROJECT.read_text(encoding="utf-8")
    except OSError:
        return None
    project = re.search(r"^\[project\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    found = re.search(r'^version\s*=\s*"([^"]+)"', project.group(1), re.M) if project else None
    return found.group(1) if found else None


def version_line() -> str:
    """What ``--version`` prints."""
    return f"{PRODUCT} {version()}"
