"""The table every list of records shares, and how its columns are first sized."""
from __future__ import annotations

from typing import Iterable, Sequence

from PySide6.QtCore import QAbstractItemModel, QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QHBoxLayout, QHeaderView, QLayout, QLineEdit, QMenu, QTableView, QVBoxLayout,
    QWidget,
)

from app.ui.common.record_table_model import BLOCK_SIZE, RecordTableModel
from app.ui.common import messages
from app.ui.common.ui_settings import interface_settings

# The pause after the last key typed into a list's search field before the list follows.
SEARCH_DELAY_MS = 250
# Columns are sized once, from the first rows; no column starts wider than this,
# and long ones give way (not below the floor) so that the table fits the page.
MAX_INITIAL_COLUMN_WIDTH = 340
MIN_SHRUNK_COLUMN_WIDTH = 140
HEADER_PADDING = 28


def format_count(n: int) -> str:
    """1234 → «1 234» with a no-break space, as Russian typography groups digits."""
    return f"{n:,}".replace(",", "\u00a0")


def read_only_table(model: QAbstractItemModel, parent: QWidget | None, *, single_selection: bool = True,
                    alternating: bool = True) -> QTableView:
    """A table of rows to read: whole rows selected, nothing edited in place, one line per row, no row numbers.

    The caller decides how the last column stretches.
    """
    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single_selection:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(alternating)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    rows = table.verticalHeader()
    rows.hide()
    # Fixed heights let the view place 100,000 rows without measuring any of them.
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return table


def make_record_table(model: RecordTableModel, parent: QWidget) -> QTableView:
    """The list view every record table shares: a read-only table, scrolled by pixel, sorted by the service."""
    table = read_only_table(model, parent)
    table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setResizeContentsPrecision(BLOCK_SIZE // 4)
    header.setSortIndicatorClearable(True)
    # Without this, enabling sorting would sort by the first column at once.
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.setSortingEnabled(True)
    return table


def hidden_columns_key(list_key: str) -> str:
    return f"columns/{list_key}/hidden"


def offer_column_choice(table: QTableView, list_key: str, names: Sequence[str]) -> None:
    """A right click on the header lists the columns to show or hide; the choice is kept per list.

    Columns are remembered by their field names, so a column added in a later release starts shown.
    A wide list (the three-year columns of «Педагоги») can so fit a 1366-pixel screen without scrolling.
    """
    header = table.horizontalHeader()
    hidden = set(_remembered_hidden(list_key))
    if not set(names) <= hidden:        # a list never opens with no column at all
        for column, name in enumerate(names):
            header.setSectionHidden(column, name in hidden)
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    header.customContextMenuRequested.connect(lambda at: _column_menu(table, list_key, names, at))
    header.setToolTip("Щелчок правой кнопкой — выбрать показываемые столбцы")


def column_menu(table: QTableView, list_key: str, names: Sequence[str]) -> QMenu:
    """The menu of columns, one checkable item each; the last shown column cannot be unchecked."""
    header = table.horizontalHeader()
    menu = QMenu(table)
    menu.setTitle("Столбцы")
    shown = [c for c in range(len(names)) if not header.isSectionHidden(c)]
    for column in range(len(names)):
        title = " ".join(str(table.model().headerData(column, Qt.Orientation.Horizontal) or "").split())
        action = menu.addAction(title)
        action.setCheckable(True)
        action.setChecked(column in shown)
        action.setEnabled(shown != [column])
        action.toggled.connect(lambda on, c=column: _show_columns(table, list_key, names, [c], on))
    menu.addSeparator()
    everything = menu.addAction("Показать все столбцы")
    everything.setEnabled(len(shown) < len(names))
    everything.triggered.connect(lambda: _show_columns(table, list_key, names, range(len(names)), True))
    return menu


def _column_menu(table: QTableView, list_key: str, names: Sequence[str], at: QPoint) -> None:
    menu = column_menu(table, list_key, names)
    menu.exec(table.horizontalHeader().mapToGlobal(at))
    menu.deleteLater()


def _show_columns(table: QTableView, list_key: str, names: Sequence[str], columns: Iterable[int],
                  shown: bool) -> None:
    header = table.horizontalHeader()
    for column in columns:
        header.setSectionHidden(column, not shown)
        if shown and header.sectionSize(column) < 30:
            table.resizeColumnToContents(column)
    hidden = [name for c, name in enumerate(names) if header.isSectionHidden(c)]
    interface_settings().setValue(hidden_columns_key(list_key), ",".join(hidden))


def _remembered_hidden(list_key: str) -> list[str]:
    value = interface_settings().value(hidden_columns_key(list_key), "")
    if isinstance(value, (list, tuple)):        # QSettings reads a comma list back as a list
        return [str(v) for v in value if v]
    return [v for v in str(value or "").split(",") if v]


def size_columns(table: QTableView) -> None:
    """Columns sized once from the first rows, long ones giving way so that the table fits."""
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    widths = [0 if header.isSectionHidden(c) else header.sectionSize(c) for c in range(table.model().columnCount())]
    cap = fitting_cap(widths, table.viewport().width())
    for column, width in enumerate(widths):
        if width > cap:
            # A column gives way down to the width its (wrapped) header needs, not below.
            header.resizeSection(column, min(width, max(cap, header_width(table, column))))


def header_width(table: QTableView, column: int) -> int:
    """The width at which the column's header text is not cut (room for the sort arrow included)."""
    header = table.horizontalHeader()
    text = str(table.model().headerData(column, Qt.Orientation.Horizontal) or "")
    metrics = header.fontMetrics()
    return max((metrics.horizontalAdvance(line) for line in text.splitlines()), default=0) + HEADER_PADDING


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


def search_field(parent: QWidget, placeholder: str) -> QLineEdit:
    """The search field above a list (styled by its object name), with a clear button."""
    field = QLineEdit(parent)
    field.setObjectName("searchField")
    field.setPlaceholderText(placeholder)
    field.setClearButtonEnabled(True)
    return field


def lay_out_list_dialog(dialog: QDialog, above: Sequence[QWidget | QLayout], table: QTableView,
                        actions: Sequence[QWidget], close: QWidget, size: tuple[int, int]) -> None:
    """Stacks ``above`` over the table (which takes the spare height) and the buttons under it.

    The size is the default one; a screen smaller than it gets the dialog fitted by Qt's
    own placement.
    """
    bottom = QHBoxLayout()
    for button in actions:
        bottom.addWidget(button)
    bottom.addStretch(1)
    bottom.addWidget(close)
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(20, 16, 20, 14)
    for part in above:
        if isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    layout.addWidget(table, 1)
    layout.addLayout(bottom)
    messages.fit_to_screen(dialog, *size)
