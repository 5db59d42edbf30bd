"""The form of a methodical material: its fields, authors (teachers) and files, and the way to its экспертиза.

Built on the generic RecordDialog (fields and the authors table come from
the entity declaration and related_rows); this adds the files panel and saves
the material, its authors and its files in one transaction (materials_save).
The status and the date of the application change only through экспертиза,
so they are shown but not edited here.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGroupBox, QPushButton, QVBoxLayout, QWidget

from app.services.common.errors import ServiceError
from app.services.materials.save import MaterialChanges, save_material
from app.services.registry.service import RecordService
from app.ui.common import messages
from app.ui.materials.material_files_panel import MaterialFilesPanel
from app.ui.common.record_dialog import RecordDialog
from app.ui.common.related_rows import RelatedChanges

WORKFLOW_FIELDS = ("status", "submitted_on")


class MaterialDialog(RecordDialog):
    def __init__(self, service: RecordService, record_id: str | None = None, parent: QWidget | None = None):
        self.files: MaterialFilesPanel | None = None
        self.review_opened = False
        super().__init__(service, "materials", record_id, parent)
        for name in WORKFLOW_FIELDS:
            self.editors[name].setEnabled(False)
            self.editors[name].setToolTip("Меняется в ходе экспертизы (кнопка «Экспертиза…»)")
        body = self.scroll.widget()
        self.files = MaterialFilesPanel(service.db, body)
        self.files.setObjectName("materialFiles")
        if record_id:
            self.files.load(record_id)
        box = QGroupBox("Файлы материала", body)
        QVBoxLayout(box).addWidget(self.files)
        self.sections[box.title()] = box
        layout = body.layout()
        layout.insertWidget(layout.count() - 1, box)        # above the closing stretch
        self.files.changed.connect(self._on_related_changed)

        self.review_button = QPushButton("Экспертиза…", self)
        self.review_button.setObjectName("reviewButton")
        self.review_button.setToolTip("Заявка, эксперты, оценки по критериям, решение, доработка")
        self.buttons.addButton(self.review_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.review_button.setEnabled(record_id is not None)
        self.review_button.clicked.connect(self.open_review)
        self._refresh_state()

    def is_dirty(self) -> bool:
        return super().is_dirty() or (self.files is not None and self.files.is_dirty())

    def _write(self, payload: dict[str, Any], related: RelatedChanges | None) -> dict[str, Any]:
        changes = MaterialChanges(
            values=payload,
            authors_added=[values["teacher_id"] for _name, values in (related.creates if related else [])],
            authors_removed=list(related.deletes) if related else [],
            files_added=self.files.added() if self.files else [],
            files_removed=self.files.removed() if self.files else [])
        result = save_material(self._service, self.record["id"] if self.record else None, changes)
        if related is not None:
            # Written above in the same transaction: RecordDialog.save must not delete them again.
            related.deletes.clear()
        return result

    @Slot()
    def open_review(self) -> None:
        """The review window of this material; the form then shows the status it left."""
        if self.record is None:
            return
        if self.is_dirty():
            messages.show_error(self, "Сначала сохраните изменения материала, затем откройте экспертизу.")
            return
        from app.ui.materials.review_dialog import ReviewDialog

        self.review_opened = True
        ReviewDialog.show_for(self, self._service, self.record["id"])
        self.reload_workflow()

    def reload_workflow(self) -> None:
        self.record = self._service.get("materials", self.record["id"])
        for name in WORKFLOW_FIELDS:
            self.editors[name].set_value(self.record.get(name), self.record)
            self._initial[name] = self.editors[name].value()
        if self.files is not None:
            self.files.load(self.record["id"])
        self._refresh_state()


def open_material(parent: QWidget | None, service: RecordService, record_id: str | None) -> str | None:
    """The material's form (a new one when ``record_id`` is None); the saved id, or None."""
    try:
        dialog = MaterialDialog(service, record_id, parent)
    except ServiceError as exc:
        messages.show_error(parent, str(exc))
        return None
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        if accepted:
            return dialog.saved_id
        # The review window changes the record too, even when the form itself was not saved.
        return record_id if dialog.review_opened else None
    finally:
        dialog.deleteLater()
