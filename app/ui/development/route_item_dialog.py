"""One item of an individual route (a programme, an event, an internship …) in a compact dialog: RouteItemDialog."""
from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from app.domain import enums as E
from app.domain import rules
from app.domain.validators import ValidationError
from app.services.registry.specs import spec_for
from app.services.common.errors import ServiceError
from app.services.common.fields import normalize
from app.services.registry.service import RecordService, ref_key
from app.ui.common.field_editors import ERROR_COLOR, Editor, RefEditor, editor_cell, error_label, make_editor
from app.ui.development.route_values import ENTITY, OWNER_FIELD, ITEM_FIELDS, REF_FIELDS, ITEM_DEFAULTS, number_text, as_float


class RouteItemDialog(QDialog):
    """One item of a route: its fields, checked as typed; «ОК» keeps it in the form (nothing is written)."""

    def __init__(self, service: RecordService, values: dict[str, Any] | None = None,
                 labels: dict[str, str] | None = None, hours_per_credit: int = rules.HOURS_PER_CREDIT_DEFAULT,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._service = service
        self.spec = spec_for(ENTITY)
        self.hours_per_credit = hours_per_credit
        self.result_values: dict[str, Any] | None = None
        self.result_labels: dict[str, str] = {}
        self.editors: dict[str, Editor] = {}
        self.error_labels: dict[str, QLabel] = {}
        new = values is None
        self.setObjectName("routeItemDialog")
        self.setModal(True)
        self.setWindowTitle("Новый элемент маршрута" if new else "Элемент маршрута")

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setVerticalSpacing(6)
        for name in ITEM_FIELDS:
            f = self.spec.field(name)
            editor = make_editor(service, f, self)
            editor.setObjectName(f"item_{name}")
            text = html.escape(f.label)
            if f.required:
                text += f" <span style='color:{ERROR_COLOR}'>*</span>"
            label = QLabel(text, self)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setBuddy(editor)
            error = error_label(self)
            form.addRow(label, editor_cell(self, editor, error))
            self.editors[name] = editor
            self.error_labels[name] = error

        start = dict(ITEM_DEFAULTS) if new else dict(values or {})
        record = {ref_key(n): text for n, text in (labels or {}).items()}
        for name, editor in self.editors.items():
            editor.set_value(start.get(name), record)
        self.credits_hint = QLabel(self)
        self.credits_hint.setObjectName("hintLabel")
        self.credits_hint.setWordWrap(True)
        self.general_error = QLabel(self)
        self.general_error.setObjectName("messageLabel")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton("ОК", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("Отмена", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.addLayout(form)
        layout.addWidget(self.credits_hint)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

        for name, editor in self.editors.items():
            editor.changed.connect(lambda n=name: self._on_changed(n))
        self.editors["programme_id"].changed.connect(self._on_programme_changed)
        self._update_credits_hint()
        self.resize(620, self.sizeHint().height())

    # -- reacting ------------------------------------------------------------
    def _on_changed(self, name: str) -> None:
        self.error_labels[name].hide()
        self.general_error.hide()
        if name in ("hours", "credits"):
            self._update_credits_hint()

    @Slot()
    def _on_programme_changed(self) -> None:
        """A chosen programme fills the title, hours and credits."""
        programme_id = self.editors["programme_id"].value()
        if not programme_id:
            return
        try:
            programme = self._service.get("programmes", programme_id)
        except ServiceError:
            return
        self.editors["title"].set_value(programme.get("title") or "")
        self.editors["hours"].set_value(programme.get("hours"))
        credits = programme.get("credits")
        if not credits and programme.get("hours"):
            credits = rules.credits_from_hours(programme["hours"], self.hours_per_credit)
        self.editors["credits"].set_value(float(credits) if credits else None)
        if self.editors["kind"].value() != E.ItemKind.INTERNSHIP.value:
            self.editors["kind"].set_value(E.ItemKind.PROGRAMME.value)
        self._update_credits_hint()

    def _update_credits_hint(self) -> None:
        hours = as_float(self.editors["hours"].value())
        if self.editors["credits"].is_blank() and hours and hours > 0:
            credits = rules.credits_from_hours(hours, self.hours_per_credit)
            self.credits_hint.setText(f"Зачётные единицы не указаны — будут рассчитаны по часам: "
                                      f"{number_text(credits)} з.е. ({self.hours_per_credit} ч = 1 з.е.).")
        else:
            self.credits_hint.setText("")
        self.credits_hint.setVisible(bool(self.credits_hint.text()))

    # -- accepting -------------------------------------------------------------
    def errors(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, editor in self.editors.items():
            message = editor.local_error()
            if message is None:
                try:
                    normalize(self.spec.field(name), editor.value())
                except ValidationError as exc:
                    message = str(exc)
            if message:
                out[name] = message
        return out

    @Slot()
    def submit(self) -> bool:
        """Checks the item; True (and the dialog accepted) when it can go into the route."""
        errors = self.errors()
        if not errors:
            values = {n: normalize(self.spec.field(n), e.value()) for n, e in self.editors.items()}
            if not values.get("credits") and values.get("hours"):
                values["credits"] = rules.credits_from_hours(values["hours"], self.hours_per_credit)
            # Rules across fields (an end before its start) — the route itself is not known yet.
            try:
                found = self._service.validate(ENTITY, {**values, OWNER_FIELD: None})
            except ServiceError:
                found = []
            general = []
            for e in found:
                if e.field == OWNER_FIELD:
                    continue
                if e.field in self.editors:
                    errors.setdefault(e.field, e.message)
                else:
                    general.append(str(e))
            if general:
                self.general_error.setText("; ".join(general))
                self.general_error.show()
                return False
        if errors:
            for name, message in errors.items():
                self.error_labels[name].setText(message)
                self.error_labels[name].show()
            self.editors[next(iter(errors))].setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        self.result_values = values
        self.result_labels = {n: self.editors[n].text() for n in REF_FIELDS
                              if isinstance(self.editors[n], RefEditor) and values.get(n)}
        self.accept()
        return True

    @classmethod
    def ask(cls, parent: QWidget | None, service: RecordService, values: dict[str, Any] | None = None,
            labels: dict[str, str] | None = None, hours_per_credit: int = rules.HOURS_PER_CREDIT_DEFAULT,
            ) -> tuple[dict[str, Any], dict[str, str]] | None:
        dialog = cls(service, values, labels, hours_per_credit, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_values is not None:
                return dialog.result_values, dialog.result_labels
            return None
        finally:
            dialog.deleteLater()
