"""The pages the main window stacks: lists of records and placeholders for what comes later."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QFrame, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableView, QTabWidget,
    QVBoxLayout, QWidget,
)

from app.services.registry.specs import spec_for
from app.services.common.errors import ServiceError
from app.services.registry.service import FULL_ANSWER_MAX, RecordService
from app.ui.common import messages
from app.ui.events.certificate_register import CertificateRegisterTab
from app.ui.common.custom_forms import custom_form
from app.ui.duplicates.duplicates_dialog import DuplicatesDialog
from app.ui.common.filter_panel import FilterPanel
from app.ui.importing.dialog import ImportDialog
from app.ui.development.pd_reports import REPORTS, ReportTab
from app.ui.common.record_dialog import RecordDialog, open_record
from app.ui.common.record_table_model import BLOCK_SIZE, RecordTableModel
from app.ui.shell.sections import Section, Tab
from app.ui.common.table_selection import select_row, selected_row

if TYPE_CHECKING:
    from app.ui.events.certificates_dialog import CertificatesDialog

SEARCH_DELAY_MS = 250
# Lists a spreadsheet can be imported into (spreadsheet_import.KINDS).
IMPORTABLE = ("teachers", "organizations", "programmes", "diagnostics")
# Report tabs a section may name: the PD reports and the certificate register.
REPORT_TABS = {**REPORTS, CertificateRegisterTab.key: CertificateRegisterTab}
# Columns are sized once, from the first rows; no column starts wider than this,
# and long ones give way (not below the floor) so that the table fits the page.
MAX_INITIAL_COLUMN_WIDTH = 340
MIN_SHRUNK_COLUMN_WIDTH = 140


def format_count(n: int) -> str:
    """1234 → «1 234» with a no-break space, as Russian typography groups digits."""
    return f"{n:,}".replace(",", "\u00a0")


def make_record_table(model: RecordTableModel, parent: QWidget) -> QTableView:
    """The list view every record table shares: whole rows, fixed row height, server-side sort."""
    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    rows = table.verticalHeader()
    rows.hide()
    # Fixed heights let the view place 100,000 rows without measuring any of them.
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setResizeContentsPrecision(BLOCK_SIZE // 4)
    header.setSortIndicatorClearable(True)
    # Without this, enabling sorting would sort by the first column at once.
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.setSortingEnabled(True)
    return table


def size_columns(table: QTableView) -> None:
    """Columns sized once from the first rows, long ones giving way so that the table fits."""
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    widths = [header.sectionSize(c) for c in range(table.model().columnCount())]
    cap = fitting_cap(widths, table.viewport().width())
    for column, width in enumerate(widths):
        if width > cap:
            header.resizeSection(column, cap)


class RecordPage(QWidget):
    """Search, filters, count and a lazy table over one entity, with create / edit / delete and the bin."""

    count_changed = Signal(int)
    records_changed = Signal(str)       # the entity: something was created, changed, deleted or restored

    def __init__(self, service: RecordService, tab: Tab, parent: QWidget | None = None):
        super().__init__(parent)
        self.entity = tab.entity
        self._service = service
        self.spec = spec_for(tab.entity)
        self.model = RecordTableModel(service, tab.entity, self)
        self._stale = True
        self._options_stale = True
        self._columns_sized = False
        self.trash_dialog: TrashDialog | None = None
        self.duplicates_dialog: DuplicatesDialog | None = None

        self.create_button = QPushButton("Создать", self)
        self.create_button.setObjectName("createButton")
        self.create_button.setToolTip(f"Новая запись ({self.spec.singular}), Ctrl+N")
        self.edit_button = QPushButton("Изменить", self)
        self.edit_button.setToolTip("Открыть выбранную запись (или двойной щелчок по строке)")
        self.delete_button = QPushButton("Удалить", self)
        self.delete_button.setToolTip("Переместить выбранную запись в корзину")
        self.trash_button = QPushButton("Корзина", self)
        self.trash_button.setToolTip("Удалённые записи этого списка; их можно восстановить")
        self.create_button.clicked.connect(self.create_record)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.trash_button.clicked.connect(self.open_trash)
        self.import_button: QPushButton | None = None
        if self.entity in IMPORTABLE:
            self.import_button = QPushButton("Импорт…", self)
            self.import_button.setObjectName("importButton")
            self.import_button.setToolTip(f"Загрузить записи ({self.spec.title.lower()}) из таблицы Excel, ODS или CSV")
            self.import_button.clicked.connect(self.import_records)
        self.duplicates_button: QPushButton | None = None
        if self.entity == "teachers":
            self.duplicates_button = QPushButton("Дубликаты", self)
            self.duplicates_button.setObjectName("duplicatesButton")
            self.duplicates_button.setToolTip(
                "Возможные дубликаты педагогов: просмотр, объединение, журнал объединений")
            self.duplicates_button.clicked.connect(self.open_duplicates)
        self.certificates_button: QPushButton | None = None
        if self.entity == "events":
            self.certificates_button = QPushButton("Сертификаты…", self)
            self.certificates_button.setObjectName("certificatesButton")
            self.certificates_button.setToolTip(
                "Сертификаты участников выбранного мероприятия: выдача, PDF, архив ZIP")
            self.certificates_button.clicked.connect(self.open_certificates)

        self.group_routes_button: QPushButton | None = None
        if self.entity == "trajectories":
            self.group_routes_button = QPushButton("Маршруты для группы…", self)
            self.group_routes_button.setObjectName("groupRoutesButton")
            self.group_routes_button.setToolTip("Создать маршруты нескольким педагогам сразу по одному шаблону")
            self.group_routes_button.clicked.connect(self.create_group_routes)

        self.search_field = QLineEdit(self)
        self.search_field.setObjectName("searchField")
        self.search_field.setPlaceholderText(tab.search_hint + "…")
        self.search_field.setToolTip("Поиск со второй буквы, без учёта регистра; «е» и «ё» не различаются.")
        self.search_field.setClearButtonEnabled(True)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        self.message_label = QLabel(self)
        self.message_label.setObjectName("messageLabel")
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        self.notice_label = QLabel(self)
        self.notice_label.setObjectName("hintLabel")
        self.notice_label.hide()
        self.filter_panel = FilterPanel(service, tab.entity, self)
        self.filter_panel.hide()            # shown once there are options (on first load)
        self.filter_panel.changed.connect(self._on_filters_changed)

        self.table = make_record_table(self.model, self)
        self.table.doubleClicked.connect(self._on_double_click)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table, self.delete_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self.edit_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence(QKeySequence.StandardKey.New), self, self.create_record,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

        top = QHBoxLayout()
        top.addWidget(self.create_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.delete_button)
        top.addSpacing(10)
        top.addWidget(self.search_field, 1)
        top.addSpacing(10)
        top.addWidget(self.trash_button)
        bottom = QHBoxLayout()
        # The registry-wide actions sit under the list: the toolbar must fit a 760-pixel window.
        for button in (self.import_button, self.duplicates_button, self.group_routes_button,
                       self.certificates_button):
            if button is not None:
                bottom.addWidget(button)
        bottom.addStretch(1)
        bottom.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.filter_panel)
        layout.addWidget(self.message_label)
        layout.addWidget(self.notice_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search_field.textChanged.connect(lambda _text: self._search_timer.start())
        self.model.loaded.connect(self._on_loaded)
        self.model.load_failed.connect(self._show_message)
        self._update_buttons()

    # -- loading ---------------------------------------------------------
    def ensure_loaded(self) -> None:
        """Reads the ids the first time the page is shown, and after data changed."""
        if self._stale:
            self.refresh()

    def mark_stale(self) -> None:
        self._stale = True
        self._options_stale = True

    def refresh(self, select_id: str | None = None) -> None:
        """Re-reads the list with the current search and filters, keeping the selected record in view.

        ``select_id`` selects that record instead (a new one); if the selected
        record is gone, the selection stays on the same line.
        """
        keep = select_id or self.selected_id()
        keep_row = selected_row(self.table)
        self.notice_label.hide()
        self._stale = False
        self._search_timer.stop()
        if self._options_stale:
            self._options_stale = False
            self.filter_panel.blockSignals(True)
            try:
                self.filter_panel.load_options()
            finally:
                self.filter_panel.blockSignals(False)
        self.model.set_query(self.search_field.text(), self.filter_panel.filters())
        row = self.model.row_of(keep) if keep else -1
        if row < 0 and keep_row >= 0:
            row = min(keep_row, self.model.rowCount() - 1)
        if row >= 0:
            select_row(self.table, row)

    def count(self) -> int:
        return self.model.rowCount()

    def set_search_text(self, text: str) -> None:
        """Types into the field; the list follows after the usual pause."""
        self.search_field.setText(text)

    def apply_filters(self, filters: dict[str, str]) -> None:
        """Shows exactly the records of ``filters`` (other filters and the search cleared), read once.

        A value the panel no longer offers (a deleted organisation) is left at «Все».
        """
        self.ensure_loaded()
        self.search_field.blockSignals(True)
        self.search_field.clear()
        self.search_field.blockSignals(False)
        self.filter_panel.blockSignals(True)
        try:
            for name in self.filter_panel.combos:
                try:
                    self.filter_panel.set_filter(name, filters.get(name))
                except KeyError:
                    self.filter_panel.set_filter(name, None)
        finally:
            self.filter_panel.blockSignals(False)
        self.filter_panel.reset_button.setEnabled(bool(self.filter_panel.filters()))
        self.refresh()

    def selected_id(self) -> str | None:
        row = selected_row(self.table)
        return self.model.record_id(row) if 0 <= row < self.model.rowCount() else None

    def select_record(self, record_id: str) -> bool:
        row = self.model.row_of(record_id)
        if row >= 0:
            select_row(self.table, row)
        return row >= 0

    @Slot()
    def _apply_search(self) -> None:
        if self.search_field.text().strip() != self.model.search_text or self._stale:
            self.refresh()

    @Slot()
    def _on_filters_changed(self) -> None:
        self.refresh()

    @Slot(int)
    def _on_loaded(self, n: int) -> None:
        self.message_label.hide()
        if self.model.is_complete:
            self.count_label.setText(f"Найдено: {format_count(n)}")
        else:
            self.count_label.setText(f"Найдено: больше {format_count(FULL_ANSWER_MAX)}, список дочитывается…")
        if n and not self._columns_sized:
            self._columns_sized = True
            # After the layout has given the freshly shown page its real width.
            QTimer.singleShot(0, self, self._size_columns)
        self.count_changed.emit(n)

    @Slot(str)
    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.show()
        self.count_label.setText(f"Найдено: {format_count(self.model.rowCount())}")

    @Slot()
    def _size_columns(self) -> None:
        size_columns(self.table)

    def _update_buttons(self) -> None:
        chosen = self.selected_id() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)
        if self.certificates_button is not None:
            self.certificates_button.setEnabled(chosen)

    # -- changing records -----------------------------------------------------
    @Slot()
    def create_record(self) -> str | None:
        form = custom_form(self.entity)
        new_id = (form(self, self._service, None) if form is not None
                  else RecordDialog.ask(self, self._service, self.entity))
        if new_id is not None:
            self._after_change(new_id)
        return new_id

    @Slot()
    def edit_selected(self) -> bool:
        record_id = self.selected_id()
        if record_id is None:
            return False
        changed = open_record(self, self._service, self.entity, record_id)
        if changed:
            self._after_change(record_id)
        return changed

    @Slot(QModelIndex)
    def _on_double_click(self, index: QModelIndex) -> None:
        if index.isValid():
            select_row(self.table, index.row())
            self.edit_selected()

    @Slot()
    def delete_selected(self) -> bool:
        row = selected_row(self.table)
        if not 0 <= row < self.model.rowCount():
            return False
        record_id = self.model.record_id(row)
        # The entity name stays in the nominative in brackets: «Удалить запись «…» (педагог)?».
        what = f"запись «{self.model.record_label(row)}» ({self.spec.singular})"
        if not messages.confirm_delete(self, what):
            return False
        try:
            self._service.delete(self.entity, record_id)
        except ServiceError as exc:
            messages.show_error(self, str(exc))
            return False
        self._after_change()
        return True

    @Slot()
    def open_trash(self) -> "TrashDialog":
        if self.trash_dialog is None:
            self.trash_dialog = TrashDialog(self._service, self.entity, self)
            self.trash_dialog.restored.connect(self._after_change)
        self.trash_dialog.reload()
        self.trash_dialog.open()
        return self.trash_dialog

    @Slot()
    def import_records(self) -> bool:
        """«Импорт…»: the import dialog; the list re-reads when the import changed the base."""
        result = ImportDialog.run(self, self._service.db, self.entity, actor=self._service.actor)
        if result is None or not result.committed:
            return False
        self._after_change()
        return True

    @Slot()
    def create_group_routes(self) -> list[str]:
        """«Маршруты для группы…»: routes from a template; the teachers may be the «Педагоги» list as filtered."""
        from app.ui.development.group_routes_dialog import GroupRoutesDialog

        teachers = getattr(self.window(), "record_page", lambda _e: None)("teachers")
        current = ([teachers.model.record_id(r) for r in range(teachers.model.rowCount())]
                   if isinstance(teachers, RecordPage) else [])
        created = GroupRoutesDialog.ask(self, self._service, current)
        if created:
            self._after_change(created[0])
        return created

    @Slot()
    def open_duplicates(self) -> DuplicatesDialog:
        """«Дубликаты»: probable duplicate teachers, merging them and the merge log."""
        if self.duplicates_dialog is None:
            self.duplicates_dialog = DuplicatesDialog(self._service.db, self._service.actor, self)
            self.duplicates_dialog.changed.connect(lambda: self._after_change())
        self.duplicates_dialog.reload()
        self.duplicates_dialog.open()
        return self.duplicates_dialog

    @Slot()
    def open_certificates(self) -> "CertificatesDialog | None":
        """«Сертификаты…» of the selected event."""
        from app.ui.events.certificates_dialog import CertificatesDialog   # reportlab loads with it, on demand

        event_id = self.selected_id()
        if event_id is None:
            return None
        try:
            dialog = CertificatesDialog(self._service.db, self._service.actor, event_id, self)
        except ServiceError as exc:
            messages.show_error(self, str(exc))
            return None
        dialog.changed.connect(lambda: self.records_changed.emit(self.entity))
        dialog.open()
        return dialog

    @Slot(str)
    def _after_change(self, select_id: str | None = None) -> None:
        self._options_stale = True
        self.refresh(select_id)
        if select_id and self.model.row_of(select_id) < 0:
            self.notice_label.setText("Запись сохранена, но в списке её не видно: её скрывают поиск или фильтры.")
            self.notice_label.show()
        self.records_changed.emit(self.entity)


class TrashDialog(QDialog):
    """Deleted records of one list, with «Восстановить»."""

    restored = Signal(str)

    def __init__(self, service: RecordService, entity: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._service = service
        self.entity = entity
        spec = spec_for(entity)
        self.setWindowTitle(f"Корзина: {spec.title}")
        self.setObjectName("trashDialog")
        self.model = RecordTableModel(service, entity, self, deleted=True)
        self._columns_sized = False

        title = QLabel(f"Корзина: {spec.title.lower()}", self)
        title.setObjectName("dialogTitle")
        hint = QLabel("Удалённые записи. «Восстановить» возвращает запись в список вместе с тем, "
                      "что было удалено вместе с ней.", self)
        hint.setObjectName("hintLabel")
        hint.setWordWrap(True)
        self.search_field = QLineEdit(self)
        self.search_field.setObjectName("searchField")
        self.search_field.setPlaceholderText("Поиск среди удалённых…")
        self.search_field.setClearButtonEnabled(True)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        self.message_label = QLabel(self)
        self.message_label.setObjectName("messageLabel")
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        self.table = make_record_table(self.model, self)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        self.restore_button = QPushButton("Восстановить", self)
        self.restore_button.clicked.connect(self.restore_selected)
        self.close_button = QPushButton("Закрыть", self)
        self.close_button.clicked.connect(self.accept)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        self.model.loaded.connect(self._on_loaded)
        self.model.load_failed.connect(self._show_message)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        self.search_field.textChanged.connect(lambda _text: self._search_timer.start())

        top = QHBoxLayout()
        top.addWidget(self.search_field, 1)
        top.addSpacing(12)
        top.addWidget(self.count_label)
        bottom = QHBoxLayout()
        bottom.addWidget(self.restore_button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addLayout(top)
        layout.addWidget(self.message_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.resize(980, 560)

    def reload(self) -> None:
        keep_row = selected_row(self.table)
        self._search_timer.stop()
        self.model.set_query(self.search_field.text())
        if self.model.rowCount():
            select_row(self.table, min(max(keep_row, 0), self.model.rowCount() - 1))

    def count(self) -> int:
        return self.model.rowCount()

    def select_record(self, record_id: str) -> bool:
        row = self.model.row_of(record_id)
        if row >= 0:
            select_row(self.table, row)
        return row >= 0

    @Slot()
    def restore_selected(self) -> bool:
        row = selected_row(self.table)
        if not 0 <= row < self.model.rowCount():
            return False
        record_id = self.model.record_id(row)
        try:
            self._service.restore(self.entity, record_id)
        except ServiceError as exc:
            messages.show_error(self, str(exc))
            return False
        self.reload()
        self.restored.emit(record_id)
        return True

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(0 <= selected_row(self.table) < self.model.rowCount())

    @Slot(int)
    def _on_loaded(self, n: int) -> None:
        self.message_label.hide()
        self.count_label.setText(f"В корзине: {format_count(n)}")
        if n and not self._columns_sized:
            self._columns_sized = True
            QTimer.singleShot(0, self, lambda: size_columns(self.table))

    @Slot(str)
    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.show()


def fitting_cap(widths: list[int], available: int) -> int:
    """The largest column width limit with which the columns fit ``available`` pixels.

    Narrow columns (dates, numbers) keep their width; only the long ones are cut.
    """
    if sum(min(w, MAX_INITIAL_COLUMN_WIDTH) for w in widths) <= available:
        return MAX_INITIAL_COLUMN_WIDTH
    low, high = MIN_SHRUNK_COLUMN_WIDTH, MAX_INITIAL_COLUMN_WIDTH
    while low < high:
        middle = (low + high + 1) // 2
        if sum(min(w, middle) for w in widths) <= available:
            low = middle
        else:
            high = middle - 1
    return low


def page_class(entity: str) -> type[RecordPage]:
    """The list page of an entity: a few have their own (events: a calendar and event actions)."""
    if entity == "events":
        from app.ui.events.page import EventsPage

        return EventsPage
    return RecordPage


def custom_page(key: str, service: RecordService, parent: QWidget) -> QWidget:
    """A section page that is not a list of records (Section.page); it has activate() and mark_stale()."""
    if key == "report_catalogue":
        from app.ui.reports.report_catalogue import ReportCatalogue

        return ReportCatalogue(service, parent)
    raise KeyError(key)


class SectionPage(QWidget):
    """A titled page: one list, several lists in tabs, or an explanatory text."""

    records_changed = Signal(str)

    def __init__(self, section: Section, service: RecordService, parent: QWidget | None = None):
        super().__init__(parent)
        self.section = section
        self.record_pages: dict[str, RecordPage] = {}
        self.report_tabs: dict[str, ReportTab] = {}
        self.tabs: QTabWidget | None = None
        self.custom_page: QWidget | None = None
        self.sync_page: QWidget | None = None
        self._service = service

        self.title_label = QLabel(section.title, self)
        self.title_label.setObjectName("pageTitle")
        self.description_label = QLabel(section.description, self)
        self.description_label.setObjectName("pageDescription")
        self.description_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(6)
        layout.addWidget(self.title_label)

        if section.key == "exchange":
            # Built when first opened: the exchange page and its cryptography cost
            # a third of a second that no start-up should pay.
            layout.addWidget(self.description_label)
            self._layout = layout
            return
        if section.page:
            layout.addWidget(self.description_label)
            self.custom_page = custom_page(section.page, service, self)
            layout.addWidget(self.custom_page, 1)
            return
        if not section.tabs:
            self.description_label.setObjectName("placeholderText")
            self.description_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            frame = QFrame(self)
            frame.setObjectName("placeholderFrame")
            inner = QVBoxLayout(frame)
            inner.setContentsMargins(18, 16, 18, 16)
            inner.addWidget(self.description_label)
            layout.addSpacing(6)
            layout.addWidget(frame)
            layout.addStretch(1)
            return

        layout.addWidget(self.description_label)
        for key in section.reports:
            report = REPORT_TABS[key](service, self)
            report.records_changed.connect(self.records_changed)
            self.report_tabs[key] = report
        for tab in section.tabs:
            page = page_class(tab.entity)(service, tab, self)
            page.records_changed.connect(self.records_changed)
            self.record_pages[tab.entity] = page
        if len(section.tabs) == 1 and not section.reports:
            layout.addWidget(self.record_pages[section.tabs[0].entity], 1)
        else:
            self.tabs = QTabWidget(self)
            self.tabs.setDocumentMode(True)
            for tab in section.tabs:
                self.tabs.addTab(self.record_pages[tab.entity], tab.label)
            for key, report in self.report_tabs.items():
                self.tabs.addTab(report, report.label)
            self.tabs.currentChanged.connect(lambda _index: self.activate())
            layout.addSpacing(4)
            layout.addWidget(self.tabs, 1)

    def title(self) -> str:
        return self.title_label.text()

    def current_record_page(self) -> RecordPage | None:
        """The list on screen; None while a report tab is open."""
        if self.tabs is not None:
            widget = self.tabs.currentWidget()
            return widget if isinstance(widget, RecordPage) else None
        return next(iter(self.record_pages.values()), None)

    def show_report(self, key: str) -> ReportTab:
        report = self.report_tabs[key]
        if self.tabs is not None:
            self.tabs.setCurrentWidget(report)
        self.activate()
        return report

    def show_entity(self, entity: str) -> RecordPage:
        page = self.record_pages[entity]
        if self.tabs is not None:
            self.tabs.setCurrentWidget(page)
        self.activate()
        return page

    def activate(self) -> None:
        """Loads what is on screen; other tabs load when they are opened."""
        if self.section.key == "exchange" and self.sync_page is None:
            from app.ui.sync.page import SyncPage

            self.sync_page = SyncPage(self._service.db, self)
            self._layout.addWidget(self.sync_page, 1)
            self.sync_page.show()   # a layout shows a late child only on the next event loop turn
        if self.custom_page is not None:
            self.custom_page.activate()
        if self.tabs is not None and isinstance(self.tabs.currentWidget(), ReportTab):
            self.tabs.currentWidget().ensure_loaded()
            return
        page = self.current_record_page()
        if page is not None:
            page.ensure_loaded()

    def mark_stale(self, keep: "RecordPage | None" = None) -> None:
        if self.custom_page is not None:
            self.custom_page.mark_stale()
        for page in self.record_pages.values():
            if page is not keep:
                page.mark_stale()
        for report in self.report_tabs.values():
            report.mark_stale()
