"""«Сервис → Сроки контроля…»: how far ahead «На контроле», the list filters and the PD status look."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QSpinBox, QVBoxLayout, QWidget

from app.services.common.errors import ServiceError, ValidationFailed
from app.services.registry.deadline_settings import SETTINGS, deadline_windows, save_windows
from app.ui.common.messages import dialog_heading, error_line

HINT = ("Сроки определяют, что попадает в «На контроле», в фильтры списков («срок в ближайшие … дней») и в "
        "состояние повышения квалификации педагогов. Они общие для всех пользователей этой базы.")


class DeadlinesDialog(QDialog):
    saved = Signal()

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self.setWindowTitle("Сроки контроля")
        self.setModal(True)
        self.setMinimumWidth(480)
        title, hint = dialog_heading(self, "Сроки контроля", HINT)
        form = QFormLayout()
        windows = deadline_windows(db)
        self.editors: dict[str, QSpinBox] = {}
        for w in SETTINGS:
            box = QSpinBox(self)
            box.setObjectName(w.name)
            box.setRange(w.minimum, w.maximum)
            box.setSuffix(f" {w.unit}")
            box.setValue(getattr(windows, w.name))
            form.addRow(w.label, box)
            self.editors[w.name] = box
        self.error_label = error_line(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Сохранить")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def _save(self) -> None:
        try:
            save_windows(self._db, {name: box.value() for name, box in self.editors.items()})
        except (ServiceError, ValidationFailed) as exc:
            self.error_label.setText(str(exc))
            return
        self.saved.emit()
        self.accept()
