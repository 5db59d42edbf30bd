"""One expert's scores by the criteria of the sheet, the conclusion and the recommendation.

A score above a criterion's maximum is shown in red as it is typed; the
service checks everything again on «Сохранить» and refuses with its Russian
message, which is shown under the table.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHeaderView, QLabel, QLineEdit, QPlainTextEdit, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from app.domain.enums import ReviewDecision
from app.services.materials import review_workflow as wf
from app.services.registry.specs import spec_for
from app.services.common.errors import ServiceError
from app.services.registry.service import RecordService
from app.services.materials.review_state import review_with_material
from app.ui.common import messages
from app.ui.common.field_editors import make_editor
from app.ui.common.highlights import ALARM_TEXT

RECOMMENDATIONS = (ReviewDecision.APPROVED, ReviewDecision.REVISION, ReviewDecision.REJECTED)


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ".").strip())
    except ValueError:
        return None


class ReviewScoreDialog(QDialog):
    def __init__(self, service: RecordService, review_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._service = service
        self.review_id = review_id
        review, state = review_with_material(service.db, review_id)
        self.review, self.state = review, state
        self.criteria = list(review.sheet.criteria) if review.sheet else []
        self.setObjectName("reviewScoreDialog")
        self.setWindowTitle(f"Оценка эксперта: {review.expert.short_name}")

        title = QLabel(f"<b>{state.title}</b><br>Эксперт: {review.expert.full_name} · раунд {review.round}"
                       + (f" · лист «{review.sheet.title}»" if review.sheet else ""), self)
        title.setWordWrap(True)
        self.table = QTableWidget(len(self.criteria), 3, self)
        self.table.setObjectName("criteriaTable")
        self.table.setHorizontalHeaderLabels(("Критерий", "Макс.", "Балл"))
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.score_edits: dict[str, QLineEdit] = {}
        for row, c in enumerate(self.criteria):
            item = QTableWidgetItem(f"{row + 1}. {c.title}")
            item.setToolTip(c.title)
            self.table.setItem(row, 0, item)
            self.table.setItem(row, 1, QTableWidgetItem(f"{c.max_score:g}"))
            edit = QLineEdit(self.table)
            edit.setObjectName(f"score_{c.code}")
            edit.setPlaceholderText(f"0–{c.max_score:g}")
            if c.code in review.scores:
                edit.setText(f"{review.scores[c.code]:g}".replace(".", ","))
            edit.textChanged.connect(self._on_scores_changed)
            self.table.setCellWidget(row, 2, edit)
            self.score_edits[c.code] = edit
        # Two lines of a criterion's title fit; the whole title is in the tooltip.
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.table.fontMetrics().height() * 2 + 12)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(2, 80)
        self.total_label = QLabel(self)
        self.total_label.setObjectName("totalLabel")
        self.conclusion_edit = QPlainTextEdit(review.conclusion, self)
        self.conclusion_edit.setPlaceholderText("Заключение эксперта: достоинства, замечания, рекомендации")
        self.conclusion_edit.setMaximumHeight(110)
        self.recommendation = QComboBox(self)
        for d in RECOMMENDATIONS:
            self.recommendation.addItem(d.label, d.value)
        if not review.is_pending:
            self.recommendation.setCurrentIndex(max(0, self.recommendation.findData(review.decision)))
        self.date_editor = make_editor(service, spec_for("reviews").field("decided_on"), self)
        self.date_editor.set_value(review.decided_on or date.today())
        self.error_label = QLabel(self)
        self.error_label.setObjectName("fieldError")
        self.error_label.setStyleSheet(f"color: {ALARM_TEXT};")
        self.error_label.setWordWrap(True)

        form = QFormLayout()
        form.addRow("Заключение", self.conclusion_edit)
        form.addRow("Рекомендация", self.recommendation)
        form.addRow("Дата заключения", self.date_editor)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("Сохранить", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Отмена", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        messages.fit_to_screen(self, 760, 640)
        if state.status != "in_review" or review.round != state.current_round:
            self.save_button.setEnabled(False)
            self.error_label.setText(f"Оценку менять нельзя: материал в состоянии «{state.status_label}», "
                                     f"раунд {state.current_round}.")
        self._on_scores_changed()

    def set_score(self, code: str, text: str) -> None:
        self.score_edits[code].setText(text)

    @Slot()
    def _on_scores_changed(self) -> None:
        total, problems = 0.0, []
        for c in self.criteria:
            edit = self.score_edits[c.code]
            value = _number(edit.text()) if edit.text().strip() else None
            bad = edit.text().strip() and (value is None or value < 0 or value > c.max_score)
            edit.setStyleSheet(f"color: {ALARM_TEXT}; font-weight: bold;" if bad else "")
            if bad:
                problems.append(f"«{c.title[:40]}…»: от 0 до {c.max_score:g}")
            elif value is not None:
                total += value
        maximum = sum(c.max_score for c in self.criteria)
        self.total_label.setText(f"Итого: {total:g} из {maximum:g}".replace(".", ",")
                                 + (" · исправьте: " + "; ".join(problems) if problems else ""))

    @Slot()
    def save(self) -> bool:
        scores = {code: edit.text() for code, edit in self.score_edits.items()}
        try:
            wf.score_review(self._service, self.review_id, scores, self.conclusion_edit.toPlainText(),
                            self.recommendation.currentData(), self.date_editor.value())
        except ServiceError as exc:
            self.error_label.setText(str(exc))
            return False
        self.accept()
        return True

    @classmethod
    def ask(cls, parent: QWidget | None, service: RecordService, review_id: str) -> bool:
        try:
            dialog = cls(service, review_id, parent)
        except ServiceError as exc:
            messages.show_error(parent, str(exc))
            return False
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()


def open_review(parent: QWidget | None, service: RecordService, record_id: str | None) -> str | None:
    """From the list «Экспертиза»: the expert's scores; experts are assigned in the material's review window."""
    if record_id is None:
        messages.show_error(parent, "Эксперта назначают в окне экспертизы материала: откройте материал "
                                    "и нажмите «Экспертиза…».")
        return None
    return record_id if ReviewScoreDialog.ask(parent, service, record_id) else None
