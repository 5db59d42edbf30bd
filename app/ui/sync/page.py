"""The «Обмен с регионом» section: setup on first start, partners, export and import wizards.

Long work (building, checking and applying packages) runs in a Task off the
GUI thread with a progress window and Cancel; results and refusals are shown
in the page's status line (and the preview in a window-modal dialog), so
nothing here blocks an event loop.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (QComboBox, QSizePolicy, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton,
                               QStackedWidget, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from app.sync import exchange as sx
from app.ui.common.documents import dated_name, open_path, save_path
from app.ui.common.flow_layout import FlowLayout
from app.ui.common.progress_dialog import TaskProgressDialog
from app.ui.sync.dialogs import PassphraseDialog, PreviewDialog, SetupForm
from app.ui.common.task_runner import Task

PACKAGE_FILTER = "Пакеты обмена МетодСети (*.msp);;Все файлы (*)"
KEYCARD_FILTER = "Карточки ключей (*.json);;Все файлы (*)"
PACKAGE_FILES, KEYCARD_FILES = "sync-package", "keycard"     # the kinds of file whose folders dialogs remember
REPORT_DAYS = 30
KIND_LABELS = {"delta": "изменения", "receipt": "квитанция", "catalogue": "каталог"}


def _table(headers: list[str], parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    # The header and two rows at the least; the rest of the height is shared by the page's tables.
    table.setMinimumHeight(table.horizontalHeader().sizeHint().height()
                           + 2 * table.verticalHeader().defaultSectionSize() + 4)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(value))


class SyncPage(QWidget):

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self.task: Task | None = None
        self.preview_dialog: PreviewDialog | None = None
        self.stack = QStackedWidget(self)
        self.setup_form = SetupForm(self)
        self.setup_form.submitted.connect(self.setup)
        self.stack.addWidget(self.setup_form)
        self.main_view = QWidget(self)
        self._build_main_view()
        self.stack.addWidget(self.main_view)
        # No scroll area of its own: the section page scrolls on a small screen (shell/section_page), and a
        # second one inside it put the key fingerprint under its scroll bar.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.refresh()

    # -- layout ----------------------------------------------------------
    def _build_main_view(self) -> None:
        view = self.main_view
        self.identity_label = QLabel("", view)
        self.identity_label.setWordWrap(True)
        self.identity_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_button = QPushButton("Выгрузить пакет изменений…", view)
        self.import_button = QPushButton("Загрузить пакет или квитанцию…", view)
        self.keycard_button = QPushButton("Сохранить карточку ключей…", view)
        self.passphrase_button = QPushButton("Пароль ключей…", view)
        self.passphrase_button.setToolTip("Защитить закрытые ключи обмена паролем, сменить или снять его")
        # How much personal data a municipality's package carries (docs/sync-format.md §9).
        self.personal_data_combo = QComboBox(view)
        self.personal_data_combo.setToolTip("Сколько персональных данных передать в региональный центр")
        for code, label in sx.PERSONAL_DATA_LEVELS.items():
            self.personal_data_combo.addItem(f"Персональные данные: {label}", code)
        # The region's catalogue: for everyone, or encrypted for one municipality (then it also
        # carries the pseudonymisation key the municipality needs for pseudonymised packages).
        self.catalogue_to_combo = QComboBox(view)
        self.catalogue_to_combo.setToolTip("Кому выгрузить каталог")
        self.export_button.clicked.connect(self._ask_export)
        self.import_button.clicked.connect(self._ask_import)
        self.keycard_button.clicked.connect(self._ask_keycard)
        self.passphrase_button.clicked.connect(self.change_passphrase)
        # A flow of buttons wraps in a narrow window instead of widening the whole main window.
        actions_row = QWidget(view)
        actions = FlowLayout(actions_row)
        for b in (self.personal_data_combo, self.catalogue_to_combo, self.export_button, self.import_button, self.keycard_button,
                  self.passphrase_button):
            actions.addWidget(b)

        partners_box = QGroupBox("Доверенные партнёры", view)
        self.partners_table = _table(["Название", "Роль", "Код", "Отпечаток ключей", "Состояние"], partners_box)
        self.trust_button = QPushButton("Доверять партнёру по карточке…", partners_box)
        self.revoke_button = QPushButton("Отозвать доверие", partners_box)
        self.trust_button.clicked.connect(self._ask_trust)
        self.revoke_button.clicked.connect(self.revoke_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.trust_button)
        buttons.addWidget(self.revoke_button)
        buttons.addStretch(1)
        inner = QVBoxLayout(partners_box)
        inner.addWidget(self.partners_table, 1)
        inner.addLayout(buttons)

        self.reports_box = QGroupBox("Пакеты муниципалитетов", view)
        self.reports_table = _table(["Код", "Муниципалитет", "Последний пакет", "Создан", "Записей",
                                     "Перс. данные", ""],
                                    self.reports_box)
        QVBoxLayout(self.reports_box).addWidget(self.reports_table)

        self.aggregates_box = QGroupBox("Сводные показатели муниципалитетов (пакеты «только сводные»)", view)
        self.aggregates_table = _table(["Код", "Организация", "На дату", "Педагогов", "ПК за 3 года", "Скоро ПК",
                                        "Просрочено", "Молодых", "Зачётные единицы по годам"], self.aggregates_box)
        QVBoxLayout(self.aggregates_box).addWidget(self.aggregates_table)

        log_box = QGroupBox("Журнал пакетов", view)
        self.log_table = _table(["Когда", "Направление", "Вид", "№", "Записей", "Перс. данные", "Квитанция"],
                                log_box)
        QVBoxLayout(log_box).addWidget(self.log_table)

        self.status_label = QLabel("", view)
        self.status_label.setObjectName("syncStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(view)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.identity_label)
        layout.addWidget(actions_row)
        layout.addWidget(self.status_label)
        layout.addWidget(partners_box, 1)
        layout.addWidget(self.reports_box, 1)
        layout.addWidget(self.aggregates_box, 1)
        layout.addWidget(log_box, 1)

    # -- state -----------------------------------------------------------
    def _show_only(self, page: QWidget) -> None:
        # The stack takes the least size of the page on screen alone, not of the largest page it holds.
        for index in range(self.stack.count()):
            other = self.stack.widget(index)
            policy = QSizePolicy.Policy.Preferred if other is page else QSizePolicy.Policy.Ignored
            other.setSizePolicy(policy, policy)
        self.stack.setCurrentWidget(page)

    def refresh(self) -> None:
        profile = sx.profile(self._db)
        self._show_only(self.setup_form if profile is None else self.main_view)
        if profile is None:
            return
        self.identity_label.setText(
            f"Эта установка: <b>{profile.name}</b> — {sx.ROLES[profile.role]}, код {profile.municipality_code}. "
            f"Отпечаток ключей: <b>{sx.own_fingerprint(self._db)}</b>")
        self.export_button.setText("Выгрузить каталог для муниципалитетов…" if profile.is_region
                                   else "Выгрузить пакет изменений…")
        self.partners = sx.partners(self._db)
        _fill(self.partners_table, [
            [p.name, p.role_label, p.municipality_code, p.fingerprint_text,
             f"отозван {p.revoked_at:%d.%m.%Y}" if p.revoked_at else "доверен"] for p in self.partners])
        self.reports_box.setVisible(profile.is_region)
        self.personal_data_combo.setVisible(not profile.is_region)
        self.catalogue_to_combo.setVisible(profile.is_region)
        chosen = self.catalogue_to_combo.currentData()
        self.catalogue_to_combo.clear()
        self.catalogue_to_combo.addItem("Каталог: всем муниципалитетам", None)
        for p in self.partners:
            if p.role == "municipal" and p.revoked_at is None:
                self.catalogue_to_combo.addItem(f"Каталог: {p.name} (с ключом псевдонимизации)", p.installation_id)
        self.catalogue_to_combo.setCurrentIndex(max(self.catalogue_to_combo.findData(chosen), 0))
        figures = sx.municipality_aggregates(self._db) if profile.is_region else []
        self.aggregates_box.setVisible(bool(figures))
        _fill(self.aggregates_table, [
            [a.municipality_code, a.organization_name, f"{a.as_of:%d.%m.%Y}", str(a.teachers), str(a.covered),
             str(a.due_soon), str(a.overdue), str(a.young),
             ", ".join(f"{y}: {v:g}" for y, v in a.credits_by_year.items())] for a in figures])
        if profile.is_region:
            since = datetime.now() - timedelta(days=REPORT_DAYS)
            _fill(self.reports_table, [
                [r.code, r.name, f"№ {r.last_sequence}" if r.last_sequence else "не было",
                 f"{r.last_at:%d.%m.%Y}" if r.last_at else "", str(r.last_records),
                 sx.PERSONAL_DATA_LEVELS.get(r.personal_data, ""), "не прислал за 30 дней" if r.overdue else ""]
                for r in sx.municipality_reports(self._db, since)])
        _fill(self.log_table, [
            [f"{e.processed_at:%d.%m.%Y %H:%M}", ("→ " if e.direction == "out" else "← ") + (e.partner_code or "все"),
             KIND_LABELS.get(e.kind, e.kind), str(e.sequence), str(e.records),
             sx.PERSONAL_DATA_LEVELS.get(e.personal_data, "") if e.kind == "delta" else "",
             f"{e.acknowledged_at:%d.%m.%Y}" if e.acknowledged_at else ""] for e in sx.package_log(self._db)])

    def _say(self, text: str, error: bool = False) -> None:
        self.status_label.setStyleSheet("color: #b00020;" if error else "")
        self.status_label.setText(text)

    # -- setup and partners -----------------------------------------------
    @Slot(str, str, str)
    def setup(self, role: str, code: str, name: str) -> None:
        try:
            sx.init_installation(self._db, role, code, name)
        except sx.SyncError as exc:
            self.setup_form.error.setText(str(exc))
            return
        self.refresh()
        self._say("Ключи созданы. Сохраните карточку ключей и передайте её партнёру, а его карточку добавьте "
                  "в доверенные.")
        self._data_changed()

    # -- the keys' passphrase --------------------------------------------
    def ask_passphrase(self, *, new: bool = False, error: str = "") -> str | None:
        """The passphrase typed, or None when cancelled (tests answer here)."""
        dialog = PassphraseDialog(self, new=new, error=error)
        return dialog.passphrase() if dialog.exec() == PassphraseDialog.DialogCode.Accepted else None

    def unlock_keys(self) -> bool:
        """Asks the passphrase once per session when the keys have one; False when the user gave up."""
        error = ""
        while sx.keys_need_passphrase(self._db):
            typed = self.ask_passphrase(error=error)
            if typed is None:
                self._say("Ключи защищены паролем; без него пакет не подписать и не прочитать.", error=True)
                return False
            try:
                sx.unlock_keys(self._db, typed)
            except sx.KeysLocked as exc:
                error = str(exc)
        return True

    def change_passphrase(self) -> None:
        if not self.unlock_keys():
            return
        error = ""
        while True:
            typed = self.ask_passphrase(new=True, error=error)
            if typed is None:
                return
            try:
                sx.set_keys_passphrase(self._db, typed or None)
            except sx.SyncError as exc:
                error = str(exc)
                continue
            break
        self._say("Ключи обмена защищены паролем." if typed else "Пароль с ключей обмена снят.")

    def save_keycard(self, path: Path) -> None:
        if not self.unlock_keys():
            return
        try:
            card = sx.write_keycard(self._db, Path(path))
        except (sx.SyncError, OSError) as exc:
            self._say(str(exc), error=True)
            return
        self._say(f"Карточка ключей сохранена: {path}. Отпечаток: {sx.fingerprint_groups(card['fingerprint'])}")

    def trust_file(self, path: Path) -> None:
        try:
            try:
                partner = sx.trust(self._db, Path(path))
            except sx.KeyConflict as conflict:
                if not self.confirm_key_replace(str(conflict)):
                    self._say(str(conflict), error=True)
                    return
                partner = sx.trust(self._db, Path(path), replace=True)
        except sx.SyncError as exc:
            self._say(str(exc), error=True)
            return
        self.refresh()
        self._say(f"«{partner.name}» добавлен в доверенные. Сверьте с партнёром по телефону отпечаток: "
                  f"{partner.fingerprint_text}. Если он не совпадает, отзовите доверие.")

    def confirm_key_replace(self, conflict: str) -> bool:
        """Asks before the key bound to a municipality code is replaced (the default is not to)."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Замена ключа партнёра", conflict.split("; ")[0] + ".",
                          QMessageBox.StandardButton.NoButton, self)
        box.setInformativeText("Заменяйте ключ, только если партнёр переустановил программу или создал новые ключи "
                               "и отпечаток совпал при сверке по телефону. Старый ключ будет отозван, замена "
                               "запишется в журнал действий.")
        replace = box.addButton("Заменить ключ", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Не заменять", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is replace

    def revoke_selected(self) -> None:
        row = self.partners_table.currentRow()
        if row < 0 or row >= len(self.partners) or self.partners[row].revoked_at is not None:
            self._say("Выберите доверенного партнёра в списке.", error=True)
            return
        partner = sx.revoke(self._db, self.partners[row].fingerprint)
        self.refresh()
        self._say(f"Доверие к «{partner.name}» отозвано; его пакеты больше не принимаются.")

    # -- export ----------------------------------------------------------
    def export_to(self, path: Path) -> Task | None:
        if not self.unlock_keys():
            return None
        profile = sx.profile(self._db)
        db = self._db
        if profile is not None and profile.is_region:
            to = self.catalogue_to_combo.currentData()
            task = Task(lambda progress, cancelled: sx.export_catalogue(
                db, Path(path), to, progress=progress, cancelled=cancelled), self)
        else:
            level = self.personal_data_combo.currentData()
            task = Task(lambda progress, cancelled: sx.export_delta(
                db, Path(path), progress=progress, cancelled=cancelled, personal_data=level), self)
        task.succeeded.connect(self._exported)
        return self._run(task, "Выгрузка пакета", "Подготовка пакета…")

    @Slot(object)
    def _exported(self, result: sx.ExportResult) -> None:
        level = (f"; персональные данные: {sx.PERSONAL_DATA_LEVELS[result.personal_data]}"
                 if result.kind == "delta" else "")
        self._say(f"Пакет № {result.sequence} для «{result.receiver}» сохранён: {result.path} "
                  f"(записей: {result.total}{level}). Передайте файл получателю.")

    # -- import ----------------------------------------------------------
    def open_package(self, path: Path) -> Task | None:
        """Checks the package and shows what it would change; nothing is written yet."""
        if not self.unlock_keys():
            return None
        db = self._db
        task = Task(lambda progress, cancelled: sx.preview(db, Path(path)), self)
        task.succeeded.connect(lambda outcome: self._show_preview(Path(path), outcome))
        return self._run(task, "Проверка пакета", "Проверка подписи и содержимого…")

    def _show_preview(self, path: Path, outcome: sx.ImportOutcome) -> None:
        dialog = PreviewDialog(outcome, self)
        self.preview_dialog = dialog
        dialog.accepted.connect(lambda: self.apply_package(
            path, path.with_name(path.stem + "-квитанция.msp") if dialog.receipt.isChecked() else None))
        dialog.open()

    def apply_package(self, path: Path, receipt_out: Path | None = None) -> Task:
        db = self._db
        task = Task(lambda progress, cancelled: sx.import_package(
            db, Path(path), receipt_out=receipt_out, progress=progress, cancelled=cancelled), self)
        task.succeeded.connect(self._imported)
        return self._run(task, "Загрузка пакета", "Загрузка…")

    @Slot(object)
    def _imported(self, outcome: sx.ImportOutcome) -> None:
        if outcome.kind == "receipt":
            text = ("Квитанция уже была учтена." if outcome.already_imported else
                    f"Квитанция учтена: {outcome.acknowledged} принят регионом.")
        elif outcome.already_imported:
            text = f"Пакет № {outcome.sequence} уже был загружен; в базе ничего не изменилось."
        else:
            t = outcome.totals()
            text = (f"Пакет № {outcome.sequence} от «{outcome.sender}» загружен: новых {t['new']}, изменено "
                    f"{t['updated']}, удалено {t['deleted']}, объединено по СНИЛС {t['merged']}.")
            if outcome.aggregates:
                text += f" Сводные показатели организаций: {outcome.aggregates}."
            if outcome.pseudonym_key:
                text += " Получен ключ псевдонимизации региона."
        if outcome.receipt_path:
            text += f" Квитанция для отправителя: {outcome.receipt_path}"
        self._say(text)
        self._data_changed()

    # -- plumbing --------------------------------------------------------
    def _data_changed(self) -> None:
        # Any list may hold what a package brought: the window marks every page stale.
        window = self.window()
        if hasattr(window, "refresh") and window is not self:
            window.refresh()

    def _run(self, task: Task, title: str, label: str) -> Task:
        task.failed.connect(lambda exc: self._say(str(exc), error=True))
        task.cancelled.connect(lambda: self._say("Отменено; база и файлы не изменились."))
        task.finished.connect(self.refresh)
        self.task = task
        dialog = TaskProgressDialog(task, title, label, self)
        task.start()
        dialog.show()
        return task

    def suggested_name(self, what: str, extension: str, unnamed: str) -> str:
        """«Пакет <this installation> 2026-12-05.msp»; ``unnamed`` («Пакет обмена») before the set-up."""
        profile = sx.profile(self._db)
        return dated_name(f"{what} {profile.name}" if profile is not None and profile.name else unnamed, extension)

    def _ask_export(self) -> None:
        path = save_path(self, "Сохранить пакет", self.suggested_name("Пакет", "msp", "Пакет обмена"), PACKAGE_FILTER,
                         PACKAGE_FILES, extension="msp")
        if path:
            self.export_to(Path(path))

    def _ask_import(self) -> None:
        path = open_path(self, "Открыть пакет", PACKAGE_FILTER, PACKAGE_FILES)
        if path:
            self.open_package(Path(path))

    def _ask_keycard(self) -> None:
        path = save_path(self, "Сохранить карточку ключей", self.suggested_name("Карточка ключей", "json", "Карточка ключей"),
                         KEYCARD_FILTER, KEYCARD_FILES, extension="json")
        if path:
            self.save_keycard(Path(path))

    def _ask_trust(self) -> None:
        path = open_path(self, "Карточка ключей партнёра", KEYCARD_FILTER, KEYCARD_FILES)
        if path:
            self.trust_file(Path(path))
