"""Importing teachers or organisations from a spreadsheet: check the columns, run, read the report.

One dialog, two pages on a stack:

* the mapping page shows what ``detect()`` guessed — the sheet, the header
  row, and above every column of the preview a combo box with the field it
  goes to — and lets the user correct each; the import button stays disabled
  while ``plan.problems()`` says the plan cannot run;
* the result page shows ``summary_lines()``, the rejected rows (sortable),
  the organisations the import created, and saves the .xlsx report.

``run_import`` runs in a ``Task`` behind a ``TaskProgressDialog``; Cancel
asks the service to stop, and the service rolls its one transaction back.
``detect`` is fast (0.1 s for 5,000 rows), so it runs on the GUI thread.
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal,
    Slot,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QButtonGroup, QComboBox, QDialog, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
    QListWidget, QPushButton, QRadioButton, QSizePolicy, QSpinBox, QStackedWidget, QTableView, QVBoxLayout,
    QWidget,
)

from app.export.import_report import write_report
from app.services.actor import Actor
from app.services.errors import ServiceError
from app.services.spreadsheet_import import (
    KIND_TITLES, KINDS, PREVIEW_ROWS, ImportPlan, ImportResult, RejectedRow, detect, run_import, target_label,
    targets,
)
from app.ui.progress_dialog import TaskProgressDialog
from app.ui.task_runner import Task
from app.ui.ui_settings import interface_settings

FILE_FILTER = "Таблицы (*.xlsx *.xls *.ods *.csv)"
REPORT_FILTER = "Книга Excel (*.xlsx)"
LAST_DIR_KEY = "import/last_dir"
SKIP_LABEL = "— не импортировать —"
# Combo item data of «— не импортировать —»: QComboBox.findData cannot look up None.
SKIP = ""
DIALOG_TITLES = {"teachers": "Импорт педагогов", "organizations": "Импорт организаций",
                 "events": "Импорт плана мероприятий"}

SKIPPED_COLOR = QColor("#9aa5b1")
# A preview column is wide enough for its combo box to show a field's name, and no wider than this.
MIN_COLUMN_WIDTH = 190
MAX_COLUMN_WIDTH = 340
MAX_HEADER_ROW = 10_000
TOOLTIP_MIN_LENGTH = 30
# Title rows taken for the header make long column names; the tooltip has the whole.
MAX_HEADER_LABEL = 40
# Up to this many rejected rows the reasons wrap and rows grow to fit; beyond it one line (and a tooltip)
# keeps the table fast.
MAX_WRAPPED_ROWS = 500

_Index = QModelIndex | QPersistentModelIndex

_WARNING_STYLE = ("color: #7a4b00; background: #fff4d6; border: 1px solid #f0d48a; "
                  "border-radius: 4px; padding: 6px 8px;")
_OUTCOME_STYLES = {
    "committed": ("color: #1e5e33; background: #e6f4ea; border: 1px solid #b7dfc3; "
                  "border-radius: 4px; padding: 8px 10px; font-weight: bold;"),
    "refused": ("color: #a12622; background: #fdecea; border: 1px solid #f3c0bb; "
                "border-radius: 4px; padding: 8px 10px; font-weight: bold;"),
    "nothing": ("color: #34495e; background: #f4f7fa; border: 1px solid #d8e0e8; "
                "border-radius: 4px; padding: 8px 10px; font-weight: bold;"),
}
_ORGANIZATION_LINE_PREFIXES = ("Созданы организации", "Были бы созданы организации")


# ---------------------------------------------------------------- models

class ImportPreviewModel(QAbstractTableModel):
    """The first rows below the header as the file has them; columns the plan skips are greyed.

    Rows are headed by their sheet row numbers, columns by «C (СНИЛС)».
    """

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._plan: ImportPlan | None = None
        self._columns: list[int] = []           # sheet columns (1-based), one per model column

    def set_plan(self, plan: ImportPlan | None) -> None:
        self.beginResetModel()
        self._plan = plan
        self._columns = sorted(plan.headers) if plan is not None else []
        self.endResetModel()

    def mapping_changed(self) -> None:
        """The plan's mapping changed: the greying and the tooltips follow it."""
        if not self._columns:
            return
        last = len(self._columns) - 1
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, last),
                                  [Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole])
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, last)

    # -- Qt model interface ------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        if parent.isValid() or self._plan is None:
            return 0
        return len(self._plan.preview)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._plan is None:
            return None
        column = self._columns[index.column()]
        cells = self._plan.preview[index.row()].cells
        text = cells[column - 1] if column - 1 < len(cells) else ""
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            return text if len(text) >= TOOLTIP_MIN_LENGTH else None
        if role == Qt.ItemDataRole.ForegroundRole and self._plan.mapping.get(column) is None:
            return SKIPPED_COLOR
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._plan is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self._columns):
                return None
            column = self._columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                label = self._plan.column_label(column)
                return label if len(label) <= MAX_HEADER_LABEL else label[:MAX_HEADER_LABEL - 1] + "…"
            if role == Qt.ItemDataRole.ToolTipRole:
                target = target_label(self._plan.kind, self._plan.mapping.get(column))
                return f"{self._plan.column_label(column)} → {target}"
            return None
        if not 0 <= section < len(self._plan.preview):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return str(self._plan.preview[section].number)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Строка {self._plan.preview[section].number} листа"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


