"""The card of a teacher: who, where, consent, the next professional development, and in tabs
the routes (ИОМ), events, materials and credits — read-only, with «Изменить данные» for the form.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QItemSelection, Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QSplitter,
    QTabWidget, QVBoxLayout, QWidget,
)

from app.domain import rules
from app.domain.validators import format_date
from app.domain.wording import plural
from app.services.common.errors import NotFound, ServiceError
from app.services.access.permissions import SEE_PERSONAL_DATA, has
from app.services.registry.service import RecordService
from app.services.registry.teacher_card import TeacherCard, TrajectoryRow, teacher_card
from app.ui.common import messages
from app.ui.common.documents import choose_pdf_path, open_document, suggested_pdf_path
from app.ui.common.progress_dialog import TaskProgressDialog
from app.ui.common.record_dialog import SECTION_STYLE, RecordDialog
from app.ui.common.highlights import ALARM_BACKGROUND, ALARM_TEXT, WARNING_BACKGROUND, WARNING_TEXT
from app.ui.common.task_runner import Task
from app.ui.registry.teacher_card_tables import (
    CREDIT_COLUMNS, DIAGNOSTIC_COLUMNS, EMPTY, ITEM_COLUMNS, MATERIAL_COLUMNS, PARTICIPATION_COLUMNS,
    TRAJECTORY_COLUMNS, CardTableModel, TablePane, number_text, period_text,
)

# Wide enough for the nine columns of a route's items; on a smaller screen, 90 % of what it leaves
# (messages.fit_to_screen): 1229×655 on a 1366×768 monitor with a taskbar.
DIALOG_SIZE = (1240, 780)
# The routes' table shows up to this many rows before it scrolls; the items get the rest of the tab.
ROUTE_ROWS = 4

_PD_STYLE = {
    rules.PdStatus.OVERDUE: (ALARM_BACKGROUND, ALARM_TEXT),
    rules.PdStatus.DUE_SOON: (WARNING_BACKGROUND, WARNING_TEXT),
    rules.PdStatus.OK: ("#e6f4ea", "#1e6b34"),
    rules.PdStatus.UNKNOWN: ("#eef2f6", "#34495e"),
}


# The documents the card can save: (button, file name prefix, progress text, writer in
# app.export.pdf_documents — named, so that reportlab loads only when a PDF is made).
DOCUMENTS = {
    "iom": ("ИОМ (PDF)…", "ИОМ", "Индивидуальный образовательный маршрут", "write_iom_pdf"),
    "credits": ("Выписка о з.е. (PDF)…", "Выписка о з.е.", "Выписка о зачётных единицах", "write_credits_pdf"),
}


def pd_text(card: TeacherCard) -> str:
    """«Следующее повышение квалификации — не позднее 15.05.2026: просрочено (последнее — 15.05.2023)»."""
    if card.pd_due is None:
        return ("Следующее повышение квалификации: срок неизвестен — не указаны ни последнее "
                "повышение квалификации, ни начало педагогического стажа")
    text = f"Следующее повышение квалификации — не позднее {format_date(card.pd_due)}: {card.pd_status_label}"
    if card.last_pd_on is not None:
        text += f" (последнее — {format_date(card.last_pd_on)})"
    else:
        text += " (повышений квалификации не отмечено; срок считается от начала стажа)"
    return text


class TeacherCardDialog(QDialog):
    def __init__(self, service: RecordService, teacher_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._service = service
        self.teacher_id = teacher_id
        self.card: TeacherCard | None = None
        self.changed = False            # the teacher was edited from the card
        self.setObjectName("teacherCard")
        self.setStyleSheet(SECTION_STYLE)
        messages.fit_to_screen(self, *DIALOG_SIZE)

        self.name_label = QLabel(self)
        self.name_label.setObjectName("dialogTitle")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.job_label = QLabel(self)
        self.job_label.setObjectName("pageDescription")
        self.job_label.setWordWrap(True)
        self.pd_label = QLabel(self)
        self.pd_label.setObjectName("pdLabel")
        self.pd_label.setWordWrap(True)

        self.values: dict[str, QLabel] = {}
        personal = self._group("Личные данные", (
            ("birth_date", "Дата рождения"), ("snils", "СНИЛС"), ("email", "Электронная почта"),
            ("phone", "Телефон"), ("young", "Молодой педагог")))
        work = self._group("Работа", (
            ("organization", "Организация"), ("position", "Должность"), ("subjects", "Предметы"),
            ("category", "Категория"), ("career_start", "Стаж с"), ("hired_on", "Принят(а) на работу")))
        consent = self._group("Согласие на обработку ПДн", (
            ("consent_on", "Дата согласия"), ("consent_basis", "Основание")))
        facts = QHBoxLayout()
        facts.setSpacing(10)
        facts.addWidget(personal, 4)
        facts.addWidget(work, 5)
        facts.addWidget(consent, 3)

        self.trajectories = CardTableModel(TRAJECTORY_COLUMNS, parent=self)
        self.items = CardTableModel(ITEM_COLUMNS, parent=self)
        self.participations = CardTableModel(PARTICIPATION_COLUMNS, parent=self)
        self.materials = CardTableModel(MATERIAL_COLUMNS, parent=self)
        self.diagnostics = CardTableModel(DIAGNOSTIC_COLUMNS, parent=self)
        self.credits = CardTableModel(CREDIT_COLUMNS, parent=self)

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.trajectory_pane = TablePane(self.trajectories, "Индивидуальных образовательных маршрутов нет.", self)
        self.item_pane = TablePane(self.items, "В маршруте нет элементов.", self)
        self.items_title = QLabel(self)
        self.items_title.setObjectName("sectionLabel")
        items_box = QWidget(self)
        items_layout = QVBoxLayout(items_box)
        items_layout.setContentsMargins(0, 6, 0, 0)
        items_layout.addWidget(self.items_title)
        items_layout.addWidget(self.item_pane, 1)
        self.route_split = route_split = QSplitter(Qt.Orientation.Vertical, self)
        route_split.addWidget(self.trajectory_pane)
        route_split.addWidget(items_box)
        # A teacher has a route or two and each has many items: the items take what the routes leave.
        route_split.setStretchFactor(0, 0)
        route_split.setStretchFactor(1, 1)
        route_split.setChildrenCollapsible(False)
        self.trajectory_pane.table.selectionModel().selectionChanged.connect(self._on_trajectory_selected)
        self.trajectory_pane.table.doubleClicked.connect(lambda _index: self.edit_route())
        self.new_route_button = QPushButton("Новый маршрут", self)
        self.new_route_button.setObjectName("newRouteButton")
        self.new_route_button.setToolTip("Составить индивидуальный образовательный маршрут педагога")
        self.new_route_button.clicked.connect(self.new_route)
        self.edit_route_button = QPushButton("Изменить маршрут", self)
        self.edit_route_button.setObjectName("editRouteButton")
        self.edit_route_button.setToolTip("Открыть выбранный маршрут: сроки, цели, содержание")
        self.edit_route_button.clicked.connect(self.edit_route)
        route_tab = QWidget(self)
        route_layout = QVBoxLayout(route_tab)
        route_layout.setContentsMargins(0, 6, 0, 0)
        route_buttons = QHBoxLayout()
        route_buttons.addWidget(self.new_route_button)
        route_buttons.addWidget(self.edit_route_button)
        route_buttons.addStretch(1)
        route_layout.addLayout(route_buttons)
        route_layout.addWidget(route_split, 1)
        self.participation_pane = TablePane(self.participations, "Участия в мероприятиях нет.", self)
        self.material_pane = TablePane(self.materials, "Авторских материалов нет.", self)
        self.diagnostic_pane = TablePane(self.diagnostics, "Диагностика профессиональных дефицитов не проводилась.",
                                         self)
        self.credit_pane = TablePane(self.credits, "Выполненных элементов маршрутов пока нет.", self)
        self.total_label = QLabel(self)
        self.total_label.setObjectName("sectionLabel")
        credit_note = QLabel("Учитываются выполненные элементы индивидуальных маршрутов; год — по дате "
                             "фактического окончания (если её нет — по дате документа или плану).", self)
        credit_note.setObjectName("hintLabel")
        credit_note.setWordWrap(True)
        credit_box = QWidget(self)
        credit_layout = QVBoxLayout(credit_box)
        credit_layout.setContentsMargins(0, 0, 0, 0)
        credit_layout.addWidget(self.credit_pane, 1)
        credit_layout.addWidget(self.total_label)
        credit_layout.addWidget(credit_note)
        self.tabs.addTab(route_tab, "ИОМ")
        self.tabs.addTab(self.participation_pane, "Мероприятия")
        self.tabs.addTab(self.material_pane, "Материалы")
        self.tabs.addTab(self.diagnostic_pane, "Диагностика")
        self.tabs.addTab(credit_box, "Зачётные единицы")

        self.edit_button = QPushButton("Изменить данные", self)
        self.edit_button.clicked.connect(self.edit)
        self.export_task: Task | None = None
        self.iom_button = QPushButton(DOCUMENTS["iom"][0], self)
        self.iom_button.setObjectName("iomPdfButton")
        self.iom_button.setToolTip("Сохранить индивидуальный образовательный маршрут педагога в PDF")
        self.iom_button.clicked.connect(lambda: self.export_pdf("iom"))
        self.credits_button = QPushButton(DOCUMENTS["credits"][0], self)
        self.credits_button.setObjectName("creditsPdfButton")
        self.credits_button.setToolTip("Сохранить выписку о накопленных зачётных единицах в PDF")
        self.credits_button.clicked.connect(lambda: self.export_pdf("credits"))
        # PDFs mask СНИЛС unless asked otherwise, and only a role allowed to see it may ask.
        self.unmasked_check = QCheckBox("СНИЛС полностью", self)
        self.unmasked_check.setToolTip("Показать в PDF СНИЛС без маскирования")
        self.unmasked_check.setVisible(has(self._service.db, SEE_PERSONAL_DATA))
        buttons = QDialogButtonBox(self)
        self.close_button = buttons.addButton("Закрыть", QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.edit_button)
        bottom.addWidget(self.iom_button)
        bottom.addWidget(self.credits_button)
        bottom.addWidget(self.unmasked_check)
        bottom.addStretch(1)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(8)
        # The job beside the name, not under it: on a 1366×768 screen the tables need every line.
        heading = QHBoxLayout()
        heading.setSpacing(16)
        heading.addWidget(self.name_label, 0, Qt.AlignmentFlag.AlignBottom)
        heading.addWidget(self.job_label, 1, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(heading)
        layout.addWidget(self.pd_label)
        layout.addLayout(facts)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self.reload()

    def _group(self, title: str, rows) -> QGroupBox:
        box = QGroupBox(title, self)
        form = QFormLayout(box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setVerticalSpacing(2)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        for key, label in rows:
            caption = QLabel(label, box)
            caption.setObjectName("hintLabel")
            value = QLabel(box)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(caption, value)
            self.values[key] = value
        return box

    # -- showing -------------------------------------------------------------
    def reload(self) -> None:
        """Reads the card again (after an edit); the window closes if the teacher is gone."""
        try:
            card = teacher_card(self._service.db, self.teacher_id)
        except NotFound as exc:
            messages.show_error(self, str(exc))
            self.card = None
            self.reject()
            return
        self.card = card
        self.setWindowTitle(f"Карточка педагога: {card.full_name}")
        self.name_label.setText(card.full_name)
        self.job_label.setText(", ".join(p for p in (card.position, card.organization_name) if p)
                               or "Должность и организация не указаны")
        background, foreground = _PD_STYLE[card.pd_status]
        self.pd_label.setText(pd_text(card))
        self.pd_label.setStyleSheet(f"background: {background}; color: {foreground}; border-radius: 4px; "
                                    "padding: 6px 10px; font-weight: bold;")
        self.pd_label.setToolTip("Не реже одного раза в три года (273-ФЗ, ст. 47); отсчёт — от последнего "
                                 "повышения квалификации, а если его нет — от начала педагогического стажа.")
        category = card.qualification_category_label
        if card.category_until is not None:
            category += f" (до {format_date(card.category_until)})"
        if card.career_start is not None:
            years = rules.experience_years(card.career_start, date.today())
            career = f"{format_date(card.career_start)} ({years} {plural(years, 'год', 'года', 'лет')})"
        else:
            career = ""
        self._set("birth_date", format_date(card.birth_date))
        self._set("snils", card.snils or "")
        self._set("email", card.email or "")
        self._set("phone", card.phone or "")
        self._set("young", "да" if card.young else "нет")
        self._set("organization", card.organization_name)
        self._set("position", card.position)
        self._set("subjects", card.subjects)
        self._set("category", category)
        self._set("career_start", career)
        self._set("hired_on", format_date(card.hired_on))
        if card.consent_on is None:
            self._set("consent_on", "согласие не получено", color=ALARM_TEXT)
        else:
            self._set("consent_on", format_date(card.consent_on))
        self._set("consent_basis", card.consent_basis)

        self.trajectory_pane.set_rows(card.trajectories)
        self.participation_pane.set_rows(card.participations)
        self.material_pane.set_rows(card.materials)
        self.diagnostic_pane.set_rows(card.diagnostics)
        self.credit_pane.set_rows(card.credits_by_year)
        self.total_label.setText(
            f"Всего: {number_text(card.total_hours)} ч, {number_text(card.total_credits)} з.е." if card.credits_by_year
            else "")
        self.tabs.setTabText(0, f"ИОМ ({len(card.trajectories)})")
        self.tabs.setTabText(1, f"Мероприятия ({len(card.participations)})")
        self.tabs.setTabText(2, f"Материалы ({len(card.materials)})")
        self.tabs.setTabText(3, f"Диагностика ({len(card.diagnostics)})")
        self.tabs.setTabText(4, f"Зачётные единицы ({number_text(card.total_credits)})")
        self._set_export_enabled(self.export_task is None or not self.export_task.is_running())
        if card.trajectories:
            self.trajectory_pane.table.selectRow(0)
        self._show_items(card.trajectories[0] if card.trajectories else None)
        self.edit_route_button.setEnabled(bool(card.trajectories))
        if self.isVisible():
            self._size_route_split()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._size_route_split()

    def _size_route_split(self) -> None:
        """The routes' table as high as its rows (one to ROUTE_ROWS), the items below it the rest."""
        table = self.trajectory_pane.table
        rows = min(max(self.trajectories.rowCount(), 1), ROUTE_ROWS)
        wanted = (table.horizontalHeader().sizeHint().height() + rows * table.verticalHeader().defaultSectionSize()
                  + 2 * table.frameWidth() + self.trajectory_pane.layout().contentsMargins().top() + 2)
        total = sum(self.route_split.sizes())
        if total > wanted:
            self.route_split.setSizes([wanted, total - wanted])

    def _set(self, key: str, text: str, color: str | None = None) -> None:
        label = self.values[key]
        label.setText(text or EMPTY)
        label.setStyleSheet(f"color: {color};" if color else ("color: #8796a5;" if not text else ""))

    def _show_items(self, route: TrajectoryRow | None) -> None:
        if route is None:
            self.items_title.setText("")
            self.item_pane.set_rows([])
            self.item_pane.empty_label.setVisible(False)
            return
        self.items_title.setText(f"Элементы маршрута {period_text(route.period_start, route.period_end)} "
                                 f"({route.status_label.lower()})")
        self.item_pane.set_rows(route.items)

    @Slot(QItemSelection, QItemSelection)
    def _on_trajectory_selected(self, _selected, _deselected) -> None:
        rows = self.trajectory_pane.table.selectionModel().selectedRows()
        if rows:
            self._show_items(self.trajectories.row_object(rows[0].row()))

    # -- editing -------------------------------------------------------------
    @Slot()
    def edit(self) -> None:
        if RecordDialog.ask(self, self._service, "teachers", self.teacher_id) is not None:
            self.changed = True
            self.reload()

    def selected_route_id(self) -> str | None:
        rows = self.trajectory_pane.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.trajectories.row_object(rows[0].row()).id

    def select_route(self, route_id: str) -> None:
        for row in range(self.trajectories.rowCount()):
            if self.trajectories.row_object(row).id == route_id:
                self.trajectory_pane.table.selectRow(row)
                return

    @Slot()
    def new_route(self) -> str | None:
        """The route form for this teacher; the new route's id, or None."""
        saved = RecordDialog.ask(self, self._service, "trajectories", preset={"teacher_id": self.teacher_id})
        if saved is not None:
            self.changed = True
            self.reload()
            self.select_route(saved)
        return saved

    @Slot()
    def edit_route(self) -> str | None:
        """The form of the selected route with its content; its id when saved, or None."""
        route_id = self.selected_route_id()
        if route_id is None:
            return None
        saved = RecordDialog.ask(self, self._service, "trajectories", route_id)
        if saved is not None:
            self.changed = True
            self.reload()
            self.select_route(saved)
        return saved

    # -- documents -------------------------------------------------------------
    def export_pdf(self, kind: str) -> Task | None:
        """Asks for a file, writes the document in the background, then offers to open it."""
        if self.card is None or (self.export_task is not None and self.export_task.is_running()):
            return None
        from app.export import pdf_documents

        _button, prefix, what, writer = DOCUMENTS[kind]
        if isinstance(writer, str):
            writer = getattr(pdf_documents, writer)
        path = choose_pdf_path(self, suggested_pdf_path(prefix, self.card.full_name))
        if not path:
            return None
        db, teacher_id, name = self._service.db, self.teacher_id, self.card.full_name
        unmasked = not self.unmasked_check.isHidden() and self.unmasked_check.isChecked()

        def work(progress, _is_cancelled):
            progress(0.1, f"{what}: {name}…")
            written = writer(db, teacher_id, path, unmasked=True) if unmasked else writer(db, teacher_id, path)
            progress(1.0, "Готово")
            return str(written)

        task = Task(work, self)
        task.succeeded.connect(self._on_document_written)
        task.failed.connect(lambda exc: messages.show_error(self, f"Не удалось сохранить документ. {exc}"))
        task.finished.connect(self._on_export_finished)
        self.export_task = task
        self._set_export_enabled(False)
        dialog = TaskProgressDialog(task, "Сохранение документа", f"{what}…", self)
        task.start()
        dialog.show()
        return task

    @Slot(object)
    def _on_document_written(self, path: str) -> None:
        if messages.document_saved(self, path):
            open_document(path)

    @Slot()
    def _on_export_finished(self) -> None:
        self._set_export_enabled(True)

    def _set_export_enabled(self, enabled: bool) -> None:
        # ИОМ needs a route to print.
        self.iom_button.setEnabled(enabled and self.card is not None and bool(self.card.trajectories))
        self.credits_button.setEnabled(enabled and self.card is not None)

    def done(self, result: int) -> None:
        # The worker writes with this window's service; let it finish before the window goes.
        if self.export_task is not None and self.export_task.is_running():
            self.export_task.wait()
        super().done(result)

    @classmethod
    def open_card(cls, parent: QWidget | None, service: RecordService, teacher_id: str) -> bool:
        """Shows the card; True if the teacher was edited from it."""
        try:
            dialog = cls(service, teacher_id, parent)
        except ServiceError as exc:
            messages.show_error(parent, str(exc))
            return False
        try:
            if dialog.card is not None:
                dialog.exec()
            return dialog.changed
        finally:
            dialog.deleteLater()
