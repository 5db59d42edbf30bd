"""Starting the graphical interface: the QApplication, fonts, style, the database, the main window."""
from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from app.resource_files import resource_path
from app.services.common.bootstrap import close_database, first_start
from app.ui.common.messages import ScrollWhenTooLarge
from app.ui.shell import features
from app.ui.shell.splash import close_splash

log = logging.getLogger(__name__)

ORGANIZATION = APPLICATION = "MetodSet"
DISPLAY_NAME = "МетодСеть"
FONT_FAMILY = "DejaVu Sans"
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
FONT_POINT_SIZE = 10
STYLE_SHEET = "main.qss"
ICON_FILE = ("icons", "metodset.png")     # drawn by tools/make_icon.py


def window_icon() -> QIcon:
    """The program's icon (resources/icons/metodset.png); an empty icon when the file is missing."""
    return QIcon(str(resource_path(*ICON_FILE)))


def install_fonts(application: QApplication) -> str | None:
    """Loads the bundled Cyrillic font and makes it the default; the family name, or None.

    Qt wheels ship no fonts, and a bare Linux machine may have none with Cyrillic.
    """
    families: list[str] = []
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", name)))
        if font_id < 0:
            log.warning("font %s could not be loaded", name)
            continue
        families.extend(QFontDatabase.applicationFontFamilies(font_id))
    family = FONT_FAMILY if FONT_FAMILY in families else (families[0] if families else None)
    if family is not None:
        application.setFont(QFont(family, FONT_POINT_SIZE))
    return family


def install_style(application: QApplication) -> None:
    path = resource_path("styles", STYLE_SHEET)
    if path.is_file():
        application.setStyleSheet(path.read_text(encoding="utf-8"))


# Texts of Qt's own file dialog that the qtbase_ru.qm shipped with PySide6 leaves in English.
MISSING_QT_TEXTS = {
    ("QFileDialog", "&Look in:"): "&Папка:",
    ("QFileDialog", "Look in:"): "Папка:",
    ("QFileDialog", "Files of &type:"): "&Тип файлов:",
    ("QFileDialog", "Files of type:"): "Тип файлов:",
    ("QFileDialog", "Back"): "Назад",
    ("QFileDialog", "Forward"): "Вперёд",
    ("QFileDialog", "Parent Directory"): "Родительская папка",
    ("QFileDialog", "Create New Folder"): "Создать папку",
    ("QFileDialog", "List View"): "Список",
    ("QFileDialog", "Detail View"): "Подробно",
    ("QFileDialog", "Sidebar"): "Боковая панель",
    ("QFileDialog", "Go back"): "Назад",
    ("QFileDialog", "Go forward"): "Вперёд",
    ("QFileDialog", "Go to the parent directory"): "Перейти в родительскую папку",
    ("QFileDialog", "Create a New Folder"): "Создать папку",
    ("QFileDialog", "Change to list view mode"): "Показать списком",
    ("QFileDialog", "Change to detail view mode"): "Показать подробно",
    ("QFileDialog", "List of places and bookmarks"): "Места и закладки",
    ("QFileDialog", "Target directory"): "Папка назначения",
    ("QFileDialog", "Files of type"): "Тип файлов",
}


class MissingQtTexts(QTranslator):
    """Asked before qtbase_ru: the few texts it lacks; everything else falls through to it."""

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: D401 - Qt override
        return MISSING_QT_TEXTS.get((context, source_text))

    def isEmpty(self) -> bool:  # noqa: N802 - Qt override
        return False


