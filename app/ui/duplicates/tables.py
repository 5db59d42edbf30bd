"""What the duplicates dialogs share: their table, and how moved rows are named."""
from __future__ import annotations

import html

from PySide6.QtCore import QAbstractTableModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from app.domain.validators import format_date
from app.services.registry.specs import SPECS
from app.ui.common.record_table import format_count


A, B = "A", "B"
DONE_STYLE = ("color: #1e5e33; background: #e6f4ea; border: 1px solid #b7dfc3; "
              "border-radius: 4px; padding: 6px 8px;")


def make_table(model: QAbstractTableModel, parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return table


def table_titles() -> dict[str, str]:
    """Table name → the list's title («participation» → «Участие в мероприятиях»).

    The merge log counts moved rows by table; until MergeLogEntry carries the
    titles itself (as MergePreview.related does), they are looked up here.
    """
    specs = SPECS.values() if isinstance(SPECS, dict) else SPECS
    return {getattr(spec.model, "__tablename__", spec.name): spec.title for spec in specs}


def moved_text(counts: dict[str, int], titles: dict[str, str] | None = None) -> str:
    """{"participation": 2} → «Участие в мероприятиях: 2» (table names where no title is known)."""
    titles = {**table_titles(), **(titles or {})}
    parts = [f"{titles.get(table, table)}: {format_count(n)}" for table, n in sorted(counts.items()) if n]
    return "; ".join(parts) if parts else "нет"


def brief_text(brief) -> str:
    parts = [f"<b>{html.escape(brief.fio)}</b>", format_date(brief.birth_date),
             f"СНИЛС {brief.snils}" if brief.snils else "", html.escape(brief.organization or "")]
    return ", ".join(p for p in parts if p)
