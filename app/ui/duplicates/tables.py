"""What the duplicates dialogs share: their table, and how moved rows are named."""
from __future__ import annotations

import html

from PySide6.QtCore import QAbstractTableModel
from PySide6.QtWidgets import QTableView, QWidget

from app.domain.validators import format_date
from app.services.registry.specs import SPECS
from app.ui.common.record_table import format_count, read_only_table


A, B = "A", "B"
DONE_STYLE = ("color: #1e5e33; background: #e6f4ea; border: 1px solid #b7dfc3; "
              "border-radius: 4px; padding: 6px 8px;")


def make_table(model: QAbstractTableModel, parent: QWidget) -> QTableView:
    """The dialogs' tables: several rows may be selected (two members to merge), the last column stretches."""
    table = read_only_table(model, parent, single_selection=False, alternating=False)
    table.horizontalHeader().setStretchLastSection(True)
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
