"""Choosing where a file goes or comes from, and opening a saved document in the system's viewer.

Every file dialog of the program goes through here: it starts in the folder the
user last used for that kind of file (remembered in the interface settings as
``<kind>/last_dir``) or, the first time, in the user's Documents folder (home if
there is none) — never the current folder. Suggested names are Russian, readable,
dated YYYY-MM-DD and free of the characters Windows forbids.
"""
from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget

from app.domain.file_names import safe_file_name
from app.ui.common.ui_settings import interface_settings

PDF_FILTER = "Документ PDF (*.pdf)"
XLSX_FILTER = "Книга Excel (*.xlsx)"
ALL_FILES = "Все файлы (*)"
DOCUMENTS = "documents"                 # the kind of the PDFs a card or a sheet prints
ATTACHMENTS = "attachments"             # files attached to an event or a material, and copies saved out
TITLE_LENGTH = 100                      # characters of a title in a suggested name (the path stays short)
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def documents_folder() -> str:
    """The user's Documents folder if it exists, else the home folder."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return folder if folder and Path(folder).is_dir() else str(Path.home())


def clean_file_name(name: str) -> str:
    """``name`` (a title: a «/» in it is not a folder) without the characters Windows forbids, runs of spaces or a
    trailing dot; the rest of Windows' rules (reserved device names, length) are safe_file_name's."""
    return safe_file_name(re.sub(r"\s+", " ", _FORBIDDEN.sub(" ", name)).strip().rstrip(". "))


def dated_name(title: str, extension: str, day: date | None = None) -> str:
    """«Охват ПК 2026-12-05.xlsx»: the title, the date (today by default) and the extension."""
    title = clean_file_name(title)[:TITLE_LENGTH].rstrip(". ")
    return f"{title} {(day or date.today()):%Y-%m-%d}.{extension.lstrip('.')}"


def last_folder(kind: str, default: str | None = None) -> str:
    """Where the last dialog for ``kind`` ended, while it exists; else ``default`` or Documents."""
    remembered = str(interface_settings().value(f"{kind}/last_dir", "") or "")
    if _absolute_folder(remembered):
        return remembered
    return default if _absolute_folder(default) else documents_folder()


def _absolute_folder(folder: str | None) -> bool:
    return bool(folder) and Path(folder).is_absolute() and Path(folder).is_dir()


def remember_folder(kind: str, folder: str | os.PathLike) -> None:
    interface_settings().setValue(f"{kind}/last_dir", os.fspath(folder))


def with_extension(path: str, extension: str) -> str:
    """``path`` ending in ``.extension`` (added when the user typed a name without it)."""
    extension = extension.lstrip(".")
    return path if not extension or path.lower().endswith("." + extension.lower()) else f"{path}.{extension}"


def save_path(parent: QWidget | None, title: str, file_name: str, file_filter: str, kind: str, *,
              extension: str = "", folder: str | None = None) -> str | None:
    """Asks where to save ``file_name`` (a name, cleaned here); the path chosen or None if cancelled.

    Starts in ``folder`` if given (an existing absolute folder), else where ``kind`` was last saved or opened; the folder chosen
    is remembered for ``kind``, and ``.extension`` is added when the typed name lacks it.
    """
    start = os.path.join(folder if _absolute_folder(folder) else last_folder(kind), clean_file_name(file_name))
    path, _filter = QFileDialog.getSaveFileName(parent, title, start, file_filter)
    if not path:
        return None
    path = with_extension(path, extension)
    remember_folder(kind, Path(path).parent)
    return path


def open_path(parent: QWidget | None, title: str, file_filter: str, kind: str, *,
              default: str | None = None) -> str | None:
    """Asks for one file to read; None if cancelled. Starts where ``kind`` was last opened, else in ``default``
    (an existing absolute folder) or Documents; remembers the folder for ``kind``."""
    path, _filter = QFileDialog.getOpenFileName(parent, title, last_folder(kind, default), file_filter)
    if not path:
        return None
    remember_folder(kind, Path(path).parent)
    return path


def open_paths(parent: QWidget | None, title: str, file_filter: str, kind: str) -> list[str]:
    """Asks for files to read; an empty list if cancelled. Remembers their folder for ``kind``."""
    paths, _filter = QFileDialog.getOpenFileNames(parent, title, last_folder(kind), file_filter)
    if paths:
        remember_folder(kind, Path(paths[0]).parent)
    return list(paths)


def choose_folder(parent: QWidget | None, title: str, kind: str) -> str | None:
    """Asks for a folder to write into; None if cancelled. Remembers it for ``kind``."""
    path = QFileDialog.getExistingDirectory(parent, title, last_folder(kind))
    if not path:
        return None
    remember_folder(kind, path)
    return path


def choose_pdf_path(parent: QWidget | None, suggested: str) -> str | None:
    """Asks where to save a PDF (``suggested`` is the proposed path); None if the user cancelled."""
    return save_path(parent, "Сохранить документ", Path(suggested).name, PDF_FILTER, DOCUMENTS, extension="pdf",
                     folder=str(Path(suggested).parent))


def open_document(path: str) -> bool:
    """Opens the saved file in the system's viewer."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(os.fspath(path)))


def suggested_pdf_path(prefix: str, full_name: str) -> str:
    """«<prefix> — <full_name> 2026-12-05.pdf» in the folder PDFs were last saved to (Documents at first)."""
    return os.path.join(last_folder(DOCUMENTS), dated_name(f"{prefix} — {full_name}", "pdf"))
