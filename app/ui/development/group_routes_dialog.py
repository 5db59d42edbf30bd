"""«Маршруты для группы…»: one individual route (ИОМ) from a template for each chosen teacher.

The teachers come from an organisation, a community or the list on the
«Педагоги» page as it is filtered now; each can be unticked. The template is
the period, the goals, the deficits addressed and the items (edited in the
same sub-dialog as a single route's items). «Создать маршруты» runs
``create_group_routes`` off the GUI thread with progress and Cancel: all the
routes are written in one transaction, or none. «План группы (PDF)…» saves
the plan of the routes the checked teachers already have (write_group_plan_pdf).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QButtonGroup, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QListWidget,
    QListWidgetItem, QPlainTextEdit, QPushButton, QRadioButton, QTabWidget, QVBoxLayout, QWidget,
)

from app.domain.validators import ValidationError, parse_date
from app.export.pdf_documents import write_group_plan_pdf
from app.services.development import ItemTemplate, RouteTemplate, create_group_routes
from app.services.registry.specs import spec_for
from app.services.common.errors import ServiceError
from app.services.common.fields import DATE, Field
from app.services.registry.service import RecordService
from app.ui.development.competences_editor import CompetencesEditor
from app.ui.common.field_editors import DateEditor, RefEditor
from app.ui.common.progress_dialog import TaskProgressDialog
from app.ui.common.record_text import record_label
from app.ui.development.route_items import RouteItemsEditor
from app.ui.common import messages
from app.ui.common.task_runner import Task
from app.ui.common.documents import choose_pdf_path, open_document, suggested_pdf_path
from app.ui.common.messages import dialog_heading

ID_ROLE = Qt.ItemDataRole.UserRole
SOURCE_ORGANIZATION, SOURCE_COMMUNITY, SOURCE_CURRENT = "organization", "community", "current"
# The items table's «Факт: сроки» and «Состояние» (route_items.HEADERS).
FACT_COLUMN, STATE_COLUMN = 5, 8
# An organisation of a large city has a few hundred teachers; the list shows them all.
MAX_TEACHERS = 5000
# The template's tabs; their texts count the items and the deficits chosen.
ITEMS_TAB, GOALS_TAB = "Содержание маршрута", "Цели и дефициты"
# As wide and high as the two columns want; on a smaller screen, 90 % of what it leaves (messages.fit_to_screen).
DIALOG_SIZE = (1180, 760)


def _date(editor: DateEditor) -> date | None:
    try:
        return parse_date(editor.value()) if editor.value().strip() else None
    except ValidationError:
        return None


class GroupRoutesDialog(QDialog):
    """See the module docstring. ``created_ids`` holds the new route ids after a successful run."""

    def __init__(self, service: RecordService, current_ids: list[str] | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._service = service
        self._current_ids = list(current_ids or [])
        self.created_ids: list[str] = []
        self.task: Task | None = None
        self.progress_dialog: TaskProgressDialog | None = None
        self.setObjectName("groupRoutesDialog")
        self.setWindowTitle("Маршруты для группы педагогов")
        self.setModal(True)
        title, hint = dialog_heading(
            self, "Маршруты для группы педагогов",
            "Каждому выбранному педагогу создаётся свой маршрут по шаблону. Маршруты создаются "
            "все сразу или ни одного; потом каждый можно изменить в его карточке.")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.addWidget(title)
        layout.addWidget(hint)
        columns = QHBoxLayout()
        columns.addWidget(self._build_teachers(), 2)
        columns.addWidget(self._build_template(), 3)
        layout.addLayout(columns, 1)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("messageLabel")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(self)
        self.create_button = self.buttons.addButton("Создать маршруты", QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setObjectName("createRoutes")
        self.cancel_button = self.buttons.addButton("Отмена", QDialogButtonBox.ButtonRole.RejectRole)
        self.plan_button = self.buttons.addButton("План группы (PDF)…", QDialogButtonBox.ButtonRole.ActionRole)
        self.plan_button.setObjectName("groupPlanPdf")
        self.plan_button.setToolTip("Сохранить план маршрутов отмеченных педагогов: педагог × элементы маршрута, "
                                    "сроки и состояние")
        self.plan_button.clicked.connect(self.export_plan)
        self.create_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)
        messages.fit_to_screen(self, *DIALOG_SIZE)
        self._update_state()

    # -- building ----------------------------------------------------------
    def _build_teachers(self) -> QGroupBox:
        box = QGroupBox("Педагоги", self)
        self.organization_radio = QRadioButton("из организации:", box)
        self.community_radio = QRadioButton("из сообщества:", box)
        self.current_radio = QRadioButton(
            f"текущий список раздела «Педагоги» ({len(self._current_ids)})", box)
        self.current_radio.setToolTip("Педагоги, которых сейчас показывает список с его поиском и фильтрами")
        self.current_radio.setEnabled(bool(self._current_ids))
        self.source_group = QButtonGroup(box)
        for radio in (self.organization_radio, self.community_radio, self.current_radio):
            self.source_group.addButton(radio)
        self.organization_editor = RefEditor(self._service, spec_for("teachers").field("organization_id"), box)
        self.organization_editor.setObjectName("groupOrganization")
        self.community_editor = RefEditor(self._service, Field("community_id", "Сообщество", "ref",
                                                               ref="communities"), box)
        self.community_editor.setObjectName("groupCommunity")
        self.organization_editor.changed.connect(lambda: self._choose_source(SOURCE_ORGANIZATION))
        self.community_editor.changed.connect(lambda: self._choose_source(SOURCE_COMMUNITY))
        self.current_radio.toggled.connect(lambda on: on and self._choose_source(SOURCE_CURRENT))
        self.organization_radio.toggled.connect(lambda on: on and self._choose_source(SOURCE_ORGANIZATION))
        self.community_radio.toggled.connect(lambda on: on and self._choose_source(SOURCE_COMMUNITY))

        self.teacher_list = QListWidget(box)
        self.teacher_list.setObjectName("groupTeachers")
        # A long position is cut with «…» (the whole line is the item's tooltip), not scrolled sideways.
        self.teacher_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.teacher_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.teacher_list.itemChanged.connect(lambda _item: self._update_state())
        self.count_label = QLabel(box)
        self.count_label.setObjectName("hintLabel")
        all_button = QPushButton("Отметить всех", box)
        none_button = QPushButton("Снять отметки", box)
        all_button.clicked.connect(lambda: self._check_all(True))
        none_button.clicked.connect(lambda: self._check_all(False))

        grid = QFormLayout()
        grid.addRow(self.organization_radio, self.organization_editor)
        grid.addRow(self.community_radio, self.community_editor)
        grid.addRow(self.current_radio)
        marks = QHBoxLayout()
        marks.addWidget(all_button)
        marks.addWidget(none_button)
        marks.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addLayout(grid)
        layout.addWidget(self.teacher_list, 1)
        layout.addLayout(marks)
        layout.addWidget(self.count_label)
        return box

    def _build_template(self) -> QGroupBox:
        box = QGroupBox("Шаблон маршрута", self)
        self.start_editor = DateEditor(Field("period_start", "Начало периода", DATE), box)
        self.end_editor = DateEditor(Field("period_end", "Конец периода", DATE), box)
        today = date.today()
        self.start_editor.set_value(today)
        self.end_editor.set_value(date(today.year + (1 if today.month >= 9 else 0), 5, 31))
        self.start_editor.changed.connect(self._update_state)
        self.end_editor.changed.connect(self._update_state)
        self.goals_edit = QPlainTextEdit(box)
        self.goals_edit.setObjectName("groupGoals")
        self.goals_edit.setFixedHeight(self.goals_edit.fontMetrics().lineSpacing() * 4 + 14)
        # One column on a tab of its own: two columns beside the teachers made the dialog wider than 1366.
        self.deficits_editor = CompetencesEditor(Field("deficits", "Дефициты"), box, columns=1)
        self.deficits_editor.setObjectName("groupDeficits")
        self.deficits_editor.changed.connect(self._update_state)
        self.items_editor = RouteItemsEditor(self._service, box)
        self.items_editor.setObjectName("groupItems")
        self.items_editor.notice.setText("Элементы получит маршрут каждого педагога (в состоянии «запланировано»).")
        self.items_editor.changed.connect(self._update_state)
        # A template plans: the facts and the states come later, in each teacher's route.
        for column in (FACT_COLUMN, STATE_COLUMN):
            self.items_editor.table.setColumnHidden(column, True)

        period = QHBoxLayout()
        period.addWidget(self.start_editor)
        period.addWidget(QLabel("—", box))
        period.addWidget(self.end_editor)
        period.addStretch(1)
        form = QFormLayout()
        form.addRow("Период *", period)
        goals_page = QWidget(box)
        goals_form = QFormLayout(goals_page)
        goals_form.setContentsMargins(0, 8, 0, 0)
        goals_form.addRow("Цели", self.goals_edit)
        goals_form.addRow("Дефициты", self.deficits_editor)
        items_page = QWidget(box)
        items_layout = QVBoxLayout(items_page)
        items_layout.setContentsMargins(0, 8, 0, 0)
        items_layout.addWidget(self.items_editor)
        self.template_tabs = QTabWidget(box)
        self.template_tabs.setObjectName("groupTemplateTabs")
        self.template_tabs.setDocumentMode(True)
        self.template_tabs.addTab(items_page, ITEMS_TAB)
        self.template_tabs.addTab(goals_page, GOALS_TAB)
        layout = QVBoxLayout(box)
        layout.addLayout(form)
        layout.addWidget(self.template_tabs, 1)
        return box

    # -- the teachers --------------------------------------------------------
    def _choose_source(self, source: str) -> None:
        radio = {SOURCE_ORGANIZATION: self.organization_radio, SOURCE_COMMUNITY: self.community_radio,
                 SOURCE_CURRENT: self.current_radio}[source]
        if not radio.isChecked():
            radio.blockSignals(True)
            radio.setChecked(True)
            radio.blockSignals(False)
        self._fill(self._teacher_ids(source))

    def _teacher_ids(self, source: str) -> list[str]:
        if source == SOURCE_CURRENT:
            return list(self._current_ids)
        if source == SOURCE_ORGANIZATION:
            org = self.organization_editor.value()
            return self._service.ids("teachers", filters={"organization_id": org})[:MAX_TEACHERS] if org else []
        community = self.community_editor.value()
        if not community:
            return []
        members = self._service.list("community_members", filters={"community_id": community}).rows
        return list(dict.fromkeys(r["teacher_id"] for r in members if r.get("teacher_id")))

    def _fill(self, ids: list[str]) -> None:
        rows = self._service.rows("teachers", ids) if ids else {}
        self.teacher_list.blockSignals(True)
        self.teacher_list.clear()
        for teacher_id in ids:
            row = rows.get(teacher_id)
            if row is None:
                continue
            label = record_label("teachers", row)
            # Within one organisation the position tells people apart; elsewhere the organisation does.
            extra = row.get("position") if self.organization_radio.isChecked() else row.get("organization")
            if extra:
                label += f" — {extra}"
            item = QListWidgetItem(label, self.teacher_list)
            item.setData(ID_ROLE, teacher_id)
            item.setToolTip(label)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        self.teacher_list.blockSignals(False)
        self._update_state()

    def show_teachers(self, source: str, record_id: str | None = None, label: str = "") -> None:
        """Chooses the source (and the organisation or community) as the user does by picking it."""
        if source == SOURCE_ORGANIZATION:
            self.organization_editor.set_record(record_id, label)
        elif source == SOURCE_COMMUNITY:
            self.community_editor.set_record(record_id, label)
        self._choose_source(source)

    def _check_all(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for i in range(self.teacher_list.count()):
            self.teacher_list.item(i).setCheckState(state)

    def set_checked(self, teacher_id: str, on: bool) -> None:
        for i in range(self.teacher_list.count()):
            item = self.teacher_list.item(i)
            if item.data(ID_ROLE) == teacher_id:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def chosen_ids(self) -> list[str]:
        return [self.teacher_list.item(i).data(ID_ROLE) for i in range(self.teacher_list.count())
                if self.teacher_list.item(i).checkState() == Qt.CheckState.Checked]

    def set_deficits(self, codes: list[str]) -> None:
        self.deficits_editor.set_codes(codes)

    # -- the template --------------------------------------------------------
    def problems(self) -> list[str]:
        out = []
        if not self.chosen_ids():
            out.append("не выбран ни один педагог")
        start, end = _date(self.start_editor), _date(self.end_editor)
        if start is None or end is None:
            out.append("укажите начало и конец периода (дд.мм.гггг)")
        elif end < start:
            out.append("конец периода раньше его начала")
        if not self.items_editor.model.items():
            out.append("добавьте в шаблон хотя бы один элемент")
        return out

    def template(self) -> RouteTemplate:
        items = []
        for item in self.items_editor.model.items():
            v: dict[str, Any] = item.values
            items.append(ItemTemplate(
                kind=v["kind"], formality=v["formality"], title=v.get("title") or "",
                programme_id=v.get("programme_id") or None, planned_start=v.get("planned_start"),
                planned_end=v.get("planned_end"), hours=float(v.get("hours") or 0),
                credits=float(v["credits"]) if v.get("credits") else None))
        deficits = [c for c in self.deficits_editor.value().split(",") if c]
        return RouteTemplate(period_start=_date(self.start_editor), period_end=_date(self.end_editor),
                             goals=self.goals_edit.toPlainText().strip(), deficits=deficits, items=tuple(items))

    @Slot()
    def _update_state(self) -> None:
        chosen, total = len(self.chosen_ids()), self.teacher_list.count()
        self.count_label.setText(f"Отмечено: {chosen} из {total}" if total else
                                 "Выберите организацию, сообщество или текущий список педагогов.")
        items = len(self.items_editor.model.items())
        self.template_tabs.setTabText(0, f"{ITEMS_TAB} ({items})" if items else ITEMS_TAB)
        deficits = len([c for c in self.deficits_editor.value().split(",") if c])
        self.template_tabs.setTabText(1, f"{GOALS_TAB} ({deficits})" if deficits else GOALS_TAB)
        problems = self.problems()
        busy = self.task is not None and self.task.is_running()
        self.create_button.setEnabled(not problems and not busy)
        self.create_button.setText(f"Создать маршруты ({chosen})" if chosen else "Создать маршруты")
        self.create_button.setToolTip("Нужно: " + "; ".join(problems) if problems else "")
        self.plan_button.setEnabled(bool(chosen) and not busy)

    # -- running -------------------------------------------------------------
    @Slot()
    def start(self) -> Task | None:
        if self.problems() or (self.task is not None and self.task.is_running()):
            return None
        db, actor = self._service.db, self._service.actor
        ids, template = self.chosen_ids(), self.template()

        def work(progress, is_cancelled):
            return create_group_routes(db, actor, ids, template, progress=progress, is_cancelled=is_cancelled)

        self.error_label.hide()
        task = Task(work, self)
        task.succeeded.connect(self._on_done)
        task.failed.connect(self._on_failed)
        task.cancelled.connect(lambda: self._show_error("Создание маршрутов отменено: ни один маршрут не создан."))
        task.finished.connect(self._update_state)
        self.task = task
        self.progress_dialog = TaskProgressDialog(task, self.windowTitle(),
                                                  f"Создание маршрутов ({len(ids)})…", self)
        task.start()
        self._update_state()
        self.progress_dialog.show()
        return task

    @Slot(object)
    def _on_done(self, created: list[str]) -> None:
        self.created_ids = list(created)
        self.accept()

    @Slot(object)
    def _on_failed(self, exc: BaseException) -> None:
        text = str(exc) if isinstance(exc, ServiceError) else f"Внутренняя ошибка программы: {exc}"
        self._show_error(f"Маршруты не созданы. {text}")

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    # -- the group's plan ------------------------------------------------------
    @Slot()
    def export_plan(self) -> Task | None:
        """«План группы (PDF)…»: the routes the checked teachers already have, saved as a PDF."""
        ids = self.chosen_ids()
        if not ids or (self.task is not None and self.task.is_running()):
            return None
        path = choose_pdf_path(self, suggested_pdf_path("План маршрутов группы", f"{len(ids)} педагогов"))
        if not path:
            return None
        db = self._service.db

        def work(progress, _is_cancelled):
            progress(0.1, f"План маршрутов: {len(ids)} педагогов…")
            return str(write_group_plan_pdf(db, ids, path))

        task = Task(work, self)
        task.succeeded.connect(lambda written: messages.document_saved(self, written) and open_document(written))
        task.failed.connect(lambda exc: self._show_error(f"Не удалось сохранить документ. {exc}"))
        task.finished.connect(self._update_state)
        self.task = task
        self.progress_dialog = TaskProgressDialog(task, "Сохранение документа", "План маршрутов группы…", self)
        task.start()
        self._update_state()
        self.progress_dialog.show()
        return task

    def reject(self) -> None:
        if self.task is not None and self.task.is_running():
            return
        super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, service: RecordService, current_ids: list[str] | None = None) -> list[str]:
        """Shows the dialog; the ids of the routes created (empty if none)."""
        dialog = cls(service, current_ids, parent)
        try:
            dialog.exec()
            return dialog.created_ids
        finally:
            dialog.deleteLater()
