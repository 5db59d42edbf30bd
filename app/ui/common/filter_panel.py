"""The filters above a list: one drop-down per option the service offers, «Все» first, and «Сбросить».

Long choice lists (the organisations of a region run into thousands) get an
editable combo box that narrows its popup to what is typed, anywhere in the
name; a text that matches nothing goes back to the last real choice.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QCompleter, QHBoxLayout, QLabel, QPushButton, QWidget

from app.services.common.errors import ServiceError
from app.services.registry.service import FilterOption, RecordService
from app.ui.common.flow_layout import FlowLayout

ALL_LABEL = "Все"
# From this many choices a combo box takes typing to find one.
TYPE_TO_FIND_FROM = 20
COMBO_CHARACTERS = 16
POPUP_MAX_WIDTH = 520


class FilterPanel(QWidget):
    """Emits ``changed`` whenever a choice changes; ``filters()`` is what RecordService takes as ``filters=``."""

    changed = Signal()

    def __init__(self, service: RecordService, entity: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("filterPanel")
        self._service = service
        self.entity = entity
        self._options: list[FilterOption] = []
        self.combos: dict[str, QComboBox] = {}
        self.labels: dict[str, QLabel] = {}
        self._quiet = False
        self.error = ""

        self.reset_button = QPushButton("Сбросить", self)
        self.reset_button.setObjectName("resetFiltersButton")
        self.reset_button.setToolTip("Показать все записи: снять все фильтры")
        self.reset_button.clicked.connect(self.reset)
        self._cells: list[QWidget] = []
        # Filters fill a line and wrap, so a narrow window folds them instead of growing.
        self._flow = FlowLayout(self, spacing=10, line_spacing=6)

    # -- building ----------------------------------------------------------
    def load_options(self) -> None:
        """(Re)reads the choices; what was chosen stays chosen while it is still offered."""
        previous = self.filters()
        try:
            options = self._service.filter_options(self.entity)
        except ServiceError as exc:
            self.error = str(exc)
            options = []
        else:
            self.error = ""
        if [(o.name, o.label) for o in options] != [(o.name, o.label) for o in self._options]:
            self._build(options)
        self._options = options
        self._quiet = True
        try:
            for option in options:
                combo = self.combos[option.name]
                self._fill(combo, option)
                index = combo.findData(previous.get(option.name)) if option.name in previous else 0
                combo.setCurrentIndex(max(index, 0))
        finally:
            self._quiet = False
        self._update_reset()
        if self.filters() != previous:
            self.changed.emit()

    def _build(self, options: list[FilterOption]) -> None:
        for cell in self._cells:
            self._flow.removeWidget(cell)
            cell.deleteLater()
        self._cells.clear()
        self._flow.removeWidget(self.reset_button)
        self.combos.clear()
        self.labels.clear()
        for option in options:
            cell = QWidget(self)
            combo = QComboBox(cell)
            combo.setObjectName(f"filter_{option.name}")
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(COMBO_CHARACTERS)
            combo.currentIndexChanged.connect(self._on_choice)
            label = QLabel(option.label, cell)
            label.setObjectName("filterLabel")
            label.setBuddy(combo)
            row = QHBoxLayout(cell)
            row.setContentsMargins(0, 0, 6, 0)
            row.setSpacing(6)
            row.addWidget(label)
            row.addWidget(combo)
            self._flow.addWidget(cell)
            self._cells.append(cell)
            self.combos[option.name] = combo
            self.labels[option.name] = label
        if options:
            self._flow.addWidget(self.reset_button)
        self.setVisible(bool(options))

    def _fill(self, combo: QComboBox, option: FilterOption) -> None:
        combo.clear()
        combo.addItem(ALL_LABEL, None)
        for value, label in option.choices:
            combo.addItem(label, value)
            combo.setItemData(combo.count() - 1, label, Qt.ItemDataRole.ToolTipRole)
        searchable = len(option.choices) >= TYPE_TO_FIND_FROM
        if searchable != combo.isEditable():
            combo.setEditable(searchable)
            if searchable:
                combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
                combo.lineEdit().setPlaceholderText("Начните вводить…")
                combo.lineEdit().editingFinished.connect(lambda c=combo: self._settle_typed(c))
        if searchable:
            completer = QCompleter(combo.model(), combo)
            completer.setCompletionColumn(0)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            completer.setMaxVisibleItems(15)
            combo.setCompleter(completer)
        # The closed box stays narrow; the open list is wide enough to read long names.
        widest = max((combo.fontMetrics().horizontalAdvance(label) for _v, label in option.choices), default=0)
        combo.view().setMinimumWidth(min(POPUP_MAX_WIDTH, widest + 40))

    # -- reading and setting ------------------------------------------------
    def options(self) -> list[FilterOption]:
        return list(self._options)

    def filters(self) -> dict[str, str]:
        """The chosen filters only (those at «Все» are left out)."""
        out = {}
        for name, combo in self.combos.items():
            value = combo.currentData()
            if value not in (None, ""):
                out[name] = value
        return out

    def set_filter(self, name: str, value: str | None) -> None:
        """Chooses ``value`` (a code or an id; None for «Все») as if the user had picked it."""
        combo = self.combos[name]
        index = 0 if value is None else combo.findData(value)
        if index < 0:
            raise KeyError(f"{name}={value!r} is not offered")
        combo.setCurrentIndex(index)

    def choice_labels(self, name: str) -> list[str]:
        combo = self.combos[name]
        return [combo.itemText(i) for i in range(combo.count())]

    def active_count(self) -> int:
        return len(self.filters())

    @Slot()
    def reset(self) -> None:
        if not self.filters():
            return
        self._quiet = True
        try:
            for combo in self.combos.values():
                combo.setCurrentIndex(0)
        finally:
            self._quiet = False
        self._update_reset()
        self.changed.emit()

    # -- reacting -----------------------------------------------------------
    @Slot(int)
    def _on_choice(self, _index: int) -> None:
        if self._quiet:
            return
        self._update_reset()
        self.changed.emit()

    def _settle_typed(self, combo: QComboBox) -> None:
        """After typing in a long list: the exact match, «Все» for an empty text, or back to the last choice."""
        text = combo.lineEdit().text().strip()
        if not text:
            combo.setCurrentIndex(0)
            combo.setEditText(combo.itemText(0))
            return
        index = combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            combo.setCurrentIndex(index)
        combo.setEditText(combo.itemText(combo.currentIndex()))

    def _update_reset(self) -> None:
        self.reset_button.setEnabled(bool(self.filters()))
