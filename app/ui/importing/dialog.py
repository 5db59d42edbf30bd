"""Importing teachers, organisations, programmes or diagnostics results from a spreadsheet.

One dialog, two pages on a stack:

* the mapping page shows what ``detect()`` guessed — the sheet, the header
  row, and above every column of the preview a combo box with the field it
  goes to (import_mapping_bar) — and lets the user correct each; a
  diagnostics import also asks for the date and the instrument of rows
  without their own (import_options); the import button stays disabled
  while ``plan.problems()`` says the plan cannot run;
* the result page (import_result_page) shows ``summary_lines()``, the
  rejected rows (sortable), the organisations the import created, and saves
  the .xlsx report.

``run_import`` runs in a ``Task`` behind a ``TaskProgressDialog``; Cancel
asks the service to stop, and the service rolls its one transaction back.
``detect`` is fast (0.1 s for 5,000 rows), so it runs on the GUI thread.
"""
from __future__ import annotations

import copy
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QDialog, QStackedWidget, QVBoxLayout, QWidget

from app.services.common.actor import Actor
from app.services.common.errors import ServiceError
from app.services.registry.service import RecordService
from app.services.importing.spreadsheet_import import (
    KIND_TITLES, KINDS, PREVIEW_ROWS, ImportPlan, ImportResult, detect, run_import, targets,
)
from app.ui.importing.mapping_bar import SKIP, SKIP_LABEL  # noqa: F401 - tests import them from here
from app.ui.importing.mapping_page import build_mapping_page
from app.ui.importing.models import COL_REASON, COL_ROW  # noqa: F401 - tests import them from here
from app.ui.importing.models import ImportPreviewModel, RejectedRowsModel  # noqa: F401 - likewise
from app.ui.importing.result_page import ImportResultPage, show_text
from app.ui.common.progress_dialog import TaskProgressDialog
from app.ui.common.task_runner import Task
from app.ui.common.documents import dated_name, last_folder, open_path, save_path
from app.ui.common import messages

FILE_FILTER = "Таблицы (*.xlsx *.xls *.ods *.csv)"
REPORT_FILTER = "Книга Excel (*.xlsx)"
IMPORT_FILES = "import"              # the kinds of file whose folders the dialogs remember
IMPORT_REPORTS = "import-report"
DIALOG_TITLES = {"teachers": "Импорт педагогов", "organizations": "Импорт организаций",
                 "programmes": "Импорт программ", "diagnostics": "Импорт результатов диагностики",
                 "events": "Импорт плана мероприятий"}
# A preview column is wide enough for its combo box to show a field's name, and no wider than this.
MIN_COLUMN_WIDTH = 190
MAX_COLUMN_WIDTH = 340



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
        messages.fit_minimum(self, 820, 560)
        messages.fit_to_screen(self, 1120, 720)

        self.stack = QStackedWidget(self)
        self.mapping_page = build_mapping_page(self)
        self.result_page = ImportResultPage(self)
        self.result_page.save_report_button.clicked.connect(self.save_report)
        self.result_page.done_button.clicked.connect(self.accept)
        # The result page's widgets, by the names tests and callers use.
        for name in ("outcome_label", "summary_label", "rejected_title", "rejected_model", "rejected_view",
                     "organizations_title", "organizations_list", "report_label", "save_report_button",
                     "done_button"):
            setattr(self, name, getattr(self.result_page, name))
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
        return open_path(parent, "Выбор таблицы для импорта", FILE_FILTER, IMPORT_FILES)

    @staticmethod
    def choose_report_path(parent: QWidget | None, suggested: str) -> str | None:
        """Asks where to save the import report, starting at ``suggested`` (a full path); None if cancelled."""
        return save_path(parent, "Сохранение отчёта об импорте", Path(suggested).name, REPORT_FILTER, IMPORT_REPORTS,
                         extension="xlsx", folder=str(Path(suggested).parent))

    # -- building ------------------------------------------------------------
    # -- the file and the plan ------------------------------------------------
    def open_file(self, path: str) -> bool:
        """Reads ``path`` and shows what detect() found; False (and the message shown) if it cannot be read."""
        self.path = str(path)
        self._notice = ""
        return self._detect(sheet=None, header_row=None)

    def _known_instruments(self) -> list[str]:
        try:
            return RecordService(self._db).distinct_values("diagnostics", "instrument")
        except ServiceError:
            return []

    def set_diagnostics_defaults(self, held_on, instrument: str) -> None:
        """Types the date and the instrument for rows without their own (a diagnostics import)."""
        if self.options is not None:
            self.options.set_values(held_on, instrument)

    @Slot()
    def _on_options_changed(self) -> None:
        if self.plan is None or self.options is None:
            return
        self.plan.default_date = self.options.default_date()
        self.plan.default_instrument = self.options.default_instrument() or None
        self._refresh_mapping_page()

    def _detect(self, sheet: str | None, header_row: int | None) -> bool:
        defaults = {}
        if self.options is not None:
            defaults = {"default_date": self.options.default_date(),
                        "default_instrument": self.options.default_instrument() or None}
        try:
            plan = detect(self.path, self.kind, sheet=sheet, header_row=header_row, **defaults)
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

        show_text(self.error_label, self._error)
        warnings = [w for w in (plan.warnings if plan is not None else []) if w not in self._detected_problems]
        show_text(self.warnings_label, "\n".join(warnings))
        problems = plan.problems() if plan is not None else []
        show_text(self.problems_label,
                   "Импорт невозможен:\n" + "\n".join(f"• {p}" for p in problems) if problems else "")
        show_text(self.notice_label, self._notice)
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.is_busy()
        can_run = (self.plan is not None and not self.plan.problems() and not busy
                   and (self.options is None or self.options.is_valid()))
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
        self.result_page.show_result(result)
        self.stack.setCurrentWidget(self.result_page)

    def suggested_report_path(self) -> str:
        """«<table> — отчёт об импорте <date>.xlsx» where reports went last, at first beside the table."""
        source = Path(self.import_result.path if self.import_result else self.path or "импорт")
        folder = last_folder(IMPORT_REPORTS, default=str(source.parent))
        return str(Path(folder) / dated_name(f"{source.stem} — отчёт об импорте", "xlsx"))

    @Slot()
    def save_report(self) -> str | None:
        """Asks where to save the .xlsx report and writes it; the path written, or None."""
        if self.import_result is None:
            return None
        path = self.choose_report_path(self, self.suggested_report_path())
        if not path:
            return None
        try:
            from app.export.import_report import write_report   # openpyxl only when a report is saved

            written = write_report(self.import_result, path)
        except ServiceError as exc:
            self.result_page.show_report_outcome(str(exc), failed=True)
            return None
        self.result_page.show_report_outcome(f"Отчёт сохранён: {written}", failed=False)
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
