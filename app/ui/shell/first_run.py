"""The first-run wizard: where the data lives, the centre, its administrator, demo data or an empty start.

Shown once, when the program starts with no database of its own yet. It only
gathers the answers (``FirstRunChoices``); ``first_run_setup.apply_choices``
makes them true on the opened database. Every answer can be changed later:
the database in «Файл», the centre in «Сервис → Параметры центра…», accounts in
«Учётные записи», demo data from «С чего начать» on an empty base.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QRadioButton, QSpinBox,
    QVBoxLayout, QWidget, QWizard, QWizardPage,
)

from app.domain.passwords import password_problem
from app.services.common.bootstrap import data_dir_path, data_folder_warning
from app.services.common.municipality_list import known_municipalities
from app.services.demo.generator import MAX_TEACHERS, MIN_TEACHERS
from app.ui.accounts.login_dialog import password_field
from app.ui.common.documents import choose_folder
from app.ui.common.messages import error_line, fit_to_screen

DATABASE_FILE = "metodset.sqlite"
ROLE_MUNICIPAL, ROLE_REGION = "municipal", "region"


@dataclass(frozen=True)
class FirstRunChoices:
    folder: Path | None             # None: the user's data folder (the default database)
    role: str
    centre_name: str
    code: str
    municipality_name: str
    admin_login: str
    admin_name: str
    admin_password: str
    demo_teachers: int | None       # None: an empty start
    open_existing: bool = False     # the chosen folder already holds a base: open it, set nothing up

    @property
    def database_arg(self) -> str | None:
        """What the program opens: None for the default database, else the file in the chosen folder."""
        return str(self.folder / DATABASE_FILE) if self.folder is not None else None


def _explanation(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label


def _either(page: QWidget, first: str, second: str) -> tuple[QRadioButton, QRadioButton]:
    """Two exclusive choices on ``page``, the first one chosen."""
    buttons = QRadioButton(first, page), QRadioButton(second, page)
    buttons[0].setChecked(True)
    group = QButtonGroup(page)
    for button in buttons:
        group.addButton(button)
    return buttons


class _Page(QWizardPage):
    """A page with an error line under its fields: ``problem()`` says what stops «Далее»."""

    def __init__(self, title: str, subtitle: str):
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.body = QVBoxLayout(self)
        self.error_label = error_line(self)

    def finish_layout(self) -> None:
        self.body.addStretch(1)
        self.body.addWidget(self.error_label)

    def problem(self) -> str | None:
        return None

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        problem = self.problem()
        self.error_label.setText(problem or "")
        return problem is None


class PlacePage(_Page):
    def __init__(self):
        super().__init__("Где хранить данные",
                         "База МетодСети — один файл на этом компьютере. Рядом с ним программа каждый день "
                         "сохраняет резервные копии.")
        self.default_folder = data_dir_path()
        self.default_button, self.other_button = _either(
            self, f"В папке пользователя (рекомендуется): {self.default_folder}", "В другой папке этого компьютера:")
        self.folder_edit = QLineEdit(self)
        self.folder_edit.setPlaceholderText("например, D:\\МетодСеть")
        self.folder_edit.textEdited.connect(lambda _t: self.other_button.setChecked(True))
        browse = QPushButton("Выбрать…", self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder_edit, 1)
        row.addWidget(browse)
        self.body.addWidget(self.default_button)
        self.body.addWidget(self.other_button)
        self.body.addLayout(row)
        self.body.addWidget(_explanation(
            "Если в выбранной папке уже есть база МетодСети (например, перенесённая с другого компьютера), "
            "мастер откроет её. Не выбирайте сетевую папку: SQLite по сети повреждает базы. Если с одной базой работают несколько "
            "методистов или региональный центр, базу держат на сервере PostgreSQL — подключиться к нему можно "
            "позже: «Файл → Подключиться к серверу…».", self))
        self.finish_layout()

    def _browse(self) -> None:
        folder = choose_folder(self, "Папка для базы МетодСети", "database")
        if folder:
            self.folder_edit.setText(folder)
            self.other_button.setChecked(True)

    def folder(self) -> Path | None:
        if self.default_button.isChecked():
            return None
        return Path(self.folder_edit.text().strip()).expanduser()

    def problem(self) -> str | None:
        folder = self.folder()
        if folder is not None:
            if not self.folder_edit.text().strip():
                return "Укажите папку для базы или выберите папку пользователя."
            if not folder.is_absolute():
                return "Укажите полный путь к папке, например D:\\МетодСеть."
        return data_folder_warning(folder or self.default_folder)

    def existing_base(self) -> Path | None:
        """The chosen folder's base, when there already is one (a copy brought from another PC)."""
        folder = self.folder()
        return folder if folder is not None and (folder / DATABASE_FILE).is_file() else None

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        if not super().validatePage():
            return False
        if self.existing_base() is not None:
            # Nothing to set up: the wizard ends and the base opens with its own sign-in.
            # QWizard's own accept() and done() would ask this page again.
            QDialog.done(self.wizard(), QDialog.DialogCode.Accepted)
            return False
        return True


