"""The form of any record, built from its EntitySpec: load, check as the user types, save.

Every value goes to the service as typed; ``RecordService.check_field`` says
what is wrong with it in Russian, under the field, while the user types.
Rules that involve other fields or other records (a duplicate СНИЛС, an end
before a start) come back from ``create``/``update`` as ValidationFailed and
are shown under their fields the same way. «Сохранить» stays disabled while
anything is wrong or nothing has changed.
"""
from __future__ import annotations

import html
import logging
import re
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QFrame, QGroupBox, QLabel, QPushButton, QScrollArea, QVBoxLayout,
    QWidget,
)

from app.services.duplicates import DuplicateCandidate, find_duplicates
from app.services.registry.specs import spec_for
from app.services.common.errors import ConcurrentEdit, ServiceError, ValidationFailed
from app.services.common.fields import BOOL
from app.services.registry.service import RecordService, ref_key
from app.ui.common import messages
from app.ui.common.extension_points import CARDS, FORM_BEHAVIOURS, FORMS, OWNED_ROWS
from app.ui.common.field_editors import ERROR_COLOR, Editor, editor_cell, error_label, make_editor
from app.ui.common.form_messages import RECORD_LINK, duplicate_html, error_html
from app.ui.common.form_sections import field_label, form_sections
from app.ui.common.record_text import record_label
from app.ui.common.related_rows import RelatedChanges, RelatedRowsEditor, related_kind

log = logging.getLogger(__name__)

REQUIRED_MESSAGE = "обязательное поле не заполнено"
LABEL_WIDTH = 230
# The hint under the form names this many missing required fields, then counts the rest.
MISSING_NAMED = 3
DIALOG_SIZE = (720, 760)
# Section titles stand out from the fields under them (the application style sheet has no rule for it).
SECTION_STYLE = "QGroupBox { font-weight: bold; } QGroupBox * { font-weight: normal; }"
# A teacher form looks for probable duplicates this long after the user stops typing.
DUPLICATE_CHECK_DELAY_MS = 400
# The fields find_duplicates compares; the notice stands under the last ФИО field.
DUPLICATE_FIELDS = ("last_name", "first_name", "middle_name", "birth_date", "organization_id", "snils")
DUPLICATE_NOTICE_AFTER = "middle_name"
DUPLICATE_STYLE = ("color: #7a4b00; background: #fff4d6; border: 1px solid #f0d48a; "
                   "border-radius: 4px; padding: 6px 8px;")


def open_record(parent: QWidget | None, service: RecordService, entity: str, record_id: str) -> bool:
    """Opens a record the way its list does: its own window or card if it has one, else the form.

    True if it changed.
    """
    form = FORMS.get(entity)
    if form is not None:
        return form(parent, service, record_id) is not None
    card = CARDS.get(entity)
    if card is not None:
        return card(parent, service, record_id)
    return RecordDialog.ask(parent, service, entity, record_id) is not None


def referenced_label(service: RecordService, entity: str, record_id: str) -> str:
    """The name of a referenced record (a preset teacher in a new route); empty if it cannot be read."""
    try:
        return record_label(entity, service.get(entity, record_id))
    except ServiceError:
        return ""


