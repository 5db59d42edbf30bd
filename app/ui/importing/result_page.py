"""The second page of the import dialog: what the import did, the rejected rows, the organisations it created."""
from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QListWidget, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from app.services.importing.spreadsheet_import import ImportResult
from app.ui.importing.models import COL_COLUMN, COL_ROW, COL_SHEET, SORT_ROLE, RejectedRowsModel

# Up to this many rejected rows the reasons wrap and rows grow to fit; beyond it one line (and a tooltip)
# keeps the table fast.
MAX_WRAPPED_ROWS = 500

WARNING_STYLE = ("color: #7a4b00; background: #fff4d6; border: 1px solid #f0d48a; "
                 "border-radius: 4px; padding: 6px 8px;")
OUTCOME_STYLES = {
    "committed": ("color: #1e5e33; background: #e6f4ea; border: 1px solid #b7dfc3; "
                  "border-radius: 4px; padding: 8px 10px; font-weight: bold;"),
    "refused": ("color: #a12622; background: #fdecea; border: 1px solid #f3c0bb; "
                "border-radius: 4px; padding: 8px 10px; font-weight: bold;"),
    "nothing": ("color: #34495e; background: #f4f7fa; border: 1px solid #d8e0e8; "
                "border-radius: 4px; padding: 8px 10px; font-weight: bold;"),
}
_ORGANIZATION_LINE_PREFIXES = ("Созданы организации", "Были бы созданы организации")


def message_label(parent: QWidget) -> QLabel:
    """A selectable, wrapping label hidden until it has something to say."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def show_text(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class ImportResultPage(QWidget):
    """«Итоги импорта»: the outcome, the summary lines, the rejected rows (sortable), the created organisations."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        title = QLabel("Итоги импорта", self)
        title.setObjectName("dialogTitle")
        self.outcome_label = message_label(self)
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.rejected_title = QLabel(self)
        self.rejected_title.setStyleSheet("font-weight: bold;")
        self.rejected_model = RejectedRowsModel(self)
        self.rejected_proxy = QSortFilterProxyModel(self)
        self.rejected_proxy.setSourceModel(self.rejected_model)
        self.rejected_proxy.setSortRole(SORT_ROLE)
        self.rejected_proxy.setSortLocaleAware(True)
        self.rejected_view = QTableView(self)
        self.rejected_view.setModel(self.rejected_proxy)
        self.rejected_view.setSortingEnabled(True)
        self.rejected_view.sortByColumn(COL_ROW, Qt.SortOrder.AscendingOrder)
        self.rejected_view.setAlternatingRowColors(True)
        self.rejected_view.setWordWrap(True)
        self.rejected_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rejected_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rejected_view.verticalHeader().hide()
        self.rejected_view.verticalHeader().setDefaultSectionSize(26)
        header = self.rejected_view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        for col, width in ((COL_SHEET, 130), (COL_ROW, 80), (COL_COLUMN, 240)):
            header.resizeSection(col, width)
        self.rejected_view.setAccessibleName("Отклонённые строки")

        self.organizations_title = QLabel(self)
        self.organizations_title.setStyleSheet("font-weight: bold;")
        self.organizations_list = QListWidget(self)
        self.organizations_list.setMaximumHeight(110)
        self.organizations_list.setAccessibleName("Созданные организации")

        self.report_label = QLabel(self)
        self.report_label.setWordWrap(True)
        self.report_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report_label.hide()
        self.save_report_button = QPushButton("Сохранить отчёт…", self)
        self.done_button = QPushButton("Готово", self)
        self.done_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_report_button)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(self.outcome_label)
        layout.addWidget(self.summary_label)
        layout.addSpacing(4)
        layout.addWidget(self.rejected_title)
        layout.addWidget(self.rejected_view, 1)
        layout.addWidget(self.organizations_title)
        layout.addWidget(self.organizations_list)
        layout.addWidget(self.report_label)
        layout.addLayout(buttons)

    def show_result(self, result: ImportResult) -> None:
        outcome = result.outcome()
        style = "committed" if result.committed else ("refused" if result.rejected else "nothing")
        self.outcome_label.setStyleSheet(OUTCOME_STYLES[style])
        show_text(self.outcome_label, outcome)
        lines = [line for line in result.summary_lines()
                 if line != outcome and not line.startswith(_ORGANIZATION_LINE_PREFIXES)]
        self.summary_label.setText("\n".join(lines))

        self.rejected_model.set_rows(result.rejected)
        rows = result.rejected_rows
        self.rejected_title.setText(f"Отклонённые строки ({rows}):" if rows else "Отклонённых строк нет.")
        self.rejected_view.setVisible(bool(result.rejected))
        self.rejected_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents if len(result.rejected) <= MAX_WRAPPED_ROWS
            else QHeaderView.ResizeMode.Fixed)

        organizations = result.created_organizations
        verb = "Созданы организации" if result.committed else "Были бы созданы организации"
        self.organizations_title.setText(f"{verb} ({len(organizations)}):")
        self.organizations_list.clear()
        self.organizations_list.addItems(organizations)
        self.organizations_title.setVisible(bool(organizations))
        self.organizations_list.setVisible(bool(organizations))
        show_text(self.report_label, "")
        self.done_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_report_outcome(self, text: str, failed: bool) -> None:
        self.report_label.setStyleSheet(OUTCOME_STYLES["refused"].replace("font-weight: bold;", "") if failed else "")
        show_text(self.report_label, text)
