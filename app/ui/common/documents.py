"""Saving a document the program writes (a PDF) where the user chooses, and opening it in the system's viewer."""
from __future__ import annotations

import os
import re
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget


def choose_pdf_path(parent: QWidget | None, suggested: str) -> str | None:
    """Asks where to save a PDF (``suggested`` is the proposed path); None if the user cancelled."""
    path, _filter = QFileDialog.getSaveFileName(parent, "Сохранить документ", suggested, "Документ PDF (*.pdf)")
    if not path:
        return None
    return path if path.lower().endswith(".pdf") else path + ".pdf"


def open_document(path: str) -> bool:
    """Opens the saved file in the system's viewer."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(os.fspath(path)))


def suggested_pdf_path(prefix: str, full_name: str) -> str:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    name = re.sub(r'[\\/:*?"<>|]+', " ", f"{prefix} — {full_name}").strip()
    return str(Path(folder) / f"{name}.pdf")
