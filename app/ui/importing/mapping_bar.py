"""The combo boxes above the preview's columns: which field each sheet column goes to."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal, Slot
from PySide6.QtWidgets import QComboBox, QTableView, QWidget

from app.services.importing.spreadsheet_import import ImportPlan, target_label

SKIP_LABEL = "— не импортировать —"
# Combo item data of «— не импортировать —»: QComboBox.findData cannot look up None.
SKIP = ""


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

