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
VIEWER = "Если файл открыт в программе просмотра, закройте его и повторите."


def write_atomically(target: Path, write: Callable[[str], None], *, what: str, hint: str) -> Path:
    """Calls ``write(temporary path)`` and moves the result to ``target``.

    An OSError becomes a ServiceError naming ``what`` («отчёт», «документ» …)
    and the file, with ``hint`` on what the user can do about it.
    """
    noun = f"{what} " if what else ""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".~" + target.stem[:40], suffix=target.suffix, dir=target.parent)
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
