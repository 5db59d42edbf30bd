"""A criteria sheet of экспертиза: its title and the table of criteria (title, maximum score).

Each criterion has a code that keys the experts' scores; it is kept in a hidden
first column and made up for a new criterion, so the user never types one.

The whole sheet is saved in one transaction (review_criteria.save_sheet);
a wrong row is refused with a message naming it, and nothing is written.
"""
from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from app.services.common.errors import ServiceError
from app.services.registry.service import RecordService
from app.services.materials.review_criteria import Criterion, get_sheet, next_free_code, save_sheet
from app.ui.common import messages
from app.ui.common.highlights import ALARM_TEXT

COLUMNS = ("Код", "Критерий", "Макс. балл")


class CriteriaSheetDialog(QDialog):
    def __init__(self, service: RecordService, sheet_id: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._service = service
        self.sheet_id = sheet_id
        self.saved_id: str | None = None
        self._ids: list[str | None] = []
        sheet = get_sheet(service.db, sheet_id) if sheet_id else None
        self.setObjectName("criteriaSheetDialog")
        self.setWindowTitle("Лист экспертной оценки")

        self.title_edit = QLineEdit(sheet.title if sheet else "", self)
        self.description_edit = QPlainTextEdit(sheet.description if sheet else "", self)
        self.description_edit.setMaximumHeight(70)
        self.default_box = QCheckBox("использовать для новых экспертиз", self)
        self.default_box.setChecked(bool(sheet and sheet.is_default))
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("criteriaTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnHidden(0, True)
        self.total_label = QLabel(self)
        for c in (sheet.criteria if sheet else ()):
            self.add_row(c)
        self.table.itemChanged.connect(lambda _item: self._update_total())
        add = QPushButton("Добавить критерий", self)
        remove = QPushButton("Убрать", self)
        up = QPushButton("Выше", self)
        add.clicked.connect(lambda: self.add_row())
        remove.clicked.connect(self.remove_selected)
        up.clicked.connect(self.move_up)
        row_buttons = QHBoxLayout()
        for b in (add, remove, up):
            row_buttons.addWidget(b)
        row_buttons.addStretch(1)
        row_buttons.addWidget(self.total_label)
        hint = QLabel("Эксперт оценивает по листу, назначенному вместе с ним. Когда по листу уже назначены "
                      "экспертизы, его критерии и максимальные баллы не меняются — для новых правил создайте "
                      "новый лист.",
                      self)
        hint.setObjectName("hintLabel")
        hint.setWordWrap(True)
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet(f"color: {ALARM_TEXT};")
        self.error_label.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        save = buttons.addButton("Сохранить", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Отмена", QDialogButtonBox.ButtonRole.RejectRole)
        save.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Название", self.title_edit)
        form.addRow("Пояснение", self.description_edit)
        form.addRow("", self.default_box)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addLayout(row_buttons)
        layout.addWidget(hint)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        messages.fit_to_screen(self, 820, 600)
        self._update_total()

    def add_row(self, c: Criterion | None = None) -> int:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        code = c.code if c else next_free_code({self.table.item(r, 0).text() for r in range(row)})
        for column, text in enumerate((code, c.title, f"{c.max_score:g}") if c else (code, "", "5")):
            self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.blockSignals(False)
        self._ids.append(c.id if c else None)
        self._update_total()
        return row

    def set_cell(self, row: int, column: int, text: str) -> None:
        self.table.item(row, column).setText(text)

    @Slot()
    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            del self._ids[row]
            self._update_total()

    @Slot()
    def move_up(self) -> None:
        row = self.table.currentRow()
        if row <= 0:
            return
        self.table.blockSignals(True)
        for column in range(self.table.columnCount()):
            above, here = self.table.takeItem(row - 1, column), self.table.takeItem(row, column)
            self.table.setItem(row - 1, column, here)
            self.table.setItem(row, column, above)
        self.table.blockSignals(False)
        self._ids[row - 1], self._ids[row] = self._ids[row], self._ids[row - 1]
        self.table.selectRow(row - 1)

    def criteria(self) -> list[Criterion]:
        out = []
        for row in range(self.table.rowCount()):
            code, title, maximum = (self.table.item(row, c).text().strip() for c in range(3))
            try:
                value = float(maximum.replace(",", "."))
            except ValueError:
                raise ServiceError(f"Критерий {row + 1}: максимальный балл «{maximum}» не является числом.") from None
            out.append(Criterion(self._ids[row], code, title, value))
        return out

    def _update_total(self) -> None:
        try:
            total = sum(c.max_score for c in self.criteria())
            self.total_label.setText(f"Максимум по листу: {total:g}".replace(".", ","))
        except ServiceError:
            self.total_label.setText("")

    @Slot()
    def save(self) -> bool:
        title = self.title_edit.text().strip()
        try:
            if not title:
                raise ServiceError("Укажите название листа оценки.")
            self.saved_id = save_sheet(self._service, self.sheet_id, title, self.description_edit.toPlainText(),
                                       self.default_box.isChecked(), self.criteria())
        except ServiceError as exc:
            self.error_label.setText(str(exc))
            return False
        self.accept()
        return True


def open_sheet(parent: QWidget | None, service: RecordService, record_id: str | None) -> str | None:
    try:
        dialog = CriteriaSheetDialog(service, record_id, parent)
    except ServiceError as exc:
        messages.show_error(parent, str(exc))
        return None
    try:
        return dialog.saved_id if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
