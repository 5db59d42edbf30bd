"""Fitting the columns of a read-only table of rows to their contents within the visible width."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QHeaderView, QTableView

# No column is cut below this, and the long-text column keeps this share of the width.
MIN_COLUMN_WIDTH = 90
STRETCH_SHARE = 0.3


def fit_columns(table: QTableView) -> None:
    """Columns of a RowsTableModel to their contents; long ones give way so that the stretching column keeps a fair share."""
    model = table.model()
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    stretch = [c for c, column in enumerate(model.columns) if column.stretch]
    others = [c for c in range(len(model.columns)) if c not in stretch]
    available = table.viewport().width() - (int(table.viewport().width() * STRETCH_SHARE) if stretch else 0)
    widths = [header.sectionSize(c) for c in others]
    cap = max(widths, default=0)
    while cap > MIN_COLUMN_WIDTH and sum(min(w, cap) for w in widths) > available:
        cap -= 10
    for c, width in zip(others, widths):
        if width > cap:
            header.resizeSection(c, cap)
    for c in stretch:
        header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch)


class _ReadableStretch(QObject):
    """Keeps a stretching column at least ``least`` wide: below it the table scrolls sideways instead."""

    def __init__(self, table: QTableView, column: int, least: int):
        super().__init__(table)
        self._table, self._column, self._least = table, column, least
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        header = self._table.horizontalHeader()
        others = header.length() - header.sectionSize(self._column)
        if self._table.viewport().width() - others >= self._least:
            header.setSectionResizeMode(self._column, QHeaderView.ResizeMode.Stretch)
        elif header.sectionResizeMode(self._column) != QHeaderView.ResizeMode.Interactive \
                or header.sectionSize(self._column) < self._least:
            header.setSectionResizeMode(self._column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(self._column, self._least)


def keep_stretch_readable(table: QTableView, column: int, chars: int = 18) -> None:
    """``column`` stretches over what the others leave, but never below its header or ``chars`` characters:
    a dialog on a small screen (1366×768 at 150 %) scrolls the table sideways instead of cutting it to a sliver."""
    header = table.horizontalHeader()
    title = str(table.model().headerData(column, header.orientation()) or "")
    least = max(header.fontMetrics().horizontalAdvance(title), table.fontMetrics().averageCharWidth() * chars) + 24
    _ReadableStretch(table, column, least).fit()
