"""The list of one entity's records: search, filters, count and a lazy table, with create / edit / delete,
the bin, and the buttons the features lend it (extension_points.PAGE_ACTIONS)."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.services.registry.specs import spec_for
from app.services.common.errors import ServiceError
from app.services.registry.service import FULL_ANSWER_MAX, RecordService
from app.ui.common import messages
from app.ui.common.extension_points import FORMS, PAGE_ACTIONS
from app.ui.common.filter_panel import FilterPanel
from app.ui.common.record_dialog import RecordDialog, open_record
from app.ui.common.record_table import (
    SEARCH_DELAY_MS, format_count, make_record_table, offer_column_choice, search_field, size_columns,
)
from app.ui.common.record_table_model import RecordTableModel
from app.ui.common.section_types import Tab
from app.ui.common.table_selection import select_record, select_row, selected_row
from app.ui.common.trash_dialog import TrashDialog


# What to do first in a list that is still empty; other lists get the general line.
EMPTY_ADVICE = {
    "organizations": "Начните с организаций сети: загрузите их список из таблицы Excel (название, ИНН, тип) "
                     "или добавьте по одной. Потом — педагогов.",
    "teachers": "Педагоги привязываются к организациям по ИНН или названию, поэтому сначала загрузите организации "
                "(раздел «Организации»), затем — педагогов из таблицы Excel, ODS или CSV.",
    "programmes": "Программы повышения квалификации можно загрузить из таблицы или получить каталогом из региона "
                  "(раздел «Обмен с регионом»).",
    "diagnostics": "Результаты диагностики профессиональных дефицитов загружаются из таблицы, которую выдаёт "
                   "платформа диагностики, или вносятся по одному педагогу.",
}


class RecordPage(QWidget):
    """Search, filters, count and a lazy table over one entity, with create / edit / delete and the bin."""

    count_changed = Signal(int)
    records_changed = Signal(str)       # the entity: something was created, changed, deleted or restored

    def __init__(self, service: RecordService, tab: Tab, parent: QWidget | None = None):
        super().__init__(parent)
        self.entity = tab.entity
        self._service = service
        self.spec = spec_for(tab.entity)
        self.model = RecordTableModel(service, tab.entity, self)
        self._stale = True
        self._options_stale = True
        self._columns_sized = False
        self.trash_dialog: TrashDialog | None = None
        self._selection_buttons: list[QPushButton] = []     # the features' buttons that act on the chosen record

        self.create_button = QPushButton("Создать", self)
        self.create_button.setObjectName("createButton")
        self.create_button.setToolTip(f"Новая запись ({self.spec.singular}), Ctrl+N")
        self.edit_button = QPushButton("Изменить", self)
        self.edit_button.setToolTip("Открыть выбранную запись (или двойной щелчок по строке)")
        self.delete_button = QPushButton("Удалить", self)
        self.delete_button.setToolTip("Переместить выбранную запись в корзину")
        self.trash_button = QPushButton("Корзина", self)
        self.trash_button.setToolTip("Удалённые записи этого списка; их можно восстановить")
        self.create_button.clicked.connect(self.create_record)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.trash_button.clicked.connect(self.open_trash)
        self.search_field = search_field(self, tab.search_hint + "…")
        self.search_field.setToolTip("Поиск со второй буквы, без учёта регистра; «е» и «ё» не различаются.")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        self.message_label = QLabel(self)
        self.message_label.setObjectName("messageLabel")
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        self.notice_label = QLabel(self)
        self.notice_label.setObjectName("hintLabel")
        self.notice_label.hide()
        self.filter_panel = FilterPanel(service, tab.entity, self)
        self.filter_panel.hide()            # shown once there are options (on first load)
        self.filter_panel.changed.connect(self._on_filters_changed)

        self.table = make_record_table(self.model, self)
        offer_column_choice(self.table, self.entity, [c.name for c in self.model.columns])
        self.empty_panel = self._make_empty_panel()
        self.table.doubleClicked.connect(self._on_double_click)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table, self.delete_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self.edit_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence(QKeySequence.StandardKey.New), self, self.create_record,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

        top = QHBoxLayout()
        top.addWidget(self.create_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.delete_button)
        top.addSpacing(10)
        top.addWidget(self.search_field, 1)
        top.addSpacing(10)
        top.addWidget(self.trash_button)
        # The features' actions (import, duplicates …) sit under the list: the toolbar must fit a 760-pixel window.
        self._actions = QHBoxLayout()
        bottom = QHBoxLayout()
        bottom.addLayout(self._actions)
        bottom.addStretch(1)
        bottom.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.filter_panel)
        layout.addWidget(self.message_label)
        layout.addWidget(self.notice_label)
        layout.addWidget(self.empty_panel, 1)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search_field.textChanged.connect(lambda _text: self._search_timer.start())
        self.model.loaded.connect(self._on_loaded)
        self.model.load_failed.connect(self._show_message)
        for attach in PAGE_ACTIONS.get(self.entity, ()):
            attach(self)
        self._update_buttons()

    @property
    def service(self) -> RecordService:
        return self._service

    def _make_empty_panel(self) -> QWidget:
        """Shown instead of the table while the list has no records at all (not merely none found).

        The advice sits at the top of the table's place, the buttons under the list stay at the bottom.
        """
        holder = QWidget(self)
        panel = QFrame(holder)
        panel.setObjectName("emptyListPanel")
        self.empty_label = QLabel(self._empty_text(), panel)
        self.empty_label.setObjectName("emptyListText")
        self.empty_label.setWordWrap(True)
        self.empty_create_button = QPushButton(f"Создать запись ({self.spec.singular})", panel)
        self.empty_create_button.clicked.connect(self.create_record)
        self._empty_buttons = QHBoxLayout()
        self._empty_buttons.addWidget(self.empty_create_button)
        self._empty_buttons.addStretch(1)
        inner = QVBoxLayout(panel)
        inner.setContentsMargins(18, 16, 18, 16)
        inner.addWidget(self.empty_label)
        inner.addSpacing(6)
        inner.addLayout(self._empty_buttons)
        outer = QVBoxLayout(holder)
        outer.setContentsMargins(0, 6, 0, 0)
        outer.addWidget(panel)
        outer.addStretch(1)
        self._empty_frame = panel
        holder.hide()
        return holder

    def _empty_text(self) -> str:
        advice = EMPTY_ADVICE.get(self.entity, "Создайте первую запись кнопкой «Создать» (Ctrl+N).")
        return f"В списке «{self.spec.title}» пока нет записей.\n{advice}"

    def add_action(self, object_name: str, text: str, tooltip: str, slot, *,
                   needs_selection: bool = False, on_empty_list: str = "") -> QPushButton:
        """A button under the list, after those added before it; ``needs_selection``: enabled with a chosen record.

        ``on_empty_list`` also puts a large button with that text on the empty list's panel (import first).
        """
        button = QPushButton(text, self)
        button.setObjectName(object_name)
        button.setToolTip(tooltip)
        button.clicked.connect(slot)
        self._actions.addWidget(button)
        if on_empty_list:
            twin = QPushButton(on_empty_list, self._empty_frame)
            twin.setObjectName(f"{object_name}OnEmptyList")
            twin.setToolTip(tooltip)
            twin.setDefault(True)
            twin.clicked.connect(slot)
            self._empty_buttons.insertWidget(0, twin)
        if needs_selection:
            self._selection_buttons.append(button)
            button.setEnabled(self.selected_id() is not None)
        return button

    # -- loading ---------------------------------------------------------
    def ensure_loaded(self) -> None:
        """Reads the ids the first time the page is shown, and after data changed."""
        if self._stale:
            self.refresh()

    def mark_stale(self) -> None:
        self._stale = True
        self._options_stale = True

    def refresh(self, select_id: str | None = None) -> None:
        """Re-reads the list with the current search and filters, keeping the selected record in view.

        ``select_id`` selects that record instead (a new one); if the selected
        record is gone, the selection stays on the same line.
        """
        keep = select_id or self.selected_id()
        keep_row = selected_row(self.table)
        self.notice_label.hide()
        self._stale = False
        self._search_timer.stop()
        if self._options_stale:
            self._options_stale = False
            self.filter_panel.blockSignals(True)
            try:
                self.filter_panel.load_options()
            finally:
                self.filter_panel.blockSignals(False)
        self.model.set_query(self.search_field.text(), self.filter_panel.filters())
        row = self.model.row_of(keep) if keep else -1
        if row < 0 and keep_row >= 0:
            row = min(keep_row, self.model.rowCount() - 1)
        if row >= 0:
            select_row(self.table, row)

    def count(self) -> int:
        return self.model.rowCount()

    def set_search_text(self, text: str) -> None:
        """Types into the field; the list follows after the usual pause."""
        self.search_field.setText(text)

    def apply_filters(self, filters: dict[str, str]) -> None:
        """Shows exactly the records of ``filters`` (other filters and the search cleared), read once.

        A value the panel no longer offers (a deleted organisation) is left at «Все».
        """
        self.ensure_loaded()
        self.search_field.blockSignals(True)
        self.search_field.clear()
        self.search_field.blockSignals(False)
        self.filter_panel.blockSignals(True)
        try:
            for name in self.filter_panel.combos:
                try:
                    self.filter_panel.set_filter(name, filters.get(name))
                except KeyError:
                    self.filter_panel.set_filter(name, None)
        finally:
            self.filter_panel.blockSignals(False)
        self.filter_panel.reset_button.setEnabled(bool(self.filter_panel.filters()))
        self.refresh()

    def selected_id(self) -> str | None:
        row = selected_row(self.table)
        return self.model.record_id(row) if 0 <= row < self.model.rowCount() else None

    def select_record(self, record_id: str) -> bool:
        return select_record(self.table, record_id)

    @Slot()
    def _apply_search(self) -> None:
        if self.search_field.text().strip() != self.model.search_text or self._stale:
            self.refresh()

    @Slot()
    def _on_filters_changed(self) -> None:
        self.refresh()

    def is_empty_list(self) -> bool:
        """No record at all: nothing typed in the search and no filter chosen, and still none found."""
        return (self.model.rowCount() == 0 and self.model.is_complete and not self.search_field.text().strip()
                and not self.filter_panel.filters())

    @Slot(int)
    def _on_loaded(self, n: int) -> None:
        self.message_label.hide()
        empty = self.is_empty_list()
        self.empty_panel.setVisible(empty)
        self.table.setVisible(not empty)
        if self.model.is_complete:
            self.count_label.setText(f"Найдено: {format_count(n)}")
        else:
            self.count_label.setText(f"Найдено: больше {format_count(FULL_ANSWER_MAX)}, список дочитывается…")
        if n and not self._columns_sized:
            self._columns_sized = True
            # After the layout has given the freshly shown page its real width.
            QTimer.singleShot(0, self, self._size_columns)
        self.count_changed.emit(n)

    @Slot(str)
    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.show()
        self.count_label.setText(f"Найдено: {format_count(self.model.rowCount())}")

    @Slot()
    def _size_columns(self) -> None:
        size_columns(self.table)

    def _update_buttons(self) -> None:
        chosen = self.selected_id() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)
        for button in self._selection_buttons:
            button.setEnabled(chosen)

    # -- changing records -----------------------------------------------------
    @Slot()
    def create_record(self) -> str | None:
        form = FORMS.get(self.entity)
        new_id = (form(self, self._service, None) if form is not None
                  else RecordDialog.ask(self, self._service, self.entity))
        if new_id is not None:
            self.after_change(new_id)
        return new_id

    @Slot()
    def edit_selected(self) -> bool:
        record_id = self.selected_id()
        if record_id is None:
            return False
        changed = open_record(self, self._service, self.entity, record_id)
        if changed:
            self.after_change(record_id)
        return changed

    @Slot(QModelIndex)
    def _on_double_click(self, index: QModelIndex) -> None:
        if index.isValid():
            select_row(self.table, index.row())
            self.edit_selected()

    @Slot()
    def delete_selected(self) -> bool:
        row = selected_row(self.table)
        if not 0 <= row < self.model.rowCount():
            return False
        record_id = self.model.record_id(row)
        # The entity name stays in the nominative in brackets: «Удалить запись «…» (педагог)?».
        what = f"запись «{self.model.record_label(row)}» ({self.spec.singular})"
        if not messages.confirm_delete(self, what):
            return False
        try:
            self._service.delete(self.entity, record_id)
        except ServiceError as exc:
            messages.show_error(self, str(exc))
            return False
        self.after_change()
        return True

    @Slot()
    def open_trash(self) -> "TrashDialog":
        if self.trash_dialog is None:
            self.trash_dialog = TrashDialog(self._service, self.entity, self)
            self.trash_dialog.restored.connect(self.after_change)
        self.trash_dialog.reload()
        self.trash_dialog.open()
        return self.trash_dialog

    @Slot(str)
    def after_change(self, select_id: str | None = None) -> None:
        self._options_stale = True
        self.refresh(select_id)
        if select_id and self.model.row_of(select_id) < 0:
            self.notice_label.setText("Запись сохранена, но в списке её не видно: её скрывают поиск или фильтры.")
            self.notice_label.show()
        self.records_changed.emit(self.entity)
