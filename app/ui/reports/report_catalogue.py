"""The «Отчёты» page: a catalogue of reports, their parameters, a preview, saving to Excel or PDF.

The preview reads the report's rows lazily — the first block when «Показать»
is pressed, more as the table is scrolled to the bottom (canFetchMore) — so a
report over 100,000 teachers shows at once. Saving runs off the GUI thread
with progress and «Отмена» (task_runner); a cancelled run leaves no file.
"""
from __future__ import annotations

from datetime import date
from typing import Iterator

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
    QListWidget, QListWidgetItem, QPushButton, QSizePolicy, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from app.services.common.errors import ServiceError
from app.services.registry.service import RecordService
from app.export.report_files import save_report
from app.services.reports import REPORTS, ReportParams, run_report
from app.services.reports.base import INT, NUMBER, PERCENT, ReportRun, display_text
from app.services.reports.choices import municipality_choices, organization_choices
from app.ui.common import messages
from app.ui.common.progress_dialog import TaskProgressDialog
from app.ui.common.task_runner import Task
from app.ui.common.documents import dated_name, open_document, save_path

PREVIEW_BLOCK = 100
ALL_ORGANIZATIONS = "Все организации"
ALL_MUNICIPALITIES = "Все муниципальные образования"
FILTERS = {"xlsx": "Книга Excel (*.xlsx)", "pdf": "Документ PDF (*.pdf)"}

_Index = QModelIndex | QPersistentModelIndex


REPORT_FILES = "reports"       # the kind of file whose folder the save dialog remembers


def choose_report_path(parent: QWidget | None, suggested: str, fmt: str) -> str | None:
    """Asks where to save the report (``suggested``: a file name); None if the user cancelled."""
    return save_path(parent, "Сохранить отчёт", suggested, FILTERS[fmt], REPORT_FILES, extension=fmt)


