"""The bin of one list: its deleted records, with «Восстановить»."""
from __future__ import annotations

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from app.services.registry.specs import spec_for
from app.services.common.errors import ServiceError
from app.services.registry.service import RecordService
from app.ui.common.record_table import lay_out_list_dialog
from app.ui.common import messages
from app.ui.common.record_table import SEARCH_DELAY_MS, format_count, make_record_table, search_field, size_columns
from app.ui.common.record_table_model import RecordTableModel
from app.ui.common.table_selection import select_record, select_row, selected_row
from app.ui.common.messages import dialog_heading


class TrashDialog(QDialog):
    """Deleted records of one list, with «Восстановить»."""

    restored = Signal(str)

    def __init__(self, service: RecordService, entity: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._service = service
        self.entity = entity
        spec = spec_for(entity)
        self.setWindowTitle(f"Корзина: {spec.title}")
        self.setObjectName("trashDialog")
        self.model = RecordTableModel(service, entity, self, deleted=True)
        self._columns_sized = False

        title, hint = dialog_heading(
            self, f"Корзина: {spec.title.lower()}",
            "Удалённые записи. «Восстановить» возвращает запись в список вместе с тем, "
            "что было удалено вместе с ней.")
        self.search_field = search_field(self, "Поиск среди удалённых…")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        self.message_label = QLabel(self)
        self.message_label.setObjectName("messageLabel")
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        self.table = make_record_table(self.model, self)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        self.restore_button = QPushButton("Восстановить", self)
        self.restore_button.clicked.connect(self.restore_selected)
        self.close_button = QPushButton("Закрыть", self)
        self.close_button.clicked.connect(self.accept)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        self.model.loaded.connect(self._on_loaded)
        self.model.load_failed.connect(self._show_message)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        self.search_field.textChanged.connect(lambda _text: self._search_timer.start())

        top = QHBoxLayout()
        top.addWidget(self.search_field, 1)
        top.addSpacing(12)
        top.addWidget(self.count_label)
        lay_out_list_dialog(self, (title, hint, top, self.message_label), self.table,
                            (self.restore_button,), self.close_button, (980, 560))

    def reload(self) -> None:
        keep_row = selected_row(self.table)
        self._search_timer.stop()
        self.model.set_query(self.search_field.text())
        if self.model.rowCount():
            select_row(self.table, min(max(keep_row, 0), self.model.rowCount() - 1))

    def count(self) -> int:
        return self.model.rowCount()

    def select_record(self, record_id: str) -> bool:
        return select_record(self.table, record_id)

    @Slot()
    def restore_selected(self) -> bool:
        row = selected_row(self.table)
        if not 0 <= row < self.model.rowCount():
            return False
        record_id = self.model.record_id(row)
        try:
            self._service.restore(self.entity, record_id)
        except ServiceError as exc:
            messages.show_error(self, str(exc))
            return False
        self.reload()
        self.restored.emit(record_id)
        return True

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(0 <= selected_row(self.table) < self.model.rowCount())

    @Slot(int)
    def _on_loaded(self, n: int) -> None:
        self.message_label.hide()
        self.count_label.setText(f"В корзине: {format_count(n)}")
        if not self._columns_sized:
            # Sized by the first rows once; an empty bin is sized by its headers (and again when rows come).
            self._columns_sized = bool(n)
            QTimer.singleShot(0, self, lambda: size_columns(self.table))

    @Slot(str)
    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.show()
