"""The pages the main window stacks: lists of records and placeholders for what comes later."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView, QFrame, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTableView, QTabWidget,
    QVBoxLayout, QWidget,
)

from app.services.records import RecordService
from app.ui.record_table_model import BLOCK_SIZE, RecordTableModel
from app.ui.sections import Section, Tab

SEARCH_DELAY_MS = 250
# Columns are sized once, from the first rows; no column starts wider than this,
# and long ones give way (not below the floor) so that the table fits the page.
MAX_INITIAL_COLUMN_WIDTH = 340
MIN_SHRUNK_COLUMN_WIDTH = 140


def format_count(n: int) -> str:
    """1234 → «1 234» with a no-break space, as Russian typography groups digits."""
    return f"{n:,}".replace(",", "\u00a0")


class RecordPage(QWidget):
    """Search field, count and a lazy table over one entity."""

    count_changed = Signal(int)

    def __init__(self, service: RecordService, tab: Tab, parent: QWidget | None = None):
        super().__init__(parent)
        self.entity = tab.entity
        self.model = RecordTableModel(service, tab.entity, self)
        self._stale = True
        self._columns_sized = False

        self.search_field = QLineEdit(self)
        self.search_field.setObjectName("searchField")
        self.search_field.setPlaceholderText(tab.search_hint + "…")
        self.search_field.setToolTip("Поиск без учёта регистра; «е» и «ё» не различаются.")
        self.search_field.setClearButtonEnabled(True)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        self.message_label = QLabel(self)
        self.message_label.setObjectName("messageLabel")
        self.message_label.setWordWrap(True)
        self.message_label.hide()

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.table.verticalHeader()
        rows.hide()
        # Fixed heights let the view place 100,000 rows without measuring any of them.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setResizeContentsPrecision(BLOCK_SIZE // 4)
        header.setSortIndicatorClearable(True)
        # Without this, enabling sorting would sort by the first column at once.
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)

        top = QHBoxLayout()
        top.addWidget(self.search_field, 1)
        top.addSpacing(12)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.message_label)
        layout.addWidget(self.table, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search_field.textChanged.connect(lambda _text: self._search_timer.start())
        self.model.loaded.connect(self._on_loaded)
        self.model.load_failed.connect(self._show_message)

    # -- loading ---------------------------------------------------------
    def ensure_loaded(self) -> None:
        """Reads the ids the first time the page is shown, and after data changed."""
        if self._stale:
            self.refresh()

    def mark_stale(self) -> None:
        self._stale = True

    def refresh(self) -> None:
        self._stale = False
        self._search_timer.stop()
        self.model.set_search(self.search_field.text())

    def count(self) -> int:
        return self.model.rowCount()

    def set_search_text(self, text: str) -> None:
        """Types into the field; the list follows after the usual pause."""
        self.search_field.setText(text)

    @Slot()
    def _apply_search(self) -> None:
        if self.search_field.text().strip() != self.model.search_text or self._stale:
            self.refresh()

    @Slot(int)
    def _on_loaded(self, n: int) -> None:
        self.message_label.hide()
        self.count_label.setText(f"Найдено: {format_count(n)}")
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
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        widths = [header.sectionSize(c) for c in range(self.model.columnCount())]
        cap = fitting_cap(widths, self.table.viewport().width())
        for column, width in enumerate(widths):
            if width > cap:
                header.resizeSection(column, cap)


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


class SectionPage(QWidget):
    """A titled page: one list, several lists in tabs, or an explanatory text."""

    def __init__(self, section: Section, service: RecordService, parent: QWidget | None = None):
        super().__init__(parent)
        self.section = section
        self.record_pages: dict[str, RecordPage] = {}
        self.tabs: QTabWidget | None = None

        self.title_label = QLabel(section.title, self)
        self.title_label.setObjectName("pageTitle")
        self.description_label = QLabel(section.description, self)
        self.description_label.setObjectName("pageDescription")
        self.description_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(6)
        layout.addWidget(self.title_label)

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
        for tab in section.tabs:
            self.record_pages[tab.entity] = RecordPage(service, tab, self)
        if len(section.tabs) == 1:
            layout.addWidget(self.record_pages[section.tabs[0].entity], 1)
        else:
            self.tabs = QTabWidget(self)
            self.tabs.setDocumentMode(True)
            for tab in section.tabs:
                self.tabs.addTab(self.record_pages[tab.entity], tab.label)
            self.tabs.currentChanged.connect(lambda _index: self.activate())
            layout.addSpacing(4)
            layout.addWidget(self.tabs, 1)

    def title(self) -> str:
        return self.title_label.text()

    def current_record_page(self) -> RecordPage | None:
        if self.tabs is not None:
            return self.tabs.currentWidget()
        return next(iter(self.record_pages.values()), None)

    def show_entity(self, entity: str) -> RecordPage:
        page = self.record_pages[entity]
        if self.tabs is not None:
            self.tabs.setCurrentWidget(page)
        self.activate()
        return page

    def activate(self) -> None:
        """Loads what is on screen; other tabs load when they are opened."""
        page = self.current_record_page()
        if page is not None:
            page.ensure_loaded()

    def mark_stale(self) -> None:
        for page in self.record_pages.values():
            page.mark_stale()
