"""The «Файл» and «Справка» menus: another database, backups and exit; help for the current section (F1), shortcuts, «О программе»."""
from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QMainWindow, QMessageBox, QTextBrowser, QVBoxLayout, QWidget,
)

from app.resource_files import resource_path
from app.services.maintenance.operations import about
from app.ui.common.documents import open_path

SHORTCUTS = (
    ("F1", "справка по открытому разделу"),
    ("Ctrl+F", "поиск в списке раздела"),
    ("Ctrl+Shift+K", "проверить сертификат по коду"),
    ("Двойной щелчок по строке", "открыть запись"),
    ("Ctrl+N", "создать запись в открытом списке"),
    ("Enter", "открыть выбранную запись"),
    ("Delete", "удалить выбранную запись (в корзину)"),
    ("Ctrl+O", "открыть другую базу данных"),
    ("Ctrl+Q", "выход"),
)


def help_text(section_key: str) -> str:
    """The bundled Russian help (Markdown) of a section; the general page when a section has none."""
    for name in (section_key, "index"):
        path = resource_path("help", f"{name}.md")
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return "# Справка\n\nСправка не найдена в папке программы."


class HelpDialog(QDialog):
    def __init__(self, markdown: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Справка — МетодСеть")
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(False)
        self.browser.setMarkdown(markdown)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Закрыть")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(620, 480)


DATABASE_FILTER = "База МетодСети (*.sqlite *.db);;Все файлы (*)"


def ask_database_path(parent: QWidget | None, current: Path | None) -> str | None:
    """The database file to open instead (starting where one was last opened, else beside the open one); None if
    cancelled. Tests replace it."""
    return open_path(parent, "Открыть базу данных", DATABASE_FILTER, "database",
                     default=str(current.parent) if current is not None else None)


def about_text(db) -> str:
    info = about(db)
    return (f"МетодСеть, версия {info.version}\n"
            "Сетевое взаимодействие муниципальной методической службы.\n\n"
            f"База данных: {info.database}\n"
            f"Версия схемы базы: {info.schema_revision}\n"
            f"Папка данных пользователя: {info.data_folder}\n"
            f"Резервные копии: {info.backups_folder}")


def install_file_and_help_menus(window: QMainWindow, db) -> dict[str, QAction]:
    """«Файл» goes first in the menu bar, «Справка» last; returns the actions by name (tests use them)."""
    bar = window.menuBar()
    first = bar.actions()[0] if bar.actions() else None
    file_menu = bar.addMenu("Файл")
    if first is not None:
        bar.insertMenu(first, file_menu)
    actions: dict[str, QAction] = {}
    if hasattr(window, "ask_open_database"):
        other = file_menu.addAction("Открыть базу данных…")
        other.setShortcut(QKeySequence("Ctrl+O"))
        other.triggered.connect(window.ask_open_database)
        actions["open"] = other
        server = file_menu.addAction("Подключиться к серверу PostgreSQL…")
        server.triggered.connect(window.ask_connect_server)
        actions["server"] = server
        file_menu.addSeparator()
    backups = getattr(window, "service_actions", {}).get("backups")
    if backups is not None:
        copy = file_menu.addAction("Резервные копии и восстановление…")
        copy.triggered.connect(backups.trigger)
        actions["backups"] = copy
        file_menu.addSeparator()
    leave = file_menu.addAction("Выход")
    leave.setShortcut(QKeySequence("Ctrl+Q"))
    leave.triggered.connect(window.close)
    actions["exit"] = leave

    help_menu = bar.addMenu("Справка")
    section_help = help_menu.addAction("Справка по разделу")
    section_help.setShortcut(QKeySequence("F1"))
    section_help.triggered.connect(lambda: show_help(window))
    actions["help"] = section_help
    keys = help_menu.addAction("Сочетания клавиш")
    keys.triggered.connect(lambda: show_dialog(window, "shortcuts", HelpDialog(
        "# Сочетания клавиш\n\n" + "\n".join(f"- **{k}** — {what}" for k, what in SHORTCUTS), window)))
    actions["shortcuts"] = keys
    help_menu.addSeparator()
    info = help_menu.addAction("О программе")
    info.triggered.connect(lambda: show_about(window, db))
    actions["about"] = info
    window.help_actions = actions
    return actions


def show_dialog(window: QMainWindow, key: str, dialog: QDialog) -> QDialog:
    # Kept on the window so that it is not garbage-collected; open(), never exec(): tests do not block.
    window._help_dialogs = getattr(window, "_help_dialogs", {})
    window._help_dialogs[key] = dialog
    dialog.open()
    return dialog


def show_help(window: QMainWindow) -> QDialog:
    return show_dialog(window, "help", HelpDialog(help_text(window.current_section()), window))


def show_about(window: QMainWindow, db) -> QDialog:
    box = QMessageBox(QMessageBox.Icon.Information, "О программе", about_text(db), QMessageBox.StandardButton.Ok,
                      window)
    return show_dialog(window, "about", box)