class RecordDialog(QDialog):
    saved = Signal(str)                 # the id of the created or updated record

    def __init__(self, service: RecordService, entity: str, record_id: str | None = None,
                 parent: QWidget | None = None, preset: dict[str, Any] | None = None):
        super().__init__(parent)
        self._service = service
        self.entity = entity
        self.spec = spec_for(entity)
        self.record_id = record_id
        self.record: dict[str, Any] | None = service.get(entity, record_id) if record_id else None
        self.saved_id: str | None = None
        self.editors: dict[str, Editor] = {}
        self.field_labels: dict[str, QLabel] = {}
        self.error_labels: dict[str, QLabel] = {}
        self.sections: dict[str, QGroupBox] = {}
        self._checks: dict[str, str | None] = {}
        self._server_errors: dict[str, str] = {}
        self._touched: set[str] = set()
        self._closing = False
        self.duplicate_candidates: list[DuplicateCandidate] = []
        self.duplicate_notice: QLabel | None = None
        self._duplicate_timer: QTimer | None = None
        # The rows the record owns (a community's members), saved with it: a RelatedRowsEditor, or an
        # editor OWNED_ROWS makes with the same load(), changes(), kind and ``changed``.
        self.related: Any = None

        self.setObjectName("recordDialog")
        self.setModal(True)
        self.setStyleSheet(SECTION_STYLE)
        title = self._title()
        self.setWindowTitle(title)
        self.title_label = QLabel(title, self)
        self.title_label.setObjectName("dialogTitle")
        self.title_label.setWordWrap(True)
        required_hint = QLabel("Поля, отмеченные <span style='color:%s'>*</span>, обязательны." % ERROR_COLOR, self)
        required_hint.setObjectName("hintLabel")

        body = QWidget()
        body.setObjectName("formBody")
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(2, 2, 10, 2)
        body_layout.setSpacing(12)
        for section_title, names in form_sections(entity):
            form = QFormLayout()
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            form.setVerticalSpacing(8)
            form.setHorizontalSpacing(12)
            for name in names:
                self._add_row(form, name)
            if section_title:
                box = QGroupBox(section_title, body)
                box.setLayout(form)
                self.sections[section_title] = box
                body_layout.addWidget(box)
            else:
                body_layout.addLayout(form)
        owned = OWNED_ROWS.get(entity)
        kind = owned.kind if owned is not None else related_kind(entity)
        if kind is not None:
            self.related = (owned.make(service, body) if owned is not None
                            else RelatedRowsEditor(service, kind, body))
            self.related.setObjectName("relatedRows")
            if record_id:
                self.related.load(record_id)
            box = QGroupBox(kind.title, body)
            box_layout = QVBoxLayout(box)
            box_layout.addWidget(self.related)
            self.sections[kind.title] = box
            body_layout.addWidget(box)
            self.related.changed.connect(self._on_related_changed)
        body_layout.addStretch(1)
        self.scroll = QScrollArea(self)
        self.scroll.setWidget(body)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.general_error = QLabel(self)
        self.general_error.setObjectName("messageLabel")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.status_label = QLabel(self)
        self.status_label.setObjectName("hintLabel")
        self.status_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.save_button: QPushButton = self.buttons.addButton("Сохранить", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button: QPushButton = self.buttons.addButton("Отмена", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 14, 14)
        layout.setSpacing(8)
        layout.addWidget(self.title_label)
        layout.addWidget(required_hint)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)
        messages.fit_to_screen(self, *(owned.dialog_size if owned is not None else DIALOG_SIZE))

        if self.record is not None:
            for name, editor in self.editors.items():
                editor.set_value(self.record.get(name), self.record)
        elif preset:
            # A new record with some values given (a route of the teacher whose card is open).
            shown: dict[str, Any] = dict(preset)
            for name, value in preset.items():
                f = self.spec.field(name)
                if f.ref and value and ref_key(name) not in shown:
                    shown[ref_key(name)] = referenced_label(service, f.ref, value)
            for name, value in preset.items():
                if name in self.editors:
                    self.editors[name].set_value(value, shown)
        self._initial = self.values()
        for name in self.editors:
            self._checks[name] = self._check(name)
            self.editors[name].changed.connect(lambda n=name: self._on_changed(n))
        behaviour = FORM_BEHAVIOURS.get(entity)
        if behaviour is not None:
            behaviour(self, service)
        self._refresh_state()
        if self.duplicate_notice is not None:
            self._duplicate_timer = QTimer(self)
            self._duplicate_timer.setSingleShot(True)
            self._duplicate_timer.setInterval(DUPLICATE_CHECK_DELAY_MS)
            self._duplicate_timer.timeout.connect(self.check_duplicates)
            for name in DUPLICATE_FIELDS:
                if name in self.editors:
                    self.editors[name].changed.connect(self._duplicate_timer.start)
            if self.record is not None:
                # An open card of a known duplicate says so too.
                self._duplicate_timer.start()
        first = next(iter(self.editors.values()), None)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _title(self) -> str:
        if self.record is None:
            return f"Новая запись: {self.spec.singular}"
        label = record_label(self.entity, self.record) or self.spec.singular
        return f"{self.spec.singular[:1].upper()}{self.spec.singular[1:]}: {label}"

    def _add_row(self, form: QFormLayout, name: str) -> None:
        f = self.spec.field(name)
        editor = make_editor(self._service, f, self)
        editor.setObjectName(f"field_{name}")
        text = html.escape(field_label(self.entity, name))
        if f.required:
            text += f" <span style='color:{ERROR_COLOR}'>*</span>"
        label = QLabel(text, self)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setFixedWidth(LABEL_WIDTH)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        label.setBuddy(editor)
        error = error_label(self)
        error.setTextFormat(Qt.TextFormat.RichText)
        error.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                      | Qt.TextInteractionFlag.TextSelectableByMouse)
        error.linkActivated.connect(self._open_link)
        form.addRow(label, editor_cell(self, editor, error))
        self.editors[name] = editor
        self.field_labels[name] = label
        self.error_labels[name] = error
        if self.entity == "teachers" and name == DUPLICATE_NOTICE_AFTER:
            notice = QLabel(self)
            notice.setObjectName("duplicateNotice")
            notice.setStyleSheet(DUPLICATE_STYLE)
            notice.setWordWrap(True)
            notice.setTextFormat(Qt.TextFormat.RichText)
            notice.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                           | Qt.TextInteractionFlag.TextSelectableByMouse)
            notice.setToolTip("Похожая запись уже есть в реестре. Сохранить можно и так; "
                              "объединить записи — «Дубликаты» на странице педагогов.")
            notice.linkActivated.connect(self._open_link)
            notice.hide()
            form.addRow(notice)
            self.duplicate_notice = notice

    # -- state -------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        return {name: editor.value() for name, editor in self.editors.items()}

    def changes(self) -> dict[str, Any]:
        """The fields whose value differs from what the form was opened with."""
        return {name: value for name, value in self.values().items() if value != self._initial.get(name)}

    def related_changes(self) -> RelatedChanges | None:
        return self.related.changes() if self.related is not None else None

    def is_dirty(self) -> bool:
        return bool(self.changes()) or bool(self.related_changes())

    def errors(self) -> dict[str, str]:
        """Every current problem by field (shown or not yet shown)."""
        out = {name: message for name, message in self._checks.items() if message}
        out.update(self._server_errors)
        return out

    def error_text(self, name: str) -> str:
        """What the red label under the field says (empty while hidden)."""
        label = self.error_labels[name]
        return "" if label.isHidden() else label.text()

    def _check(self, name: str) -> str | None:
        editor = self.editors[name]
        return editor.local_error() or self._service.check_field(self.entity, name, editor.value())

    def _on_changed(self, name: str) -> None:
        self._touched.add(name)
        # What the service said on save was about the record as it was then.
        self._server_errors.clear()
        self.general_error.hide()
        self._checks[name] = self._check(name)
        self._refresh_state()

    def _on_related_changed(self) -> None:
        self._server_errors.clear()
        self.general_error.hide()
        # Rows edited in place (a diagnostic's scores) say what cannot be saved as typed.
        problems = getattr(self.related, "local_errors", lambda: [])()
        self._show_general("; ".join(problems))
        self._refresh_state()

    def _refresh_state(self) -> None:
        errors = self.errors()
        for name, label in self.error_labels.items():
            message = errors.get(name)
            # An empty required field is not an error until the user has been there.
            visible = bool(message) and (name in self._touched or name in self._server_errors
                                         or not self.editors[name].is_blank())
            if visible:
                label.setText(error_html(message, self.entity))
            label.setVisible(visible)
        related_problems = getattr(self.related, "local_errors", lambda: [])()
        self.save_button.setEnabled(not errors and not related_problems and self.is_dirty())
        missing = [self.spec.field(n).label for n, m in errors.items()
                   if m == REQUIRED_MESSAGE and n not in self._touched]
        if missing:
            shown = ", ".join(missing[:MISSING_NAMED])
            rest = len(missing) - MISSING_NAMED
            self.status_label.setText(f"Заполните обязательные поля: {shown}" + (f" и ещё {rest}." if rest > 0 else "."))
        elif errors:
            self.status_label.setText("Исправьте поля, отмеченные красным.")
        elif not self.is_dirty():
            self.status_label.setText("Изменений нет." if self.record is not None else "")
        else:
            self.status_label.setText("")

    # -- probable duplicates (a flag, never an error) ------------------------
    @Slot()
    def check_duplicates(self) -> list[DuplicateCandidate]:
        """Asks the service for probable duplicates of what is typed and shows the notice under the ФИО."""
        if self.duplicate_notice is None:
            return []
        if self._duplicate_timer is not None:
            self._duplicate_timer.stop()
        values = {name: self.editors[name].value() for name in DUPLICATE_FIELDS if name in self.editors}
        try:
            found = find_duplicates(self._service.db, teacher_id=self.record_id, values=values, limit=10)
        except Exception:  # noqa: BLE001 - the notice is a hint; typing and saving go on without it
            log.exception("looking for duplicates failed")
            found = []
        self.duplicate_candidates = found
        if found:
            self.duplicate_notice.setText(duplicate_html(found))
        self.duplicate_notice.setVisible(bool(found))
        return found

    def duplicate_text(self) -> str:
        """What the notice says as plain text (empty while hidden)."""
        if self.duplicate_notice is None or self.duplicate_notice.isHidden():
            return ""
        plain = re.sub(r"<[^>]+>", "", self.duplicate_notice.text().replace("<br>", "\n"))
        return html.unescape(plain).replace("\xa0", " ")

    # -- saving --------------------------------------------------------------
    @Slot()
    def save(self) -> bool:
        """Creates or updates the record; True when saved (the dialog is then accepted)."""
        self._touched.update(self.editors)
        if self.errors():
            self._refresh_state()
            self._focus_first_error()
            return False
        related_problems = getattr(self.related, "local_errors", lambda: [])()
        if related_problems:
            self._show_general("; ".join(related_problems))
            return False
        if self.record is None:
            payload = {n: v for n, v in self.values().items()
                       if self.spec.field(n).kind == BOOL or not self.editors[n].is_blank()}
        else:
            payload = self.changes()
        related = self.related_changes()
        try:
            result = self._write(payload, related)
        except ValidationFailed as exc:
            general = []
            for e in exc.errors:
                if e.field in self.editors:
                    self._server_errors.setdefault(e.field, e.message)
                else:
                    general.append(str(e))
            self._show_general("; ".join(general))
            self._refresh_state()
            self._focus_first_error()
            return False
        except ConcurrentEdit as exc:
            # Someone saved this record after it was opened here: nothing was written, the form keeps
            # what was typed, and the next «Сохранить» writes over their version knowingly.
            self._overwrite_version = exc.current_version
            self._show_general(str(exc))
            return False
        except ServiceError as exc:
            self._show_general(str(exc))
            return False
        except Exception as exc:  # noqa: BLE001 - the form stays open with what the user typed
            log.exception("saving %s failed", self.entity)
            self._show_general(f"Не удалось сохранить запись: {exc}")
            return False
        self.saved_id = result["id"]
        if related is not None and related.deletes:
            # Batch has no delete: the removed rows go to the bin right after the record is saved.
            try:
                for child_id in related.deletes:
                    self._service.delete(self.related.kind.entity, child_id)
            except ServiceError as exc:
                self.record = self._service.get(self.entity, self.saved_id)
                self.record_id = self.saved_id
                self._initial = self.values()
                self.related.load(self.saved_id)
                self._show_general(f"Запись сохранена, но не все строки раздела «{self.related.kind.title}» "
                                   f"удалось убрать: {exc}")
                self._refresh_state()
                return False
        self._initial = self.values()
        self.saved.emit(self.saved_id)
        self._closing = True
        self.accept()
        return True

    def _expected_version(self) -> int | None:
        """The version this form was opened on (or, after a refusal, the one the user chose to write over)."""
        overwrite = getattr(self, "_overwrite_version", None)
        return overwrite if overwrite is not None else (self.record or {}).get("row_version")

    def _write(self, payload: dict[str, Any], related: RelatedChanges | None) -> dict[str, Any]:
        """The record and the rows it owns (added and changed ones) in one transaction."""
        if related is None or not (related.creates or related.updates):
            if self.record is None:
                return self._service.create(self.entity, payload)
            return self._service.update(self.entity, self.record["id"], payload,
                                        expected_version=self._expected_version())
        kind = self.related.kind
        with self._service.batch() as b:
            if self.record is None:
                result = b.create(self.entity, payload)
            else:
                result = b.update(self.entity, self.record["id"], payload, expected_version=self._expected_version())
            for name, values in related.creates:
                self._related_write(name, lambda v=values: b.create(kind.entity, {kind.owner_field: result["id"], **v}))
            for child_id, name, diff in related.updates:
                self._related_write(name, lambda c=child_id, d=diff: b.update(kind.entity, c, d))
        return result

    def _related_write(self, name: str, write) -> None:
        """One owned row; its problem is told with the row's name (it has no field in the form)."""
        try:
            write()
        except ValidationFailed as exc:
            title = self.related.kind.title
            where = f"{title}, «{name}»" if name else title
            raise ServiceError(f"{where}: " + "; ".join(e.message for e in exc.errors)) from None

    def _show_general(self, text: str) -> None:
        self.general_error.setText(text)
        self.general_error.setVisible(bool(text))

    def _focus_first_error(self) -> None:
        errors = self.errors()
        for name, editor in self.editors.items():
            if name in errors:
                self.scroll.ensureWidgetVisible(editor)
                editor.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    # -- closing -------------------------------------------------------------
    def reject(self) -> None:
        """Cancel, Esc and the window's close button: ask before losing changes."""
        if self._closing or not self.is_dirty():
            super().reject()
            return
        answer = messages.confirm_discard(self)
        if answer == messages.SAVE:
            self.save()
        elif answer == messages.DISCARD:
            self._closing = True
            super().reject()

    @Slot(str)
    def _open_link(self, href: str) -> None:
        match = RECORD_LINK.match(href)
        if match is not None:
            open_record(self, self._service, match.group(1), match.group(2))

    @classmethod
    def ask(cls, parent: QWidget | None, service: RecordService, entity: str,
            record_id: str | None = None, preset: dict[str, Any] | None = None) -> str | None:
        """Shows the form (a new record when ``record_id`` is None, with ``preset`` values);
        the saved record's id, or None."""
        try:
            dialog = cls(service, entity, record_id, parent, preset)
        except ServiceError as exc:
            messages.show_error(parent, str(exc))
            return None
        try:
            return dialog.saved_id if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