class CentrePage(_Page):
    def __init__(self):
        super().__init__("Методический центр",
                         "По этим данным центр узнают в отчётах и при обмене пакетами с регионом.")
        self.municipal_button, self.region_button = _either(
            self, "Муниципальный методический центр", "Региональный центр (сводит данные муниципалитетов)")
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText("например, ММЦ Курского района")
        self.known = known_municipalities()
        self.list_combo = QComboBox(self)
        self.list_combo.addItem("— ввести вручную —", None)
        for item in self.known:
            self.list_combo.addItem(item.label, item)
        self.list_combo.currentIndexChanged.connect(self._picked)
        self.code_edit = QLineEdit(self)
        self.code_edit.setPlaceholderText("например, 46-231")
        self.code_edit.setMaxLength(16)
        self.municipality_edit = QLineEdit(self)
        self.municipality_edit.setPlaceholderText("например, Курский муниципальный район")
        form = QFormLayout()
        form.addRow("Роль:", self.municipal_button)
        form.addRow("", self.region_button)
        form.addRow("Название центра:", self.name_edit)
        if self.known:
            form.addRow("Из списка региона:", self.list_combo)
        else:
            self.list_combo.hide()
        self.code_label = QLabel("Код муниципалитета:", self)
        self.place_label = QLabel("Муниципальное образование:", self)
        form.addRow(self.code_label, self.code_edit)
        form.addRow(self.place_label, self.municipality_edit)
        self.body.addLayout(form)
        self.body.addWidget(_explanation(
            "Код — тот, что выдал региональный координатор (код ОКТМО или код из его списка). "
            + ("Список муниципалитетов взят из файла municipalities.csv." if self.known else
               "Списка муниципалитетов на этом компьютере нет: введите код и название вручную "
               "(регион может прислать файл municipalities.csv — его кладут в папку данных)."), self))
        self.region_button.toggled.connect(self._role_changed)
        self.finish_layout()

    def _picked(self, index: int) -> None:
        item = self.list_combo.itemData(index)
        if item is not None:
            self.code_edit.setText(item.code)
            self.municipality_edit.setText(item.name)

    def _role_changed(self, region: bool) -> None:
        # The region's own code (e.g. 46) names no municipality: its municipalities arrive with their packages.
        self.code_label.setText("Код региона:" if region else "Код муниципалитета:")
        self.place_label.setVisible(not region)
        self.municipality_edit.setVisible(not region)

    def role(self) -> str:
        return ROLE_REGION if self.region_button.isChecked() else ROLE_MUNICIPAL

    def problem(self) -> str | None:
        code = self.code_edit.text().strip()
        if not self.name_edit.text().strip():
            return "Укажите название центра, например «ММЦ Курского района»."
        if not code:
            return "Укажите код муниципалитета (региона), например 46-231."
        if any(ch.isspace() for ch in code):
            return "Код пишется без пробелов, например 46-231."
        if self.role() == ROLE_MUNICIPAL and not self.municipality_edit.text().strip():
            return "Укажите название муниципального образования."
        return None


