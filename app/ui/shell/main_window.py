"""The main window: sections in a sidebar, a page per section, a status bar naming the database."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QMessageBox, QPushButton,
    QStackedWidget, QVBoxLayout, QWidget,
)

from app.services.registry import overview
from app.services.demo.generator import generate_demo
from app.services.registry.service import RecordService
from app.services.common.record_target import Target
from app.ui.reports.dashboard_page import DashboardPage
from app.ui.events.certificate_verify_dialog import VerifyCertificateDialog
from app.ui.demo.first_start_dialog import FirstStartDialog
from app.ui.common.record_page import RecordPage
from app.ui.common.record_table import format_count
from app.ui.common.progress_dialog import TaskProgressDialog
from app.ui.shell.section_page import SectionPage
from app.ui.shell.sections import SECTIONS, section_of_entity, section_of_report
from app.ui.shell.edit_menu import install_edit_menu
from app.ui.shell.help_menu import ask_database_path, install_file_and_help_menus
from app.ui.shell.service_menu import install_service_menu
from app.ui.shell.window_placement import available_area, fitted_geometry, lies_within
from app.ui.common.task_runner import Task, stop_all_tasks
from app.ui.common.ui_settings import interface_settings

WINDOW_TITLE = "МетодСеть"
SIDEBAR_WIDTH = 240
SIDEBAR_ITEM_HEIGHT = 36
SHUTDOWN_WAIT_MS = 60_000


class SectionList(QListWidget):
    """The sections one under another. On a short screen (1366×768 at 150 % leaves 911×512) the items get
    lower — down to a line of text with a little air — before the list needs a scroll bar, which would take
    the width the longest title («Повышение квалификации») needs."""

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.fit_items()

    def fit_items(self) -> None:
        if not self.count():
            return
        least = self.fontMetrics().height() + 8
        height = max(least, min(SIDEBAR_ITEM_HEIGHT, self.viewport().height() // self.count()))
        if self.item(0).sizeHint().height() != height:
            for row in range(self.count()):
                # Style-sheet padding paints taller items but does not make the view lay them out taller.
                self.item(row).setSizeHint(QSize(SIDEBAR_WIDTH, height))


class MainWindow(QMainWindow):
    def __init__(self, db, parent: QWidget | None = None, *, first_start_question: bool = True):
        super().__init__(parent)
        self._db = db
        self._service = RecordService(db)
        self._task: Task | None = None
        self._first_show_done = not first_start_question
        self._message_box: QMessageBox | None = None
        # Set by «Файл → Открыть базу данных…»: the file the program opens once this window has closed.
        self.switch_to: str | None = None
        self.setWindowTitle(WINDOW_TITLE)

        self.sidebar = SectionList(self)
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget(self)
        self.pages: dict[str, SectionPage] = {}
        for section in SECTIONS:
            if section.key == "dashboard":
                page = self.dashboard = DashboardPage(section, db, self.stack)
                page.open_target.connect(self.open_target)
                page.first_steps.import_requested.connect(self.start_import)
                page.first_steps.demo_requested.connect(self.offer_demo)
            else:
                page = SectionPage(section, self._service, self.stack)
            page.records_changed.connect(self._on_records_changed)
            self.pages[section.key] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(section.title, self.sidebar)
            item.setData(Qt.ItemDataRole.UserRole, section.key)
            item.setSizeHint(QSize(SIDEBAR_WIDTH, SIDEBAR_ITEM_HEIGHT))
        self.sidebar.currentRowChanged.connect(self._on_section_changed)
        self.attention = self.pages["attention"].custom_page
        self.attention.open_target.connect(self.open_target)
        self.attention.counted.connect(self._show_attention_count)
        self.dashboard.loaded.connect(lambda d: self.attention.show_groups(d.attention, d.today))

        brand = QLabel("МетодСеть", self)
        brand.setObjectName("brandLabel")
        brand_hint = QLabel("сетевое взаимодействие\nметодической службы", self)
        brand_hint.setObjectName("brandHint")
        left = QFrame(self)
        left.setObjectName("sidebarPane")
        left.setFixedWidth(SIDEBAR_WIDTH)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 14, 0, 0)
        left_layout.setSpacing(2)
        left_layout.addWidget(brand)
        left_layout.addWidget(brand_hint)
        left_layout.addSpacing(10)
        left_layout.addWidget(self.sidebar, 1)
        self.verify_button = QPushButton("Проверить сертификат…", left)
        self.verify_button.setObjectName("verifyCertificateButton")
        self.verify_button.setToolTip("Сведения реестра по коду проверки с сертификата участника (Ctrl+Shift+K)")
        self.verify_button.clicked.connect(lambda: self.open_verify_certificate())
        left_layout.addWidget(self.verify_button)
        left_layout.addSpacing(10)

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(left)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.database_label = QLabel(f"База данных: {db.describe()}", self)
        self.database_label.setObjectName("databaseLabel")
        self.database_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addPermanentWidget(self.database_label)

        install_service_menu(self, db)
        install_file_and_help_menus(self, db)
        install_edit_menu(self)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self._focus_search)
        QShortcut(QKeySequence("Ctrl+Shift+K"), self, lambda: self.open_verify_certificate())
        self._restore_settings()

    # -- navigation ------------------------------------------------------
    def current_section(self) -> str:
        item = self.sidebar.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else SECTIONS[0].key

    def select_section(self, key: str) -> SectionPage:
        index = list(self.pages).index(key)
        self.sidebar.setCurrentRow(index)
        # setCurrentRow is silent when the row is already current (as row 0 may be at start).
        self._on_section_changed(index)
        return self.pages[key]

    def current_page(self) -> SectionPage:
        return self.stack.currentWidget()

    def record_page(self, entity: str) -> RecordPage:
        return self.pages[section_of_entity(entity).key].record_pages[entity]

    def show_records(self, entity: str) -> RecordPage:
        """Opens the section and tab of ``entity`` and returns its (loaded) list page."""
        return self.select_section(section_of_entity(entity).key).show_entity(entity)

    @Slot(object)
    def open_target(self, target: Target):
        """A figure or a «На контроле» line: its list with exactly its filters (or its report tab)."""
        if target.report:
            return self.select_section(section_of_report(target.report).key).show_report(target.report)
        page = self.show_records(target.entity)
        page.apply_filters(target.filter_dict())
        if target.record_id:
            page.select_record(target.record_id)
        page.table.setFocus()
        if not target.record_id:
            # Focus gained in an active window makes the view select its first row: the target is the list.
            page.table.selectionModel().clear()
        return page

    def open_verify_certificate(self, code: str = "") -> VerifyCertificateDialog:
        """«Проверить сертификат»: the register entry for a typed code."""
        dialog = VerifyCertificateDialog(self._db, self, code)
        dialog.open()
        return dialog

    @Slot(int)
    def _show_attention_count(self, count: int) -> None:
        item = self.sidebar.item(list(self.pages).index("attention"))
        title = self.pages["attention"].section.title
        item.setText(f"{title} ({format_count(count)})" if count else title)
        item.setToolTip(f"Требуют внимания: {format_count(count)}" if count else "Сроки под контролем")

    @Slot(int)
    def _on_section_changed(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        self.pages[SECTIONS[row].key].activate()

    @Slot()
    def _focus_search(self) -> None:
        page = self.current_page().current_record_page()
        if page is not None:
            page.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
            page.search_field.selectAll()

    def refresh(self) -> None:
        """After data changed: the visible list re-reads now, the others when opened."""
        for page in self.pages.values():
            page.mark_stale()
        self.current_page().activate()
        self._recount_attention()

    @Slot(str)
    def _on_records_changed(self, entity: str) -> None:
        # The page that made the change has re-read itself; a delete or restore may have
        # taken owned records (routes, participations) along, and names show in other lists.
        changed = self.record_page(entity)
        for page in self.pages.values():
            page.mark_stale(keep=changed)
        self._recount_attention()

    def _recount_attention(self) -> None:
        # The sidebar's «На контроле (N)» is on screen whatever page is open: it is read again now, off the GUI thread.
        if self.current_section() != "attention":
            self.attention.reload()

    # -- first start and demo data -----------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._first_show_done:
            self._first_show_done = True
            # After the event loop has painted the window, so the question appears over it.
            QTimer.singleShot(0, self, self._offer_first_start)

    @Slot()
    def _offer_first_start(self) -> None:
        if self.is_busy() or not overview.is_empty(self._db):
            return
        self.offer_demo()

    @Slot()
    def offer_demo(self) -> None:
        teachers = FirstStartDialog.ask(self)
        if teachers:
            self.start_demo(teachers)

    @Slot(str)
    def start_import(self, entity: str):
        """«С чего начать»: the list of ``entity`` with its import dialog open over it."""
        page = self.show_records(entity)
        button = page.findChild(QPushButton, "importButton")
        if button is not None and button.isEnabled() and not button.isHidden():
            # After the list is on screen, so the dialog opens over it.
            QTimer.singleShot(0, button.click)
        return page

    @Slot()
    def ask_open_database(self) -> None:
        path = ask_database_path(self, self._db.path)
        if path:
            self.open_database_file(path)

    @Slot()
    def ask_connect_server(self) -> None:
        from app.ui.shell.server_dialog import ServerDialog

        dialog = ServerDialog(self)
        if dialog.exec() == ServerDialog.DialogCode.Accepted:
            self.switch_to = dialog.url()
            self.close()

    def open_database_file(self, path: str) -> bool:
        """Closes this window so that the program opens ``path`` (with its own sign-in); False if it is this one."""
        if self._db.path is not None and Path(path).resolve() == self._db.path.resolve():
            self.statusBar().showMessage("Эта база данных уже открыта.", 10_000)
            return False
        self.switch_to = str(path)
        self.close()
        return True

    def is_busy(self) -> bool:
        return self._task is not None and self._task.is_running()

    def start_demo(self, teachers: int, seed: int = 1) -> Task:
        db = self._db

        def generate(progress, is_cancelled):
            return generate_demo(db, teachers, seed=seed, progress=progress, is_cancelled=is_cancelled)

        task = Task(generate, self)
        task.succeeded.connect(self._on_demo_done)
        task.cancelled.connect(lambda: self.statusBar().showMessage(
            "Создание демонстрационных данных отменено; база не изменилась.", 10_000))
        task.failed.connect(lambda exc: self._show_error("Не удалось создать демонстрационные данные", exc))
        task.finished.connect(self.refresh)
        self._task = task
        dialog = TaskProgressDialog(task, "Демонстрационные данные",
                                    f"Создание демонстрационной базы ({format_count(teachers)} педагогов)…", self)
        task.start()
        dialog.show()
        return task

    @Slot(object)
    def _on_demo_done(self, result) -> None:
        total = sum(result.counts.values())
        self.statusBar().showMessage(
            f"Демонстрационная база создана: {format_count(total)} записей за {result.seconds:.1f} с.", 15_000)

    def _show_error(self, what: str, exc: BaseException) -> None:
        # open(), not exec(): the window keeps its event loop and tests never block.
        box = QMessageBox(QMessageBox.Icon.Critical, WINDOW_TITLE, f"{what}.\n\n{exc}",
                          QMessageBox.StandardButton.Ok, self)
        self._message_box = box
        box.open()

    # -- persistence -------------------------------------------------------
    def _restore_settings(self) -> None:
        settings = interface_settings()
        geometry = settings.value("main_window/geometry")
        available = available_area(self)
        restored = isinstance(geometry, QByteArray) and not geometry.isEmpty() and self.restoreGeometry(geometry)
        if not restored or (not self.isMaximized() and not lies_within(self.frameGeometry(), available)):
            # First start, or a geometry saved on a larger (or detached) monitor.
            self.setGeometry(fitted_geometry(available))
        state = settings.value("main_window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        # Every start opens on «Главная»: the figures and «На контроле» are what a day begins with.
        self.select_section(SECTIONS[0].key)

    def save_settings(self) -> None:
        settings = interface_settings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/state", self.saveState())
        settings.setValue("main_window/section", self.current_section())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.is_busy():
            # The worker writes to the database; let it roll back before the window goes.
            self._task.cancel()
            self._task.wait(SHUTDOWN_WAIT_MS)
        self.dashboard.wait()
        self.attention.wait()
        # A list still reading, a card, a report: none may outlive the window (Qt aborts on a running thread).
        stop_all_tasks(SHUTDOWN_WAIT_MS)
        self.save_settings()
        super().closeEvent(event)
