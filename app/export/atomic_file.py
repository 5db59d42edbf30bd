"""Writing an output file so that its name never holds a half-written file.

The content goes to a hidden temporary file beside the target and is renamed
into place only when complete; a failure or a cancel removes the temporary
file and leaves whatever the target held before.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

from app.services.common.errors import ServiceError, describe_os_error

EXCEL = "Если файл открыт в Excel, закройте его и повторите."
_MKSTEMP_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
VIEWER = "Если файл открыт в программе просмотра, закройте его и повторите."


def _temporary_prefix(target: Path) -> str:
    return ".~" + target.stem[:40]


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Deletes the temporary siblings a killed earlier write of ``target`` left behind."""
    prefix, removed = _temporary_prefix(target), []
    for path in target.parent.glob(".~*"):
        middle = path.name[len(prefix):len(path.name) - len(target.suffix) or None]
        if (path.name.startswith(prefix) and path.name.endswith(target.suffix) and len(middle) == 8
                and _MKSTEMP_CHARS.issuperset(middle) and path.is_file()):
            try:
                path.unlink()
                removed.append(path)
            except OSError:
                pass        # open in another program: left for the next write
    return removed


def write_atomically(target: Path, write: Callable[[str], None], *, what: str, hint: str) -> Path:
    """Calls ``write(temporary path)`` and moves the result to ``target``.

    An OSError becomes a ServiceError naming ``what`` («отчёт», «документ» …)
    and the file, with ``hint`` on what the user can do about it.
    """
    noun = f"{what} " if what else ""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(target)
        fd, tmp = tempfile.mkstemp(prefix=_temporary_prefix(target), suffix=target.suffix, dir=target.parent)
        os.close(fd)
        try:
            write(tmp)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ServiceError(f"Не удалось сохранить {noun}«{target}»: {describe_os_error(exc, with_path=False)}. "
                           f"{hint}") from None
    return target
