"""Where the interface remembers itself (window size, last section)."""
from __future__ import annotations

from PySide6.QtCore import QSettings

from app.services.common.bootstrap import data_dir

SETTINGS_FILE = "interface.ini"


def interface_settings() -> QSettings:
    """An ini file next to the database rather than the registry: portable, and tests stay out of the user's."""
    return QSettings(str(data_dir() / SETTINGS_FILE), QSettings.Format.IniFormat)