def install_russian(application: QApplication) -> None:
    """Russian number grouping («2 000») in widgets and Qt's own texts (buttons «Отмена», «Да», file dialogs)."""
    QLocale.setDefault(QLocale(QLocale.Language.Russian, QLocale.Country.Russia))
    translator = QTranslator(application)
    if translator.load(QLocale(), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        application.installTranslator(translator)
    # Installed last, so asked first.
    application.installTranslator(MissingQtTexts(application))


def setup_application(application: QApplication) -> None:
    """Names (for QSettings), fonts, style and the features' wiring: everything but the window. Tests call it too."""
    application.setOrganizationName(ORGANIZATION)
    application.setApplicationName(APPLICATION)
    application.setApplicationDisplayName(DISPLAY_NAME)
    # One look on Windows and Astra alike, which the style sheet is written against.
    application.setStyle("Fusion")
    install_russian(application)
    # Every window, the sign-in and the first-run wizard included, carries the program's icon.
    application.setWindowIcon(window_icon())
    install_fonts(application)
    install_style(application)
    if not hasattr(application, "dialog_fitter"):
        # Dialogs too large for a small logical screen scroll instead of lying past its edge.
        application.dialog_fitter = ScrollWhenTooLarge(application)
        application.installEventFilter(application.dialog_fitter)
    features.install()


def paint_once(db, out) -> int:
    """Shows the main window on the opened, signed-in ``db``, saves what it painted as the PNG ``out`` and
    closes: the smoke start of a build and a quick look at a database without a sign-in dialog."""
    from PySide6.QtCore import QSize

    from app.ui.shell.main_window import MainWindow

    application = QApplication.instance() or QApplication(sys.argv[:1])
    setup_application(application)
    close_splash()
    window = MainWindow(db, first_start_question=False)     # nothing may wait for an answer here
    window.show()
    application.processEvents()
    picture = window.grab()
    window.close()
    window.deleteLater()
    application.processEvents()
    if picture.size() == QSize(0, 0) or not picture.save(str(out), "PNG"):
        raise OSError(f"не удалось сохранить снимок окна в {out}")
    return 0


def run_gui(db_arg: str | None = None) -> int:
    """Runs the interface on the database ``db_arg`` (a path or URL; None = the user's default). Exit code."""
    from app.ui.shell.main_window import MainWindow

    application = QApplication.instance() or QApplication(sys.argv[:1])
    # Month and day names in calendars and date editors are Russian whatever the OS language.
    QLocale.setDefault(QLocale(QLocale.Language.Russian, QLocale.Country.Russia))
    setup_application(application)
    from app.ui.accounts.login_dialog import sign_in_gui
    from app.ui.shell.startup import open_for_window, set_up_centre, warn_about_data_folder

    from app.ui.shell.service_menu import start_daily_backup

    from app.ui.shell.server_dialog import remember_location, remembered_location

    remembered = db_arg is None and remembered_location() is not None
    if remembered:
        db_arg = remembered_location()      # the database last chosen in «Файл», a file or a server
    setup = None
    if db_arg is None and first_start():
        from app.ui.shell.first_run import ask_first_run

        setup = ask_first_run()
        if setup is None:
            return 0
        db_arg = setup.database_arg
        if db_arg is not None:
            remember_location(db_arg)
        if setup.open_existing:
            setup = None                 # a base found in the chosen folder: its own sign-in, nothing set up
    else:
        warn_about_data_folder(None)
    while True:
        opened = open_for_window(db_arg)
        if opened is None and remembered and "://" in db_arg:
            # The remembered server is out of reach: the user's own file opens instead of nothing. A remembered
            # file is kept: a second copy of the program or a missing drive must not send the user to an empty base.
            remember_location(None)
            remembered, db_arg = False, None
            continue
        if opened is None:
            return 1
        db, migration = opened
        close_splash()           # the sign-in window is the first real one
        if setup is not None:
            if not set_up_centre(db, setup):
                close_database(db)
                return 1
        elif not sign_in_gui(db):
            close_database(db)
            return 0
        window = MainWindow(db, first_start_question=setup is None)
        if setup is not None and setup.demo_teachers:
            window.start_demo(setup.demo_teachers)
        setup = None
        start_daily_backup(window, db)
        if migration.backup_path is not None:
            window.statusBar().showMessage(
                f"Схема базы обновлена; резервная копия прежней базы: {migration.backup_path}", 20_000)
        window.show()
        try:
            code = application.exec()
        finally:
            close_database(db)
        if window.switch_to is None:
            return code
        # «Открыть базу данных…»: this database is closed (its lock released) before the next opens.
        db_arg = window.switch_to
        remember_location(db_arg)
        remembered = False
        window.deleteLater()