COL_SHEET, COL_ROW, COL_COLUMN, COL_REASON = range(4)
REJECTED_HEADERS = ("Лист", "Строка", "Столбец", "Причина")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


class RejectedRowsModel(QAbstractTableModel):
    """The rows the import refused, with the sheet row number and the reason; SORT_ROLE gives raw values."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[RejectedRow] = []

    def set_rows(self, rows: list[RejectedRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(REJECTED_HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (r.sheet, str(r.row_number), r.column or "вся строка", r.reason)[col]
        if role == SORT_ROLE:
            if col == COL_ROW:
                return r.row_number
            return (r.sheet, "", r.column, r.reason)[col].casefold()
        if role == Qt.ItemDataRole.ToolTipRole and col in (COL_COLUMN, COL_REASON):
            return str(r)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_ROW:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(REJECTED_HEADERS):
            return REJECTED_HEADERS[section]
        return None


# ---------------------------------------------------------------- the combo boxes above the columns

class ColumnTargetBar(QWidget):
    """A target combo box above every column of the preview, kept aligned as columns resize and scroll.

    The bar sits right above the table in the same layout column, so the two
    share their left edge; the combos live in a strip as wide as the table's
    viewport, which clips the ones scrolled out of sight.
    """

    target_chosen = Signal(int, object)      # sheet column, target name or None

    def __init__(self, view: QTableView, parent: QWidget | None = None):
        super().__init__(parent)
        self._view = view
        self._strip = QWidget(self)
        self._combos: dict[int, QComboBox] = {}
        self._sections: dict[int, int] = {}          # sheet column → model column
        self.setFixedHeight(QComboBox().sizeHint().height() + 4)
        self.setStyleSheet('QComboBox[skipped="true"] { color: #8a96a3; font-style: italic; }')
        header = view.horizontalHeader()
        header.sectionResized.connect(self.place)
        header.geometriesChanged.connect(self.place)
        view.verticalHeader().geometriesChanged.connect(self.place)
        view.horizontalScrollBar().valueChanged.connect(self.place)
        view.viewport().installEventFilter(self)

    def combo(self, column: int) -> QComboBox:
        return self._combos[column]

    def columns(self) -> list[int]:
        return sorted(self._combos)

    def set_columns(self, plan: ImportPlan | None, choices: list[tuple[str, str]]) -> None:
        for combo in self._combos.values():
            combo.hide()
            combo.deleteLater()
        self._combos.clear()
        self._sections.clear()
        if plan is None:
            return
        for section, column in enumerate(sorted(plan.headers)):
            combo = QComboBox(self._strip)
            combo.addItem(SKIP_LABEL, SKIP)
            for name, label in choices:
                combo.addItem(label, name)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
            # The list shows the whole field names even where the column is narrow.
            combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
            combo.setAccessibleName(f"Поле для столбца {plan.column_label(column)}")
            combo.currentIndexChanged.connect(lambda _i, c=column: self._on_changed(c))
            combo.show()
            self._combos[column] = combo
            self._sections[column] = section
        self.show_mapping(plan)
        self.place()

    def show_mapping(self, plan: ImportPlan) -> None:
        for column, combo in self._combos.items():
            target = plan.mapping.get(column)
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(target or SKIP)))
            combo.blockSignals(False)
            combo.setToolTip(f"{plan.column_label(column)} → {target_label(plan.kind, target)}")
            if combo.property("skipped") != (target is None):
                combo.setProperty("skipped", target is None)
                combo.style().unpolish(combo)
                combo.style().polish(combo)

    def _on_changed(self, column: int) -> None:
        data = self._combos[column].currentData()
        self.target_chosen.emit(column, data or None)

    @Slot()
    def place(self) -> None:
        view = self._view
        viewport = view.viewport().geometry()           # in the view's coordinates
        left = view.geometry().x() - self.geometry().x() + viewport.x()
        self._strip.setGeometry(left, 0, max(viewport.width(), 0), self.height())
        header = view.horizontalHeader()
        for column, combo in self._combos.items():
            section = self._sections[column]
            x, width = header.sectionViewportPosition(section), header.sectionSize(section)
            combo.setGeometry(x + 1, 2, max(width - 2, 0), self.height() - 4)
            combo.setVisible(not header.isSectionHidden(section) and x + width > 0 and x < viewport.width())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Move, QEvent.Type.Show):
            self.place()
        return False

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.place()


# ---------------------------------------------------------------- the dialog

class ImportDialog(QDialog):
    """The spreadsheet import of teachers or organisations; see the module docstring.

    ``ImportDialog.run(parent, db, kind)`` is the entry point. After a run
    ``import_result`` holds the ImportResult (``result()`` stays QDialog's
    own); ``imported`` is emitted when the run committed something.
    """

    imported = Signal(object)           # ImportResult, when the database changed

    def __init__(self, db, kind: str, parent: QWidget | None = None, *, actor: Actor | None = None):
        super().__init__(parent)
        if kind not in KINDS:
            raise ValueError(f"unknown import kind {kind!r}")
        self._db = db
        self.kind = kind
        self._actor = actor
        self._choices = targets(kind)
        self.path: str | None = None
        self.plan: ImportPlan | None = None
        self.import_result: ImportResult | None = None
        self.task: Task | None = None
        self.progress_dialog: TaskProgressDialog | None = None
        self._detected_problems: set[str] = set()
        self._error = ""                # why the file cannot be read or the import failed
        self._notice = ""               # e.g. that the last run was cancelled

        self.setWindowTitle(DIALOG_TITLES[kind])
        self.setModal(True)
        self.setSizeGripEnabled(True)
        self.setMinimumSize(820, 560)
        self.resize(1120, 720)

        self.stack = QStackedWidget(self)
        self.mapping_page = self._build_mapping_page()
        self.result_page = self._build_result_page()
        self.stack.addWidget(self.mapping_page)
        self.stack.addWidget(self.result_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(self.stack)
        self._refresh_mapping_page()

    # -- the entry point and the file choices tests patch -----------------
    @classmethod
    def run(cls, parent: QWidget | None, db, kind: str, *, actor: Actor | None = None) -> ImportResult | None:
        """Asks for a file, shows the dialog modally; the result of the import, or None if none ran."""
        path = cls.choose_file(parent)
        if not path:
            return None
        dialog = cls(db, kind, parent, actor=actor)
        try:
            dialog.open_file(path)
            dialog.exec()
            return dialog.import_result
        finally:
            dialog.deleteLater()

    @staticmethod
    def choose_file(parent: QWidget | None) -> str | None:
        settings = interface_settings()
        start = str(settings.value(LAST_DIR_KEY, str(Path.home())))
        path, _filter = QFileDialog.getOpenFileName(parent, "Выбор таблицы для импорта", start, FILE_FILTER)
        if not path:
            return None
        settings.setValue(LAST_DIR_KEY, str(Path(path).parent))
        return path

    @staticmethod
    def choose_report_path(parent: QWidget | None, suggested: str) -> str | None:
        path, _filter = QFileDialog.getSaveFileName(parent, "Сохранение отчёта об импорте", suggested, REPORT_FILTER)
        return path or None

    # -- building ------------------------------------------------------------
    def _build_mapping_page(self) -> QWidget:
        page = QWidget(self)
        what = KIND_TITLES[self.kind]
        title = QLabel(f"Импорт {what} из таблицы", page)
        title.setObjectName("dialogTitle")

        self.file_label = QLabel(page)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.other_file_button = QPushButton("Другой файл…", page)
        self.other_file_button.clicked.connect(self._choose_other_file)
        file_row = QHBoxLayout()
        file_caption = QLabel("Файл:", page)
        file_row.addWidget(file_caption)
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.other_file_button)

        self.sheet_combo = QComboBox(page)
        self.sheet_combo.setMinimumWidth(180)
        self.sheet_combo.currentIndexChanged.connect(self._on_sheet_changed)
        sheet_caption = QLabel("&Лист:", page)
        sheet_caption.setBuddy(self.sheet_combo)
        self.header_spin = QSpinBox(page)
        self.header_spin.setRange(1, MAX_HEADER_ROW)
        # Typing «12» re-reads the file once, on Enter or leaving the field, not for «1» first.
        self.header_spin.setKeyboardTracking(False)
        self.header_spin.setToolTip("Номер строки листа, в которой записаны названия столбцов")
        self.header_spin.valueChanged.connect(self._on_header_row_changed)
        header_caption = QLabel("&Строка заголовка:", page)
        header_caption.setToolTip(self.header_spin.toolTip())
        header_caption.setBuddy(self.header_spin)
        self.rows_label = QLabel(page)
        self.rows_label.setObjectName("hintLabel")
        self.rows_label.setWordWrap(True)
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(sheet_caption)
        sheet_row.addWidget(self.sheet_combo)
        sheet_row.addSpacing(18)
        sheet_row.addWidget(header_caption)
        sheet_row.addWidget(self.header_spin)
        sheet_row.addSpacing(18)
        sheet_row.addWidget(self.rows_label, 1)

        self.error_label = self._message_label(page)
        self.error_label.setObjectName("messageLabel")
        self.problems_label = self._message_label(page)
        self.problems_label.setObjectName("messageLabel")
        self.warnings_label = self._message_label(page)
        self.warnings_label.setStyleSheet(_WARNING_STYLE)
        self.notice_label = self._message_label(page)
        self.notice_label.setStyleSheet(_OUTCOME_STYLES["nothing"].replace("font-weight: bold;", ""))

        hint = QLabel("Над каждым столбцом выберите поле, в которое его импортировать. "
                      "Серые столбцы не импортируются.", page)
        hint.setObjectName("hintLabel")
        hint.setWordWrap(True)

        self.preview_model = ImportPreviewModel(self)
        self.preview_view = QTableView(page)
        self.preview_view.setModel(self.preview_model)
        self.preview_view.setAlternatingRowColors(True)
        self.preview_view.setWordWrap(False)
        self.preview_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.preview_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.preview_view.verticalHeader().setDefaultSectionSize(26)
        self.preview_view.horizontalHeader().setHighlightSections(False)
        self.preview_view.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.preview_view.setAccessibleName("Первые строки таблицы")
        self.mapping_bar = ColumnTargetBar(self.preview_view, page)
        self.mapping_bar.target_chosen.connect(self.set_column_target)
        table_box = QVBoxLayout()
        table_box.setSpacing(0)
        table_box.addWidget(self.mapping_bar)
        table_box.addWidget(self.preview_view, 1)

        self.keep_valid_radio = QRadioButton("Импортировать правильные строки", page)
        self.keep_valid_radio.setToolTip("Строки с ошибками пропускаются и перечисляются в отчёте")
        self.all_or_nothing_radio = QRadioButton("Всё или ничего", page)
        self.all_or_nothing_radio.setToolTip("Если хотя бы одна строка с ошибкой, в базу не записывается ничего")
        self.keep_valid_radio.setChecked(True)
        self.mode_group = QButtonGroup(page)
        self.mode_group.addButton(self.keep_valid_radio)
        self.mode_group.addButton(self.all_or_nothing_radio)
        self.mode_hint = QLabel(page)
        self.mode_hint.setObjectName("hintLabel")
        self.mode_hint.setWordWrap(True)
        self.keep_valid_radio.toggled.connect(self._show_mode_hint)
        self._show_mode_hint()
        mode_row = QHBoxLayout()
        mode_row.addWidget(QLabel("Режим:", page))
        mode_row.addWidget(self.keep_valid_radio)
        mode_row.addWidget(self.all_or_nothing_radio)
        mode_row.addSpacing(12)
        mode_row.addWidget(self.mode_hint, 1)

        self.cancel_button = QPushButton("Отмена", page)
        self.cancel_button.clicked.connect(self.reject)
        self.import_button = QPushButton("Импортировать", page)
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start_import)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.import_button)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addLayout(file_row)
        layout.addLayout(sheet_row)
        layout.addWidget(self.error_label)
        layout.addWidget(self.warnings_label)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.notice_label)
        layout.addWidget(hint)
        layout.addLayout(table_box, 1)
        layout.addLayout(mode_row)
        layout.addLayout(buttons)
        return page

    def _build_result_page(self) -> QWidget:
        page = QWidget(self)
        title = QLabel("Итоги импорта", page)
        title.setObjectName("dialogTitle")
        self.outcome_label = self._message_label(page)
        self.summary_label = QLabel(page)
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.rejected_title = QLabel(page)
        self.rejected_title.setStyleSheet("font-weight: bold;")
        self.rejected_model = RejectedRowsModel(self)
        self.rejected_proxy = QSortFilterProxyModel(self)
        self.rejected_proxy.setSourceModel(self.rejected_model)
        self.rejected_proxy.setSortRole(SORT_ROLE)
        self.rejected_proxy.setSortLocaleAware(True)
        self.rejected_view = QTableView(page)
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

        self.organizations_title = QLabel(page)
        self.organizations_title.setStyleSheet("font-weight: bold;")
        self.organizations_list = QListWidget(page)
        self.organizations_list.setMaximumHeight(110)
        self.organizations_list.setAccessibleName("Созданные организации")

        self.report_label = QLabel(page)
        self.report_label.setWordWrap(True)
        self.report_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report_label.hide()
        self.save_report_button = QPushButton("Сохранить отчёт…", page)
        self.save_report_button.clicked.connect(self.save_report)
        self.done_button = QPushButton("Готово", page)
        self.done_button.setDefault(True)
        self.done_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_report_button)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)

        layout = QVBoxLayout(page)
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
        return page

    @staticmethod
    def _message_label(parent: QWidget) -> QLabel:
        label = QLabel(parent)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.hide()
        return label

    # -- the file and the plan ------------------------------------------------
    def open_file(self, path: str) -> bool:
        """Reads ``path`` and shows what detect() found; False (and the message shown) if it cannot be read."""
        self.path = str(path)
        self._notice = ""
        return self._detect(sheet=None, header_row=None)

    def _detect(self, sheet: str | None, header_row: int | None) -> bool:
        try:
            plan = detect(self.path, self.kind, sheet=sheet, header_row=header_row)
        except ServiceError as exc:
            self.plan = None
            self._error = str(exc)
            ok = False
        else:
            self.plan = plan
            self._error = ""
            # detect() copies the problems into the warnings; the live list shows them, kept current.
            self._detected_problems = set(plan.problems())
            ok = True
        self.preview_model.set_plan(self.plan)
        self.mapping_bar.set_columns(self.plan, self._choices)
        self._size_preview_columns()
        self._refresh_mapping_page()
        return ok

    def _size_preview_columns(self) -> None:
        header = self.preview_view.horizontalHeader()
        for section in range(self.preview_model.columnCount()):
            wanted = max(self.preview_view.sizeHintForColumn(section), header.sectionSizeHint(section))
            header.resizeSection(section, max(MIN_COLUMN_WIDTH, min(MAX_COLUMN_WIDTH, wanted)))
        self.mapping_bar.place()

    def mapping_combo(self, column: int) -> QComboBox:
        """The combo box above sheet column ``column`` (1-based)."""
        return self.mapping_bar.combo(column)

    @Slot(int, object)
    def set_column_target(self, column: int, target: str | None) -> None:
        """Maps a sheet column to a target (None: skip it), as choosing in its combo box does."""
        if self.plan is None:
            return
        try:
            self.plan.set_target(column, target)
        except ServiceError as exc:
            self._error = str(exc)
        self.mapping_bar.show_mapping(self.plan)
        self.preview_model.mapping_changed()
        self._refresh_mapping_page()

    def _refresh_mapping_page(self) -> None:
        plan = self.plan
        self.file_label.setText(self.path or "не выбран")
        self.file_label.setToolTip(self.path or "")

        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        if plan is not None:
            self.sheet_combo.addItems(plan.sheets)
            self.sheet_combo.setCurrentIndex(max(0, self.sheet_combo.findText(plan.sheet)))
        self.sheet_combo.blockSignals(False)
        self.sheet_combo.setEnabled(plan is not None and len(plan.sheets) > 1)

        self.header_spin.blockSignals(True)
        self.header_spin.setValue(plan.header_row if plan is not None and plan.header_row else 1)
        self.header_spin.blockSignals(False)
        self.header_spin.setEnabled(plan is not None)

        if plan is not None and plan.first_data_row:
            shown = len(plan.preview)
            more = f"; показаны первые {shown}" if shown >= PREVIEW_ROWS else ""
            self.rows_label.setText(f"Данные начинаются со строки {plan.first_data_row}{more}.")
        else:
            self.rows_label.setText("")

        self._show(self.error_label, self._error)
        warnings = [w for w in (plan.warnings if plan is not None else []) if w not in self._detected_problems]
        self._show(self.warnings_label, "\n".join(warnings))
        problems = plan.problems() if plan is not None else []
        self._show(self.problems_label,
                   "Импорт невозможен:\n" + "\n".join(f"• {p}" for p in problems) if problems else "")
        self._show(self.notice_label, self._notice)
        self._update_buttons()

    @staticmethod
    def _show(label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))

    def _update_buttons(self) -> None:
        busy = self.is_busy()
        can_run = self.plan is not None and not self.plan.problems() and not busy
        self.import_button.setEnabled(can_run)
        self.import_button.setToolTip("" if can_run else "Исправьте то, что указано красным")
        for widget in (self.other_file_button, self.cancel_button, self.header_spin, self.keep_valid_radio,
                       self.all_or_nothing_radio):
            widget.setEnabled(not busy and (widget is not self.header_spin or self.plan is not None))

    @Slot()
    def _choose_other_file(self) -> None:
        path = self.choose_file(self)
        if path:
            self.open_file(path)

    @Slot(int)
    def _on_sheet_changed(self, index: int) -> None:
        if self.plan is None or index < 0:
            return
        self._notice = ""
        self._detect(sheet=self.sheet_combo.itemText(index), header_row=None)

    @Slot(int)
    def _on_header_row_changed(self, value: int) -> None:
        if self.plan is None:
            return
        self._notice = ""
        self._detect(sheet=self.plan.sheet, header_row=value)

    @Slot()
    def _show_mode_hint(self) -> None:
        self.mode_hint.setText(
            "строки с ошибками пропускаются и перечисляются в отчёте" if self.keep_valid_radio.isChecked()
            else "если хотя бы одна строка с ошибкой, в базу не записывается ничего")

    # -- running ----------------------------------------------------------------
    def is_busy(self) -> bool:
        return self.task is not None and self.task.is_running()

    @Slot()
    def start_import(self) -> Task | None:
        """Runs the import of the current plan in the background; the Task, or None if the plan cannot run."""
        if self.plan is None or self.plan.problems() or self.is_busy():
            return None
        # The worker gets its own copy: the widgets may not change the plan it reads.
        plan = copy.deepcopy(self.plan)
        db, actor = self._db, self._actor
        all_or_nothing = self.all_or_nothing_radio.isChecked()

        def work(progress, is_cancelled) -> ImportResult:
            return run_import(db, plan, actor=actor, all_or_nothing=all_or_nothing, progress=progress,
                              is_cancelled=is_cancelled)

        task = Task(work, self)
        task.succeeded.connect(self._on_import_succeeded)
        task.cancelled.connect(self._on_import_cancelled)
        task.failed.connect(self._on_import_failed)
        task.finished.connect(self._update_buttons)
        self.task = task
        self._notice = ""
        self._error = ""
        self.progress_dialog = TaskProgressDialog(
            task, self.windowTitle(), f"Импорт {KIND_TITLES[self.kind]} из «{Path(plan.path).name}»…", self)
        task.start()
        self._refresh_mapping_page()
        self.progress_dialog.show()
        return task

    @Slot(object)
    def _on_import_succeeded(self, result: ImportResult) -> None:
        if result.cancelled:
            self._on_import_cancelled()
            return
        self.import_result = result
        self.show_result(result)
        if result.committed:
            self.imported.emit(result)

    @Slot()
    def _on_import_cancelled(self) -> None:
        self._notice = "Импорт отменён: база данных не изменена."
        self._refresh_mapping_page()

    @Slot(object)
    def _on_import_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ServiceError):
            self._error = f"Импорт не выполнен. {exc}"
        else:
            self._error = f"Импорт не выполнен из-за внутренней ошибки программы: {exc}"
        self._refresh_mapping_page()

    # -- the result -------------------------------------------------------------
    def show_result(self, result: ImportResult) -> None:
        outcome = result.outcome()
        style = "committed" if result.committed else ("refused" if result.rejected else "nothing")
        self.outcome_label.setStyleSheet(_OUTCOME_STYLES[style])
        self._show(self.outcome_label, outcome)
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
        self._show(self.report_label, "")
        self.stack.setCurrentWidget(self.result_page)
        self.done_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def suggested_report_path(self) -> str:
        source = Path(self.import_result.path if self.import_result else self.path or "импорт")
        return str(source.with_name(f"{source.stem} — отчёт об импорте.xlsx"))

    @Slot()
    def save_report(self) -> str | None:
        """Asks where to save the .xlsx report and writes it; the path written, or None."""
        if self.import_result is None:
            return None
        path = self.choose_report_path(self, self.suggested_report_path())
        if not path:
            return None
        try:
            written = write_report(self.import_result, path)
        except ServiceError as exc:
            self.report_label.setStyleSheet(_OUTCOME_STYLES["refused"].replace("font-weight: bold;", ""))
            self._show(self.report_label, str(exc))
            return None
        self.report_label.setStyleSheet("")
        self._show(self.report_label, f"Отчёт сохранён: {written}")
        return str(written)

    # -- closing ----------------------------------------------------------------
    def reject(self) -> None:
        # While the worker writes, only the progress window's Cancel stops it (and rolls back).
        if self.is_busy():
            return
        super().reject()

    def accept(self) -> None:
        if self.is_busy():
            return
        super().accept()
