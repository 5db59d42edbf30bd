"""Fitting the columns of a read-only table of rows to their contents within the visible width."""
from __future__ import annotations

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
