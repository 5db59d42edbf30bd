"""Where the fonts and styles of resources/ and the user guide are, however the program was delivered.

One function for every layer that needs a file of resources/ (the PDF
writers' Cyrillic font, the GUI's fonts and style sheet):

- a frozen build (PyInstaller) unpacks them to ``sys._MEIPASS/resources``;
- an installed wheel carries them inside the package, as ``app/resources``
  (setup.py copies the folder there when the wheel is built);
- a source checkout (and the editable install of ./run and ./test) has them
  at the project root, beside ``app/``.

The user guide (``docs/guide`` in a checkout) travels as ``resources/guide``
of a frozen build and ``app/resources/guide`` of a wheel; ``guide_path``
finds it in each.
"""
from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_roots() -> list[Path]:
    """The folders that may hold the resources, the most specific first."""
    roots = []
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        roots.append(Path(bundle) / "resources")
    roots.append(_PACKAGE / "resources")
    roots.append(_PACKAGE.parent / "resources")
    return roots


def resource_path(*parts: str) -> Path:
    """The path of ``resources/<parts>``; a path under the last root when no root has it, so that the
    caller's own message names the file it could not open."""
    roots = resource_roots()
    for root in roots:
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    return roots[-1].joinpath(*parts)


def guide_path(*parts: str) -> Path:
    """The path of a file of the user guide: ``guide/<parts>`` of a resource root (a frozen build, a wheel), else
    the checkout's ``docs/guide/<parts>``; the checkout's path when none has it."""
    candidates = [root / "guide" for root in resource_roots()] + [_PACKAGE.parent / "docs" / "guide"]
    for folder in candidates:
        candidate = folder.joinpath(*parts)
        if candidate.exists():
            return candidate
    return candidates[-1].joinpath(*parts)
