"""The «Файл» and «Справка» menus: another database, backups and exit; help for the current section (F1), the
methodist's guide, shortcuts, «О программе».

F1 shows the section's page of ``resources/help``; its links (``guide:<page>.md``) open the pages of the user
guide (``docs/guide``, found by ``guide_path`` in a checkout, a wheel or a frozen build) in the same window,
pictures included, and the guide's own links between its pages work there too, with «Назад».
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QUrl, Slot
from PySide6.QtGui import QAction, QDesktopServices, QImage, QKeySequence, QPixmap, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QMainWindow, QMessageBox, QPushButton, QTextBrowser, QVBoxLayout,
    QWidget,
)

from app.resource_files import guide_path, resource_path
from app.services.maintenance.operations import about
from app.ui.common import messages
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


GUIDE_SCHEME = "guide"              # a link of the section help to a page of the guide: guide:teacher-route.md
GUIDE_INDEX = "index.md"
HELP_SIZE = (1000, 720)             # the guide's pictures are the 1366-pixel screen, shown narrower
NOT_FOUND = "# Справка\n\nСправка не найдена в папке программы."


def help_file(section_key: str) -> Path | None:
    """The bundled Russian help page (Markdown) of a section; the general page when a section has none."""
    for name in (section_key, "index"):
        path = resource_path("help", f"{name}.md")
        if path.is_file():
            return path
    return None


def help_text(section_key: str) -> str:
    path = help_file(section_key)
    return path.read_text(encoding="utf-8") if path is not None else NOT_FOUND


class HelpDialog(QDialog):
    """A help page: Markdown text, or a file (``source``) whose links lead on to the guide in the same browser."""

    def __init__(self, markdown: str = "", parent: QWidget | None = None, *, source: Path | None = None):
        super().__init__(parent)
        self.setWindowTitle("Справка — МетодСеть")
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)        # every link goes through follow(): guide pages, outside addresses
        self.browser.anchorClicked.connect(self.follow)
        self.browser.sourceChanged.connect(lambda _url: self.fit_images())
        self.browser.installEventFilter(self)
        self.back_button = QPushButton("Назад", self)
        self.back_button.setToolTip("Предыдущая страница справки")
        self.back_button.setEnabled(False)
        self.back_button.clicked.connect(self.browser.backward)
        self.browser.backwardAvailable.connect(self.back_button.setEnabled)
        self.guide_button = QPushButton("Руководство методиста", self)
        self.guide_button.setToolTip("Оглавление руководства: задачи методиста по шагам, с картинками")
        self.guide_button.clicked.connect(lambda: self.show_guide())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Закрыть")
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.back_button)
        row.addWidget(self.guide_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addLayout(row)
        messages.fit_to_screen(self, *HELP_SIZE)
        if source is not None:
            self.browser.setSource(QUrl.fromLocalFile(str(source)))
        else:
            self.browser.setMarkdown(markdown)

    @classmethod
    def for_section(cls, section_key: str, parent: QWidget | None = None) -> "HelpDialog":
        path = help_file(section_key)
        return cls(NOT_FOUND, parent) if path is None else cls(parent=parent, source=path)

    @classmethod
    def for_guide(cls, parent: QWidget | None = None, page: str = GUIDE_INDEX) -> "HelpDialog":
        dialog = cls(parent=parent)
        dialog.show_guide(page)
        return dialog

    def show_guide(self, page: str = GUIDE_INDEX, fragment: str = "") -> bool:
        """A page of the guide (``teacher-route.md``) in this browser; False, and a line saying so, if it is missing."""
        path = guide_path(page)
        if not path.is_file():
            self.browser.setMarkdown(f"# Руководство методиста\n\nСтраница руководства не найдена: {path}")
            return False
        url = QUrl.fromLocalFile(str(path))
        if fragment:
            url.setFragment(fragment)
        self.browser.setSource(url)
        return True

    @Slot(QUrl)
    def follow(self, url: QUrl) -> bool:
        """A link clicked: a guide page (``guide:…`` or a page beside this one) here, an outside address outside."""
        if url.scheme() == GUIDE_SCHEME:
            return self.show_guide(url.path() or GUIDE_INDEX, url.fragment())
        target = self.browser.source().resolved(url) if url.isRelative() else url
        if target.isLocalFile():
            if not Path(target.toLocalFile()).is_file():
                return False
            self.browser.setSource(target)
            return True
        return bool(target.scheme()) and QDesktopServices.openUrl(target)

    def fit_images(self) -> None:
        """Pictures no wider than the page: a guide's picture is the whole 1366-pixel screen."""
        document = self.browser.document()
        # Room for the scroll bar is kept whether it shows or not: a picture that made it appear would
        # otherwise leave the page narrower than the picture.
        scroll_bar = self.browser.verticalScrollBar().sizeHint().width()
        room = max(self.browser.contentsRect().width() - scroll_bar - 2 * int(document.documentMargin()) - 8, 200)
        for fragment in text_fragments(document):
            if fragment.charFormat().isImageFormat():
                self._fit_image(document, fragment, room)

    @staticmethod
    def _fit_image(document: QTextDocument, fragment, room: int) -> None:
        image_format = fragment.charFormat().toImageFormat()
        size = image_size(document.resource(QTextDocument.ResourceType.ImageResource, QUrl(image_format.name())))
        if size is None:
            return
        width = min(size[0], room)
        if abs(image_format.width() - width) < 1:
            return
        image_format.setWidth(width)
        image_format.setHeight(size[1] * width / size[0])
        cursor = QTextCursor(document)
        cursor.setPosition(fragment.position())
        cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(image_format)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        # The page's width is known only once the browser is laid out: the pictures follow its size.
        if watched is self.browser and event.type() == QEvent.Type.Resize:
            self.fit_images()
        return super().eventFilter(watched, event)


def text_fragments(document: QTextDocument):
    """Every run of one format in the document, block by block: its links, its pictures."""
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            yield fragments.fragment()
            fragments += 1
        block = block.next()


def image_size(resource) -> tuple[int, int] | None:
    """(width, height) of an image a QTextDocument holds (a pixmap, an image or the file's bytes); None if none."""
    if isinstance(resource, (QPixmap, QImage)):
        image = resource
    elif resource is not None:
        image = QImage.fromData(resource)
    else:
        return None
    return (image.width(), image.height()) if not image.isNull() and image.width() > 0 else None


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
    guide = help_menu.addAction("Руководство методиста")
    guide.triggered.connect(lambda: show_dialog(window, "help", HelpDialog.for_guide(window)))
    actions["guide"] = guide
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
    return show_dialog(window, "help", HelpDialog.for_section(window.current_section(), window))


def show_about(window: QMainWindow, db) -> QDialog:
    box = QMessageBox(QMessageBox.Icon.Information, "О программе", about_text(db), QMessageBox.StandardButton.Ok,
                      window)
    return show_dialog(window, "about", box)
