"""The экспертиза of one material: application, experts, their scores, the decision, the revised version.

Every button is one service call (app.services.materials.review_workflow) that either
does its step or refuses with a Russian message, which is shown here; the
window then re-reads the state. The conclusion and the protocol are saved
as PDF off the GUI thread.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Callable

from PySide6.QtCore import Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from app.domain.enums import CouncilDecision
from app.domain.validators import format_date
from app.export.pdf_review import write_conclusion_pdf, write_protocol_pdf
from app.services.materials import review_workflow as wf
from app.services.registry.specs import spec_for
from app.services.common.errors import ServiceError
from app.services.registry.service import RecordService
from app.services.materials.review_state import MaterialReview, ReviewInfo, material_review
from app.ui.common import messages
from app.ui.common.field_editors import make_editor
from app.ui.common.highlights import ALARM_BACKGROUND, ALARM_TEXT
from app.ui.materials.material_files_panel import choose_files
from app.ui.common.progress_dialog import TaskProgressDialog
from app.ui.common.task_runner import Task
from app.ui.common.documents import choose_pdf_path, open_document, suggested_pdf_path

REVIEW_COLUMNS = ("Раунд", "Эксперт", "Назначен", "Срок", "Итог", "Рекомендация", "Дата заключения")
HISTORY_COLUMNS = ("Раунд", "Дата", "Решение", "Кто принял", "Протокол", "Комментарий")
OLD_ROUND_TEXT = "#7a8391"


TABLE_MIN_HEIGHT = 60


def _table(columns: tuple[str, ...], parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(columns), parent)
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    # Below its hint, the table scrolls: on a 1280×720 screen (1920×1080 at 150 %) the dialog must fit.
    table.setMinimumHeight(TABLE_MIN_HEIGHT)
    return table


class ReviewDialog(QDialog):
    def __init__(self, service: RecordService, material_id: str, parent: QWidget | None = None,
                 today: Callable[[], date] = date.today):
        super().__init__(parent)
        self._service = service
        self.material_id = material_id
        self.today = today
        self.state: MaterialReview = material_review(service.db, material_id)
        self.export_task: Task | None = None
        self.setObjectName("reviewDialog")
        self.setWindowTitle(f"Экспертиза: {self.state.title}")

        self.title_label = QLabel(self)
        self.title_label.setObjectName("dialogTitle")
        self.title_label.setWordWrap(True)
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        self.submit_button = QPushButton("Подать заявку на экспертизу", self)
        self.revision_button = QPushButton("Подать доработанную версию…", self)
        self.revision_button.setToolTip("Новый файл материала открывает следующий раунд экспертизы")
        self.protocol_button = QPushButton("Протокол совета (PDF)…", self)
        self.submit_button.clicked.connect(self.submit_application)
        self.revision_button.clicked.connect(lambda: self.submit_revision())
        self.protocol_button.clicked.connect(lambda: self.save_protocol())
        top = QHBoxLayout()
        for b in (self.submit_button, self.revision_button, self.protocol_button):
            top.addWidget(b)
        top.addStretch(1)

        reviews_box = QGroupBox("Эксперты и их заключения", self)
        self.reviews = _table(REVIEW_COLUMNS, reviews_box)
        # Every column as wide as its contents; a narrow dialog scrolls the table rather than cut the date.
        self.reviews.horizontalHeader().setStretchLastSection(False)
        # The header and two experts at the least: a round has two or three.
        self.reviews.setMinimumHeight(self.reviews.horizontalHeader().sizeHint().height()
                                      + 2 * self.reviews.verticalHeader().defaultSectionSize() + 6)
        self.reviews.setObjectName("reviewsTable")
        self.reviews.itemSelectionChanged.connect(self._update_buttons)
        self.reviews.doubleClicked.connect(lambda _i: self.score_selected())
        review_field = spec_for("reviews").field("expert_id")
        self.expert_editor = make_editor(service, review_field, reviews_box)
        self.expert_editor.setObjectName("expertLookup")
        self.expert_editor.line.setPlaceholderText("Эксперт: начните вводить фамилию педагога…")
        self.due_editor = make_editor(service, spec_for("reviews").field("due_on"), reviews_box)
        self.due_editor.set_value(today() + timedelta(days=wf.DEFAULT_REVIEW_DAYS))
        self.assign_button = QPushButton("Назначить эксперта", reviews_box)
        self.unassign_button = QPushButton("Снять эксперта", reviews_box)
        self.score_button = QPushButton("Оценить по критериям…", reviews_box)
        self.conclusion_button = QPushButton("Заключение (PDF)…", reviews_box)
        self.assign_button.clicked.connect(self.assign_chosen)
        self.unassign_button.clicked.connect(self.unassign_selected)
        self.score_button.clicked.connect(self.score_selected)
        self.conclusion_button.clicked.connect(lambda: self.save_conclusion())
        assign_row = QHBoxLayout()
        assign_row.addWidget(self.expert_editor, 1)
        assign_row.addWidget(QLabel("срок:", reviews_box))
        assign_row.addWidget(self.due_editor)
        assign_row.addWidget(self.assign_button)
        review_buttons = QHBoxLayout()
        for b in (self.score_button, self.conclusion_button, self.unassign_button):
            review_buttons.addWidget(b)
        review_buttons.addStretch(1)
        reviews_layout = QVBoxLayout(reviews_box)
        reviews_layout.addWidget(self.reviews, 1)
        reviews_layout.addLayout(review_buttons)
        reviews_layout.addLayout(assign_row)

        decision_box = QGroupBox("Решение по итогам экспертизы", self)
        self.decision_combo = QComboBox(decision_box)
        for code, label in CouncilDecision.choices():
            self.decision_combo.addItem(label, code)
        self.protocol_edit = QLineEdit(decision_box)
        self.protocol_edit.setPlaceholderText("номер протокола методического совета")
        self.comment_edit = QPlainTextEdit(decision_box)
        self.comment_edit.setPlaceholderText("Что доработать или почему отклонено (для «Одобрено» — по желанию)")
        self.comment_edit.setMaximumHeight(70)
        self.decide_button = QPushButton("Принять решение", decision_box)
        self.decide_button.clicked.connect(self.decide)
        form = QFormLayout(decision_box)
        form.addRow("Решение", self.decision_combo)
        form.addRow("Протокол №", self.protocol_edit)
        form.addRow("Комментарий", self.comment_edit)
        decide_row = QHBoxLayout()
        decide_row.addWidget(self.decide_button)
        decide_row.addStretch(1)
        form.addRow("", decide_row)

        history_box = QGroupBox("История решений", self)
        self.history = _table(HISTORY_COLUMNS, history_box)
        self.history.setObjectName("historyTable")
        QVBoxLayout(history_box).addWidget(self.history)

        self.message_label = QLabel(self)
        self.message_label.setObjectName("messageLabel")
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Закрыть")

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.summary_label)
        layout.addLayout(top)
        layout.addWidget(reviews_box, 4)       # the experts first: a round has two or three
        layout.addWidget(decision_box)
        layout.addWidget(history_box, 1)
        layout.addWidget(self.message_label)
        layout.addWidget(close)
        messages.fit_to_screen(self, 900, 820)
        self.reload()

    # -- showing -------------------------------------------------------------
    def reload(self) -> None:
        self.state = s = material_review(self._service.db, self.material_id)
        self.title_label.setText(s.title)
        files = ", ".join(f.file_name for f in s.round_files()) or "нет файлов"
        self.summary_label.setText(
            f"Состояние: <b>{s.status_label}</b> · раунд {s.current_round} · {s.kind_label}<br>"
            f"Авторы: {s.authors_text or 'не указаны'} · файлы версии: {files}")
        today = self.today()
        rows = sorted(s.reviews, key=lambda r: (r.round != s.current_round, -r.round))
        self._review_ids = [r.id for r in rows]
        self.reviews.setRowCount(len(rows))
        for row, r in enumerate(rows):
            maximum = r.sheet.max_total if r.sheet else None
            total = "" if r.total is None else (f"{r.total:g} из {maximum:g}" if maximum else f"{r.total:g}")
            cells = (str(r.round), r.expert.full_name, format_date(r.assigned_on), format_date(r.due_on),
                     total.replace(".", ","), r.decision_label, format_date(r.decided_on))
            overdue = r.is_overdue(today)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if overdue:
                    item.setBackground(QBrush(QColor(ALARM_BACKGROUND)))
                    item.setForeground(QBrush(QColor(ALARM_TEXT)))
                    item.setToolTip(f"Срок экспертизы истёк {format_date(r.due_on)}, заключения нет")
                elif r.round != s.current_round:
                    item.setForeground(QBrush(QColor(OLD_ROUND_TEXT)))
                self.reviews.setItem(row, column, item)
        decisions = list(reversed(s.decisions))
        self.history.setRowCount(len(decisions))
        for row, d in enumerate(decisions):
            for column, text in enumerate((str(d.round), format_date(d.decided_on), d.decision_label, d.decided_by,
                                           d.protocol_number, d.comment)):
                self.history.setItem(row, column, QTableWidgetItem(text))
        self._update_buttons()

    def overdue_rows(self) -> list[int]:
        today = self.today()
        by_id = {r.id: r for r in self.state.reviews}
        return [row for row, rid in enumerate(self._review_ids) if by_id[rid].is_overdue(today)]

    def review_texts(self) -> list[list[str]]:
        return [[self.reviews.item(r, c).text() for c in range(self.reviews.columnCount())]
                for r in range(self.reviews.rowCount())]

    def selected_review(self) -> ReviewInfo | None:
        row = self.reviews.currentRow()
        if not (0 <= row < len(self._review_ids)) or not self.reviews.selectedItems():
            return None
        return next(r for r in self.state.reviews if r.id == self._review_ids[row])

    def select_review(self, review_id: str) -> None:
        self.reviews.selectRow(self._review_ids.index(review_id))

    def _update_buttons(self) -> None:
        s, chosen = self.state, self.selected_review()
        self.submit_button.setEnabled(s.can_submit)
        self.revision_button.setEnabled(s.can_revise)
        self.protocol_button.setEnabled(bool(s.decisions) or bool(s.reviews))
        self.assign_button.setEnabled(s.can_assign)
        current = chosen is not None and chosen.round == s.current_round
        self.score_button.setEnabled(current and s.status == "in_review")
        self.unassign_button.setEnabled(current and chosen.is_pending and s.status in ("submitted", "in_review"))
        self.conclusion_button.setEnabled(chosen is not None and not chosen.is_pending)
        self.decide_button.setEnabled(s.status == "in_review")

    def _say(self, text: str, *, done: bool = False) -> None:
        messages.show_in_line(self.message_label, text, done=done)

    # -- steps ---------------------------------------------------------------
    def _run(self, step: Callable[[], object], done: str) -> bool:
        try:
            step()
        except ServiceError as exc:
            self._say(str(exc))
            messages.show_error(self, str(exc))
            return False
        self._say(done, done=True)
        self.reload()
        return True

    @Slot()
    def submit_application(self) -> bool:
        return self._run(lambda: wf.submit(self._service, self.material_id, self.today()), "Заявка подана.")

    @Slot()
    def assign_chosen(self) -> bool:
        expert_id = self.expert_editor.value()
        if not expert_id:
            messages.show_error(self, "Выберите эксперта: начните вводить фамилию педагога и щёлкните по нему.")
            return False
        ok = self._run(lambda: wf.assign_expert(self._service, self.material_id, expert_id,
                                                due_on=self.due_editor.value(), assigned_on=self.today()),
                       "Эксперт назначен.")
        if ok:
            self.expert_editor.set_record(None)
        return ok

    @Slot()
    def unassign_selected(self) -> bool:
        chosen = self.selected_review()
        return chosen is not None and self._run(lambda: wf.unassign_expert(self._service, chosen.id),
                                                "Эксперт снят.")

    @Slot()
    def score_selected(self) -> bool:
        chosen = self.selected_review()
        if chosen is None or not self.score_button.isEnabled():
            return False
        from app.ui.materials.review_score_dialog import ReviewScoreDialog

        saved = ReviewScoreDialog.ask(self, self._service, chosen.id)
        self.reload()
        return saved

    @Slot()
    def decide(self) -> bool:
        return self._run(lambda: wf.decide(self._service, self.material_id, self.decision_combo.currentData(),
                                           comment=self.comment_edit.toPlainText(),
                                           protocol_number=self.protocol_edit.text(), decided_on=self.today()),
                         "Решение принято.")

    def submit_revision(self, paths: list[str] | None = None) -> bool:
        paths = paths if paths is not None else choose_files(self)
        if not paths:
            return False
        return self._run(lambda: wf.submit_revision(self._service, self.material_id, paths, self.today()),
                         "Доработанная версия подана: начат новый раунд экспертизы.")

    # -- documents -----------------------------------------------------------
    def save_conclusion(self, path: str | None = None) -> Task | None:
        chosen = self.selected_review()
        if chosen is None:
            return None
        db = self._service.db
        return self._save_pdf(path, f"Экспертное заключение — {chosen.expert.short_name}",
                              lambda target: write_conclusion_pdf(db, chosen.id, target))

    def save_protocol(self, path: str | None = None) -> Task | None:
        db, material_id = self._service.db, self.material_id
        number = self.state.decisions[-1].protocol_number if self.state.decisions else ""
        return self._save_pdf(path, "Протокол методического совета",
                              lambda target: write_protocol_pdf(db, [material_id], target, number=number))

    def _save_pdf(self, path: str | None, what: str, writer) -> Task | None:
        path = path or choose_pdf_path(self, suggested_pdf_path(what, self.state.title[:60]))
        if not path:
            return None

        def work(progress, _is_cancelled):
            progress(0.1, f"{what}…")
            written = writer(path)
            progress(1.0, "Готово")
            return str(written)

        task = Task(work, self)
        task.succeeded.connect(self._on_document_written)
        task.failed.connect(lambda exc: messages.show_error(self, f"Не удалось сохранить документ. {exc}"))
        self.export_task = task
        dialog = TaskProgressDialog(task, "Сохранение документа", f"{what}…", self)
        task.start()
        dialog.show()
        return task

    @Slot(object)
    def _on_document_written(self, path: str) -> None:
        self._say(messages.saved_text(path))
        if messages.document_saved(self, path):
            open_document(path)

    @classmethod
    def show_for(cls, parent: QWidget | None, service: RecordService, material_id: str) -> None:
        try:
            dialog = cls(service, material_id, parent)
        except ServiceError as exc:
            messages.show_error(parent, str(exc))
            return
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