class AdminPage(_Page):
    def __init__(self):
        super().__init__("Администратор",
                         "Администратор заводит учётные записи методистов, экспертов и наблюдателей и назначает "
                         "им роли. Пароль нигде не хранится в открытом виде — запомните его.")
        self.login_edit = QLineEdit("admin", self)
        self.name_edit = QLineEdit(self)
        self.password_edit = password_field(self)
        self.repeat_edit = password_field(self)
        form = QFormLayout()
        form.addRow("Имя входа:", self.login_edit)
        form.addRow("ФИО:", self.name_edit)
        form.addRow("Пароль:", self.password_edit)
        form.addRow("Пароль ещё раз:", self.repeat_edit)
        self.body.addLayout(form)
        self.finish_layout()

    def problem(self) -> str | None:
        login = self.login_edit.text().strip()
        if not login or any(ch.isspace() for ch in login) or len(login) > 64:
            return "Имя входа: обязательное поле, без пробелов, не длиннее 64 символов."
        problem = password_problem(self.password_edit.text())
        if problem:
            return f"Пароль: {problem}."
        if self.password_edit.text() != self.repeat_edit.text():
            return "Пароли не совпадают."
        return None


class StartPage(_Page):
    def __init__(self):
        super().__init__("Начало работы", "С чего начать?")
        self.empty_button, self.demo_button = _either(
            self, "С пустой базы — сразу вести учёт своего центра",
            "С демонстрационных данных — познакомиться с программой")
        self.teachers_spin = QSpinBox(self)
        self.teachers_spin.setRange(MIN_TEACHERS, MAX_TEACHERS)
        self.teachers_spin.setSingleStep(100)
        self.teachers_spin.setValue(2000)
        self.teachers_spin.setGroupSeparatorShown(True)
        self.teachers_spin.valueChanged.connect(lambda _v: self.demo_button.setChecked(True))
        row = QHBoxLayout()
        row.addSpacing(24)
        row.addWidget(QLabel("Педагогов в демонстрационной базе:", self))
        row.addWidget(self.teachers_spin)
        row.addStretch(1)
        self.body.addWidget(self.empty_button)
        self.body.addWidget(self.demo_button)
        self.body.addLayout(row)
        self.body.addWidget(_explanation(
            "Демонстрационные данные вымышлены: организации, педагоги, мероприятия, материалы одного "
            "муниципалитета. Настоящие данные потом вносят в отдельную, пустую базу. Заполнить пустую базу "
            "демонстрационными данными можно и позже — на странице «Главная», «С чего начать».", self))
        self.finish_layout()

    def demo_teachers(self) -> int | None:
        return self.teachers_spin.value() if self.demo_button.isChecked() else None


class FirstRunWizard(QWizard):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Первый запуск МетодСети")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        for button, text in ((QWizard.WizardButton.BackButton, "< Назад"),
                             (QWizard.WizardButton.NextButton, "Далее >"),
                             (QWizard.WizardButton.FinishButton, "Начать работу"),
                             (QWizard.WizardButton.CancelButton, "Отмена")):
            self.setButtonText(button, text)
        self.place, self.centre, self.admin, self.start = PlacePage(), CentrePage(), AdminPage(), StartPage()
        for page in (self.place, self.centre, self.admin, self.start):
            self.addPage(page)
        fit_to_screen(self, 720, 560)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)

    def choices(self) -> FirstRunChoices:
        existing = self.place.existing_base()
        if existing is not None:
            return FirstRunChoices(folder=existing, role="", centre_name="", code="", municipality_name="",
                                   admin_login="", admin_name="", admin_password="", demo_teachers=None,
                                   open_existing=True)
        return FirstRunChoices(
            folder=self.place.folder(), role=self.centre.role(), centre_name=self.centre.name_edit.text().strip(),
            code=self.centre.code_edit.text().strip(),
            municipality_name=self.centre.municipality_edit.text().strip() if self.centre.role() == ROLE_MUNICIPAL
            else "",
            admin_login=self.admin.login_edit.text().strip(), admin_name=self.admin.name_edit.text().strip(),
            admin_password=self.admin.password_edit.text(), demo_teachers=self.start.demo_teachers())


def ask_first_run(parent: QWidget | None = None) -> FirstRunChoices | None:
    """Runs the wizard; the answers, or None when the user closed it. Tests replace this function."""
    wizard = FirstRunWizard(parent)
    try:
        return wizard.choices() if wizard.exec() == QWizard.DialogCode.Accepted else None
    finally:
        wizard.deleteLater()