def report_file_name(name: str, fmt: str, day: date | None = None) -> str:
    """«Охват ПК 2026-12-05.xlsx»: the report's short Russian title (its sheet name), never its key."""
    cls = REPORTS[name]
    return dated_name(cls.sheet or cls.title or name, fmt, day)


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class PreviewModel(QAbstractTableModel):
    """The rows of one report run, fetched block by block as the view asks for them."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.run: ReportRun | None = None
        self._rows: list[tuple] = []
        self._source: Iterator[tuple] | None = None
        self.totals: tuple | None = None

    def start(self, run: ReportRun | None) -> None:
        self.close()
        self.beginResetModel()
        self.run, self._rows, self.totals = run, [], None
        self._source = run.rows() if run is not None else None
        self.endResetModel()
        if run is not None:
            self.fetchMore(QModelIndex())

    def close(self) -> None:
        """Ends the read of a half-shown report (its generator holds a read session)."""
        if self._source is not None:
            self._source.close()
            self._source = None

    @property
    def exhausted(self) -> bool:
        return self.run is not None and self._source is None

    @property
    def data_rows(self) -> int:
        return len(self._rows)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: N802 - Qt override
        return not parent.isValid() and self._source is not None

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: N802 - Qt override
        if parent.isValid() or self._source is None:
            return
        block = []
        for row in self._source:
            block.append(row)
            if len(block) >= PREVIEW_BLOCK:
                break
        else:
            self._source = None
            self.totals = self.run.totals()
        extra = 1 if self._source is None and self.totals is not None else 0
        if block or extra:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(block) + extra - 1)
            self._rows.extend(block)
            self.endInsertRows()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        if parent.isValid() or self.run is None:
            return 0
        return len(self._rows) + (1 if self.exhausted and self.totals is not None else 0)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() or self.run is None else len(self.run.columns)

    def is_totals_row(self, row: int) -> bool:
        return self.exhausted and self.totals is not None and row == len(self._rows)

    def text(self, row: int, column: int) -> str:
        values = self.totals if self.is_totals_row(row) else self._rows[row]
        return display_text(values[column], self.run.columns[column].kind)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole):
        if self.run is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.run.columns[section].label if 0 <= section < len(self.run.columns) else None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= self.rowCount() or self.run is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and self.run.columns[index.column()].kind in (INT, NUMBER, PERCENT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self.is_totals_row(index.row()):
            font = QFont()
            font.setBold(True)
            return font
        return None


class ReportCatalogue(QWidget):
    """Reports on the left; parameters, preview and saving on the right."""

    def __init__(self, service: RecordService, parent: QWidget | None = None):
        super().__init__(parent)
        self._service = service
        self._stale = True
        self.save_task: Task | None = None

        self.report_list = QListWidget(self)
        self.report_list.setSpacing(3)
        self.report_list.setObjectName("reportList")
        self.report_list.setMinimumWidth(120)
        self.report_list.setWordWrap(True)
        for name, cls in REPORTS.items():
            item = QListWidgetItem(cls.title, self.report_list)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(cls.description)
        self.report_list.currentRowChanged.connect(self._on_report_changed)

        self.title_label = QLabel(self)
        self.title_label.setObjectName("reportTitle")
        self.title_label.setWordWrap(True)
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title_label.setFont(font)
        self.description_label = QLabel(self)
        self.description_label.setWordWrap(True)

        today = date.today()
        self.from_edit = QDateEdit(_qdate(date(today.year, 1, 1)), self)
        self.to_edit = QDateEdit(_qdate(today), self)
        self.to_edit.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
        self.from_check = QCheckBox("с", self)
        self.from_check.setChecked(True)
        self.from_check.toggled.connect(self.from_edit.setEnabled)
        self.to_caption = QLabel("по", self)
        self.organization_combo = QComboBox(self)
        self.organization_combo.setObjectName("organizationCombo")
        self.organization_combo.setEditable(True)
        self.organization_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.organization_combo.setMinimumContentsLength(16)
        self.organization_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.municipality_combo = QComboBox(self)
        self.municipality_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.municipality_combo.setMinimumContentsLength(16)
        self.municipality_label = QLabel("Муниципалитет", self)
        self.unmasked_check = QCheckBox("Без маскирования", self)
        self.unmasked_check.setToolTip("Персональные данные (СНИЛС, телефоны, e-mail) будут показаны в отчёте полностью")

        start = QHBoxLayout()
        start.addWidget(self.from_check)
        start.addWidget(self.from_edit)
        start.addStretch(1)
        self.period_label = QLabel("Период", self)
        form = QFormLayout()
        form.addRow(self.period_label, start)
        form.addRow(self.to_caption, self.to_edit)
        form.addRow("Организация", self.organization_combo)
        form.addRow(self.municipality_label, self.municipality_combo)
        form.addRow("", self.unmasked_check)

        self.preview_button = QPushButton("Показать", self)
        self.preview_button.setDefault(True)
        self.preview_button.clicked.connect(self.show_preview)
        self.xlsx_button = QPushButton("В Excel…", self)
        self.xlsx_button.setToolTip("Сохранить отчёт в книгу Excel (.xlsx)")
        self.xlsx_button.clicked.connect(lambda: self.ask_and_save("xlsx"))
        self.pdf_button = QPushButton("В PDF…", self)
        self.pdf_button.clicked.connect(lambda: self.ask_and_save("pdf"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addStretch(1)
        buttons.addWidget(self.xlsx_button)
        buttons.addWidget(self.pdf_button)

        self.header_label = QLabel(self)
        self.header_label.setObjectName("previewHeader")
        self.header_label.setWordWrap(True)
        self.model = PreviewModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        self.model.rowsInserted.connect(self._update_count)
        self.model.modelReset.connect(self._update_count)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(12, 0, 0, 0)
        right_layout.addWidget(self.title_label)
        right_layout.addWidget(self.description_label)
        right_layout.addLayout(form)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.header_label)
        right_layout.addWidget(self.table, 1)
        right_layout.addWidget(self.count_label)
        splitter = QSplitter(self)
        splitter.addWidget(self.report_list)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(splitter, 1)
        self.report_list.setCurrentRow(0)

    # -- the chosen report and its parameters ------------------------------------------
    def current_name(self) -> str:
        item = self.report_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else next(iter(REPORTS))

    def select_report(self, name: str) -> None:
        self.report_list.setCurrentRow(list(REPORTS).index(name))

    @Slot(int)
    def _on_report_changed(self, _row: int) -> None:
        cls = REPORTS[self.current_name()]
        self.title_label.setText(cls.title)
        self.description_label.setText(cls.description)
        self.to_caption.setText("По состоянию на" if cls.register else "по")
        for w in (self.period_label, self.from_check, self.from_edit):
            w.setVisible(not cls.register)
        self.unmasked_check.setVisible(cls.has_personal_data())
        self.pdf_button.setEnabled(cls.pdf)
        self.pdf_button.setToolTip("Сохранить отчёт в PDF (А4, альбомная)" if cls.pdf
                                    else "Этот отчёт сохраняется только в Excel")
        self.model.start(None)
        self.header_label.setText("Нажмите «Показать», чтобы увидеть отчёт.")

    def activate(self) -> None:
        if self._stale:
            self._stale = False
            self._load_choices()

    def mark_stale(self) -> None:
        self._stale = True

    def _load_choices(self) -> None:
        current = self.organization_combo.currentData()
        self.organization_combo.clear()
        self.organization_combo.addItem(ALL_ORGANIZATIONS, None)
        for c in organization_choices(self._service.db):
            self.organization_combo.addItem(c.label, c.value)
        index = self.organization_combo.findData(current) if current else 0
        self.organization_combo.setCurrentIndex(max(0, index))
        municipalities = municipality_choices(self._service.db)
        self.municipality_combo.clear()
        self.municipality_combo.addItem(ALL_MUNICIPALITIES, None)
        for c in municipalities:
            self.municipality_combo.addItem(c.label, c.value)
        # One municipality is a centre's own base: the filter only means something in region mode.
        region = len(municipalities) > 1
        self.municipality_combo.setVisible(region)
        self.municipality_label.setVisible(region)

    def params(self) -> ReportParams:
        cls = REPORTS[self.current_name()]
        text = self.organization_combo.currentText().strip()
        index = self.organization_combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if text and text != ALL_ORGANIZATIONS and index < 0:
            raise ServiceError(f"Организация «{text}» не найдена: выберите её из списка.")
        organization = self.organization_combo.itemData(index) if index >= 0 else None
        start = None if cls.register or not self.from_check.isChecked() else _pydate(self.from_edit.date())
        return ReportParams(date_from=start, date_to=_pydate(self.to_edit.date()), organization_id=organization,
                            municipality=self.municipality_combo.currentData() if not self.municipality_combo.isHidden()
                            else None, unmasked=cls.has_personal_data() and self.unmasked_check.isChecked()).validate()

    # -- preview ---------------------------------------------------------------------------------
    @Slot()
    def show_preview(self) -> bool:
        try:
            run = run_report(self._service.db, self.current_name(), self.params())
            self.header_label.setText("\n".join(run.header_lines()))
            self.model.start(run)
        except (ServiceError, ValueError) as exc:
            self.model.start(None)
            messages.show_error(self, f"Не удалось построить отчёт. {exc}")
            return False
        self.table.resizeColumnsToContents()
        for c in range(self.model.columnCount()):
            self.table.setColumnWidth(c, min(self.table.columnWidth(c), 360))
        return True

    @Slot()
    def _update_count(self) -> None:
        n = self.model.data_rows
        if self.model.run is None:
            self.count_label.setText("")
        elif self.model.exhausted:
            self.count_label.setText(f"Строк: {n}")
        else:
            self.count_label.setText(f"Показаны первые {n} строк — прокрутите вниз, чтобы увидеть следующие")

    # -- saving ------------------------------------------------------------------------------------
    def suggested_path(self, fmt: str) -> str:
        """The file name the save dialog proposes for the current report."""
        return report_file_name(self.current_name(), fmt)

    def ask_and_save(self, fmt: str) -> Task | None:
        path = choose_report_path(self, self.suggested_path(fmt), fmt)
        return self.save(path, fmt) if path else None

    def save(self, path: str, fmt: str = "xlsx") -> Task | None:
        """Writes the report to ``path`` in a worker thread, with a progress window and «Отмена»."""
        try:
            params = self.params()
        except ServiceError as exc:
            messages.show_error(self, str(exc))
            return None
        name, db = self.current_name(), self._service.db

        def work(progress, cancelled):
            return str(save_report(db, name, params, path, progress=progress, cancelled=cancelled))

        task = Task(work, self)
        task.succeeded.connect(self._on_saved)
        task.failed.connect(lambda exc: messages.show_error(self, f"Не удалось сохранить отчёт. {exc}"))
        task.finished.connect(lambda: self._set_busy(False))
        self.save_task = task
        self._set_busy(True)
        dialog = TaskProgressDialog(task, "Сохранение отчёта", f"{REPORTS[name].title}…", self)
        task.start()
        dialog.show()
        return task

    def _set_busy(self, busy: bool) -> None:
        self.xlsx_button.setEnabled(not busy)
        self.pdf_button.setEnabled(not busy and REPORTS[self.current_name()].pdf)

    @Slot(object)
    def _on_saved(self, path: str) -> None:
        if messages.document_saved(self, path):
            open_document(path)
