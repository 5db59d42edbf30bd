"""The pictures of the user guide (docs/guide/img): the real program on a demo base, on a 1366×768 screen.

    .venv/bin/python bench/guide_screenshots.py     # rewrites docs/guide/img, the committed pictures

``generate(out, work)`` runs ``main`` in a process of its own, under offscreen
Qt with one 1366×768 screen (a QApplication keeps its screens for life; see
``screen_probe.screen_environment``). ``main`` builds a demo base of
``TEACHERS`` teachers with its accounts (and a second one, the regional centre,
to exchange packages with), signs in as the demo methodist, opens the main
window over the whole screen and drives it — through its own pages, buttons
and menu actions — to each state of ``SHOTS``, in order (an import runs,
certificates are issued, packages go to the region and back).

Every picture is the whole screen, 1366×768: the main window, and over it the
dialogs of that state where Qt placed them. Offscreen Qt draws no window
frames, so a plain title bar with each dialog's own window title is painted
above it. Before each grab the state is read off the widgets (the dialog's
window title, the page on screen, a label's text); ``main`` prints one JSON
object, {picture: {"file", "seen"}}, which the test compares with ``SHOTS``.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[3]
GUIDE = ROOT / "docs" / "guide"
SCREEN = (1366, 768)
TEACHERS = 200
TITLE_BAR = 30          # the title bar painted above a dialog
DESKTOP = "#3a4a5c"     # what shows around a window that does not cover the screen


@dataclass(frozen=True)
class Shot:
    name: str           # the picture: img/<name>.png
    page: str           # the guide page it illustrates
    expect: str         # what «seen» must start with: the state the picture is meant to show
    what: str           # in words, for a reviewer


SHOTS: tuple[Shot, ...] = (
    Shot("main-window", "index.md", "Главная", "the window on «Главная»"),
    Shot("first-run-centre", "first-start.md", "Методический центр",
         "the first-run wizard: the centre, its code and municipality"),
    Shot("first-run-start", "first-start.md", "Начало работы", "the wizard's last page: an empty base or demo data"),
    Shot("help-f1", "index.md", "Справка — МетодСеть: teachers.md",
         "F1 on «Педагоги»: the section's help with links to the guide"),
    Shot("help-guide", "index.md", "Справка — МетодСеть: teacher-route.md",
         "a link of that help followed: the guide's page, its picture in the same window"),
    Shot("import-mapping", "import-registry.md", "Импорт педагогов", "the import dialog over «Педагоги»: columns and fields"),
    Shot("import-result", "import-registry.md", "Итоги импорта", "the same dialog after the import: rejected rows"),
    Shot("teachers-overdue", "teacher-route.md", "Педагоги: Повышение квалификации = просрочено",
         "«Педагоги» filtered to overdue professional development"),
    Shot("teacher-card", "teacher-route.md", "Карточка педагога: ", "a teacher's card, tab «ИОМ»"),
    Shot("route-form", "teacher-route.md", "Маршрут", "the route form over the card, with its items"),
    Shot("events-page", "event-certificates.md", "Мероприятия", "«Мероприятия»: list, calendar, event buttons"),
    Shot("event-card", "event-certificates.md", "Мероприятие — ", "an event's card: participants and attendance"),
    Shot("certificates", "event-certificates.md", "Сертификаты: ", "«Сертификаты…» after «Выдать»"),
    Shot("material-form", "materials-review.md", "Материал", "a material's form over «Материалы»"),
    Shot("review-dialog", "materials-review.md", "Экспертиза: ", "the material's review window"),
    Shot("review-score", "materials-review.md", "Оценка эксперта: ", "an expert's scores by the criteria"),
    Shot("report-coverage", "region-reports.md", "Охват педагогов повышением квалификации по организациям",
         "«Отчёты»: the coverage report previewed"),
    Shot("report-due", "region-reports.md", "Педагоги, у которых подходит или прошёл срок повышения квалификации",
         "«Отчёты»: who is due or overdue, for one school"),
    Shot("exchange-setup", "package-exchange.md", "Обмен с регионом: настройка", "the first-time set-up form, filled in"),
    Shot("exchange-page", "package-exchange.md", "Обмен с регионом: Квитанция учтена",
         "partners and the package log after a package and its receipt"),
    Shot("exchange-preview", "package-exchange.md", "Загрузка пакета", "what the region's catalogue will change"),
    Shot("backups", "backup-restore.md", "Резервные копии", "«Файл → Резервные копии и восстановление…»"),
    Shot("restore-question", "backup-restore.md", "Восстановить базу из копии", "the question before a restore"),
)


def shot(name: str) -> Shot:
    return next(s for s in SHOTS if s.name == name)


# -- the parent's side -------------------------------------------------------------------------------------

def generate(out: Path, work: Path, timeout: int = 300) -> dict:
    """Every picture of SHOTS written into ``out``; the child's JSON report. ``work`` holds the bases."""
    from tests.ui.shell.screen_probe import screen_environment

    work.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    env = screen_environment(work, *SCREEN)
    args = [sys.executable, "-m", "tests.ui.shell.guide_shots", str(work), str(out)]
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"guide_shots failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the demo bases (in the child, whose data folder holds the exchange keys) --------------------------------

MUNICIPALITY = ("municipal", "46-231", "ММЦ Щёлковского городского округа")
REGION = ("region", "46", "Региональный центр развития образования")


def build_bases(work: Path) -> tuple[Path, Path]:
    """The methodical centre's demo base (with its accounts and a spreadsheet to import) and the region's."""
    from app.services.accounts.accounts import create_demo_accounts
    from app.services.common.bootstrap import open_database
    from app.services.demo.generator import generate_demo
    from app.sync import exchange as sx

    centre, region = work / "демо.sqlite", work / "регион.sqlite"
    for path in (centre, region):
        if path.exists():
            path.unlink()
    db, _ = open_database(str(centre))
    generate_demo(db, TEACHERS)
    create_demo_accounts(db)
    db.dispose()
    other, _ = open_database(str(region))
    generate_demo(other, 100, seed=7, municipality_code="46", municipality_name="Курская область")
    sx.init_installation(other, *REGION)
    other.dispose()
    write_import_table(work / "Педагоги от школ.xlsx", centre)
    return centre, region


def write_import_table(path: Path, base: Path) -> Path:
    """A school's list as it comes from a school: mostly right, with the mistakes the guide explains."""
    from openpyxl import Workbook

    from app.domain.validators import snils_checksum
    from app.services.common.bootstrap import open_database
    from app.services.registry.service import RecordService

    db, _ = open_database(str(base))
    try:
        schools = [r.get("short_name") for r in RecordService(db).list("organizations").rows
                   if r.get("kind") == "school" and r.get("short_name")]
    finally:
        db.dispose()
    school, other = schools[0], schools[1]

    def snils(nine: int) -> str:
        digits = f"{nine:09d}"
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]} {snils_checksum(digits):02d}"

    rows = [
        ("Андреева Марина Викторовна", snils(271_350_118), "14.03.1986", school, "учитель", "математика",
         "andreeva.mv@school3.ru", "15.05.2024"),
        ("Белов Игорь Сергеевич", snils(271_350_226), "02.11.1979", school, "учитель", "физика",
         "belov@school3.ru", "20.03.2022"),
        ("Григорьева Ольга Петровна", snils(271_350_334), "27.07.1991", school, "учитель", "русский язык, литература",
         "grigoreva.op@school3.ru", "11.12.2023"),
        ("Дмитриев Алексей Юрьевич", "271-350-442 00", "09.01.1984", school, "учитель", "история",
         "dmitriev@school3.ru", "01.10.2021"),
        ("Егорова Наталья Ивановна", snils(271_350_550), "18.05.1995", school, "учитель", "начальные классы",
         "egorova-school3.ru", "12.04.2025"),
        ("Жукова А. В.", snils(271_350_668), "30.09.1988", school, "педагог-психолог", "",
         "zhukova@school3.ru", "02.02.2024"),
        ("Зайцев Роман Олегович", snils(271_350_776), "05.06.1990", other, "учитель", "информатика",
         "zaitsev@gymn.ru", "17.11.2023"),
        ("Ильина Светлана Андреевна", snils(271_350_884), "22.12.1982", other, "учитель", "английский язык",
         "ilina@gymn.ru", "31.13.2023"),
        ("Кузнецова Елена Михайловна", snils(271_350_992), "11.02.1977", other, "заместитель директора", "",
         "kuznetsova@gymn.ru", "05.03.2024"),
        ("Лебедев Павел Андреевич", snils(271_351_107), "19.08.1998", "МБОУ СОШ № 31 г. Щёлково", "учитель",
         "физическая культура", "lebedev@sosh31.ru", ""),
    ]
    book = Workbook()
    sheet = book.active
    sheet.title = "Педагоги"
    sheet.append(["Список педагогических работников (для методической службы)"])
    sheet.append([])
    sheet.append(["ФИО", "СНИЛС", "Дата рождения", "Образовательная организация", "Должность", "Предметы",
                  "Электронная почта", "Дата последнего ПК"])
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


# -- the child's side: Qt from here on ---------------------------------------------------------------------

class Driver:
    """The application, the window and the helpers every stage uses."""

    def __init__(self, app, window, db, service, work: Path, out: Path):
        self.app, self.window, self.db, self.service, self.work, self.out = app, window, db, service, work, out
        self.report: dict[str, dict] = {}
        self.region_path = work / "регион.sqlite"
        self.import_table = next(work.glob("*.xlsx"))

    # -- waiting ------------------------------------------------------------------
    def settle(self, rounds: int = 6) -> None:
        from app.ui.common.task_runner import running_tasks

        self.wait_until(lambda: not running_tasks(), "background tasks")
        self.window.dashboard.wait()
        self.window.attention.wait()
        for _ in range(rounds):
            self.app.processEvents()
            time.sleep(0.01)

    def wait_until(self, condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout:.0f} s for {what}")
            self.app.processEvents()
            time.sleep(0.01)

    def loaded(self, page) -> None:
        """A list page with its rows read (the table model loads off the GUI thread)."""
        page.ensure_loaded()
        self.wait_until(lambda: page.model.rowCount() > 0, f"the list {page.entity}")
        self.settle()

    # -- showing and grabbing ------------------------------------------------------
    def show(self, dialog):
        dialog.show()
        self.settle()
        if dialog.y() < TITLE_BAR:           # room for the painted title bar
            dialog.move(dialog.x(), TITLE_BAR)
            self.settle(2)
        return dialog

    def grab(self, name: str, seen: str, dialogs=(), *, over_window: bool = True) -> None:
        from PySide6.QtCore import QPoint, QRect, Qt
        from PySide6.QtGui import QColor, QImage, QPainter, QPen

        assert name in {s.name for s in SHOTS}, name
        self.settle()
        image = QImage(*SCREEN, QImage.Format.Format_RGB32)
        image.fill(QColor(DESKTOP))
        painter = QPainter(image)
        if over_window:                     # the first-run wizard comes before any window
            painter.drawPixmap(self.window.geometry().topLeft(), self.window.grab())
        for dialog in dialogs:
            where = dialog.geometry()
            frame = QRect(where.x() - 1, where.y() - TITLE_BAR, where.width() + 2, where.height() + TITLE_BAR + 1)
            for spread, alpha in ((8, 18), (5, 28), (3, 40), (1, 60)):     # a soft shadow
                painter.fillRect(frame.adjusted(-spread, -spread + 2, spread, spread + 2), QColor(0, 0, 0, alpha))
            painter.fillRect(frame, QColor("#ffffff"))
            bar = QRect(frame.x(), frame.y(), frame.width(), TITLE_BAR)
            painter.fillRect(bar, QColor("#f3f5f8"))
            painter.setPen(QColor("#1f2d3d"))
            font = self.app.font()
            painter.setFont(font)
            painter.drawText(bar.adjusted(12, 0, -44, 0), int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                             painter.fontMetrics().elidedText(dialog.windowTitle(), Qt.TextElideMode.ElideRight,
                                                              bar.width() - 56))
            painter.drawText(QRect(bar.right() - 40, bar.y(), 40, TITLE_BAR), int(Qt.AlignmentFlag.AlignCenter), "✕")
            painter.setPen(QPen(QColor("#8796a5"), 1))
            painter.drawRect(frame)
            painter.drawPixmap(QPoint(where.x(), where.y()), dialog.grab())
        painter.end()
        path = self.out / f"{name}.png"
        if not image.save(str(path), "PNG"):
            raise RuntimeError(f"could not write {path}")
        self.report[name] = {"file": path.name, "seen": seen, "size": [image.width(), image.height()]}

    def close(self, *dialogs) -> None:
        for dialog in dialogs:
            dialog.close()
            dialog.deleteLater()
        self.settle(2)

    def section_title(self) -> str:
        return self.window.current_page().title()


STAGES: list[Callable[[Driver], None]] = []


def stage(fn: Callable[[Driver], None]) -> Callable[[Driver], None]:
    STAGES.append(fn)
    return fn


@stage
def main_window(d: Driver) -> None:
    d.window.select_section("dashboard")
    d.settle()
    d.grab("main-window", d.section_title())


@stage
def first_start(d: Driver) -> None:
    from app.ui.shell.first_run import FirstRunWizard

    wizard = FirstRunWizard()
    d.show(wizard)
    wizard.next()
    centre = wizard.centre
    centre.name_edit.setText("ММЦ Щёлковского городского округа")
    centre.code_edit.setText("46-231")
    centre.municipality_edit.setText("Щёлковский городской округ")
    d.settle(2)
    d.grab("first-run-centre", wizard.currentPage().title(), [wizard], over_window=False)
    wizard.next()
    wizard.admin.name_edit.setText("Иванова Анна Петровна")
    wizard.admin.password_edit.setText("Надёжный-пароль-1")
    wizard.admin.repeat_edit.setText("Надёжный-пароль-1")
    wizard.next()
    d.settle(2)
    d.grab("first-run-start", wizard.currentPage().title(), [wizard], over_window=False)
    d.close(wizard)


@stage
def import_teachers(d: Driver) -> None:
    from app.ui.importing.dialog import ImportDialog

    page = d.window.show_records("teachers")
    d.loaded(page)
    dialog = ImportDialog(d.db, "teachers", page, actor=d.service.actor)   # what «Импорт…» under the list opens
    dialog.open_file(str(d.import_table))
    d.show(dialog)
    seen = dialog.windowTitle() if dialog.stack.currentWidget() is dialog.mapping_page else "?"
    d.grab("import-mapping", seen, [dialog])
    dialog.import_button.click()
    d.wait_until(lambda: dialog.stack.currentWidget() is dialog.result_page, "the import")
    d.settle()
    d.grab("import-result", f"Итоги импорта: {dialog.outcome_label.text()}", [dialog])
    dialog.done_button.click()
    d.close(dialog)
    page.after_change()


@stage
def teacher_route(d: Driver) -> None:
    from app.ui.common.record_dialog import RecordDialog
    from app.ui.registry.teacher_card_dialog import TeacherCardDialog

    page = d.window.show_records("teachers")
    page.apply_filters({"pd_status": "overdue"})
    d.loaded(page)
    d.grab("teachers-overdue", f"Педагоги: {filter_text(page)}")

    page.apply_filters({})
    d.loaded(page)
    teacher = school_teacher(d)
    page.select_record(teacher)
    card = d.show(TeacherCardDialog(d.service, teacher, page))       # what a double click on the row opens
    d.grab("teacher-card", card.windowTitle(), [card])
    route = card.selected_route_id()
    form = d.show(RecordDialog(d.service, "trajectories", route, card))   # «Изменить маршрут»
    form.scroll.ensureWidgetVisible(form.related, 0, 0)                  # down to «Содержание маршрута»
    d.grab("route-form", form.windowTitle(), [card, form])
    d.close(form, card)


def school_teacher(d: Driver) -> str:
    """A school teacher whose card shows it all: a route in progress with items of several kinds, events,
    credits, and the three-year term coming up or past (the banner in colour)."""
    from app.domain import rules
    from app.services.registry.teacher_card import teacher_card

    best, mark = None, None
    for teacher_id in d.service.ids("teachers"):
        card = teacher_card(d.db, teacher_id)
        routes = [t for t in card.trajectories if t.items]
        if not routes or not card.position.startswith("учитель") or not card.participations:
            continue
        kinds = {i.kind_label for t in routes for i in t.items}
        states = {i.status for i in routes[0].items}
        score = (routes[0].status == "active" and "completed" in states and bool(states & {"planned", "in_progress"}),
                 card.pd_status != rules.PdStatus.OK,
                 bool(card.credits_by_year), min(len(kinds), 4), min(sum(len(t.items) for t in routes), 8))
        if mark is None or score > mark:
            best, mark = teacher_id, score
    assert best is not None, "no school teacher with a route in the demo base"
    return best


def filter_text(page) -> str:
    """«Повышение квалификации = просрочено»: the filters of the panel that are not at «Все»."""
    panel = page.filter_panel
    return "; ".join(f"{panel.labels[name].text()} = {combo.currentText()}" for name, combo in panel.combos.items()
                     if combo.currentIndex() > 0)


@stage
def event_and_certificates(d: Driver) -> None:
    from PySide6.QtWidgets import QPushButton

    from app.services.events.certificate_participants import participants
    from app.ui.events.card import EventCardDialog
    from app.ui.events.certificates_dialog import CertificatesDialog

    page = d.window.show_records("events")
    d.loaded(page)
    event = best_event(d, participants)
    page.select_record(event)
    page.calendar.go_to(d.service.get("events", event)["starts_on"])    # its day clicked in the calendar
    d.settle()
    d.grab("events-page", d.section_title())

    card = d.show(EventCardDialog(d.service, event, page))             # «Карточка…»
    d.grab("event-card", card.windowTitle(), [card])
    d.close(card)

    page.findChild(QPushButton, "certificatesButton").click()           # «Сертификаты…» under the list
    dialog = d.window.findChild(CertificatesDialog)
    d.wait_until(lambda: dialog is not None and dialog.isVisible(), "the certificates dialog")
    d.show(dialog)
    dialog.issue_button.click()                                        # «Выдать»
    d.grab("certificates", dialog.windowTitle(), [dialog])
    d.close(dialog)


def best_event(d: Driver, participants) -> str:
    """A past event with the most participants present but without a certificate yet (then the most present)."""
    today = date.today()
    best, mark = None, None
    for row in d.service.list("events").rows:
        if row.get("status") != "held" or not row.get("starts_on") or row["starts_on"] > today:
            continue
        people = participants(d.db, row["id"])
        present = [p for p in people if p.is_present]
        waiting = [p for p in present if not p.certificate_number]
        absent = len(people) - len(present)
        score = (bool(waiting) and bool(absent), min(len(people), 14), len(waiting))
        if mark is None or score > mark:
            best, mark = row["id"], score
    assert best is not None, "no held event in the demo base"
    return best


@stage
def material_review(d: Driver) -> None:
    """A draft material goes the whole way: a file attached, the application, two experts, one conclusion."""
    from app.services.materials.review_state import material_review
    from app.ui.materials.material_dialog import MaterialDialog
    from app.ui.materials.review_dialog import ReviewDialog
    from app.ui.materials.review_score_dialog import ReviewScoreDialog

    page = d.window.show_records("materials")
    d.loaded(page)
    material = draft_material(d, material_review)
    page.select_record(material)
    form = d.show(MaterialDialog(d.service, material, page))             # a double click on the row
    paper = d.work / "Методические рекомендации (текст).pdf"
    paper.write_bytes(b"%PDF-1.4\n% demo\n")
    form.files.add_files([str(paper)])                                  # «Прикрепить…»
    form.scroll.ensureWidgetVisible(form.files, 0, 0)
    d.grab("material-form", form.windowTitle(), [form])
    assert form.save(), form.general_error.text()                       # «Сохранить»
    d.close(form)

    form = d.show(MaterialDialog(d.service, material, page))
    review = d.show(ReviewDialog(d.service, material, form))             # «Экспертиза…» in the form
    review.submit_button.click()                                        # «Подать заявку на экспертизу»
    for expert_id, name in experts(d, material_review(d.db, material)):
        review.expert_editor.set_record(expert_id, name)
        review.assign_button.click()                                    # «Назначить эксперта»
    state = material_review(d.db, material)
    first, second = [r.id for r in state.reviews]
    scores = ReviewScoreDialog(d.service, first, review)                # «Оценить по критериям…»
    fill_scores(scores, valid=True)
    assert scores.save(), scores.error_label.text()
    review.reload()
    review.select_review(second)
    d.settle()
    d.grab("review-dialog", review.windowTitle(), [form, review])
    score = d.show(ReviewScoreDialog(d.service, second, review))
    fill_scores(score, valid=False)
    d.grab("review-score", score.windowTitle(), [form, review, score])
    d.close(score, review, form)


def draft_material(d: Driver, material_review) -> str:
    """A draft with its authors (a methodical recommendation if there is one), so that it may be submitted."""
    drafts = []
    for row in d.service.list("materials").rows:
        if row.get("status") == "draft" and material_review(d.db, row["id"]).authors:
            drafts.append(row)
    assert drafts, "no draft material with authors in the demo base"
    drafts.sort(key=lambda r: not str(r.get("title", "")).startswith("Методические рекомендации"))
    return drafts[0]["id"]


def experts(d: Driver, state) -> list[tuple[str, str]]:
    """Two teachers who are not the material's authors: highest category first."""
    from app.services.registry.teacher_card import teacher_card

    authors = {a.id for a in state.authors}
    chosen = []
    for teacher_id in d.service.ids("teachers"):
        if teacher_id in authors:
            continue
        card = teacher_card(d.db, teacher_id)
        if card.qualification_category_label == "Высшая" and card.position.startswith("учитель"):
            chosen.append((teacher_id, card.full_name))
        if len(chosen) == 2:
            return chosen
    raise AssertionError("no two experts in the demo base")


def fill_scores(dialog, valid: bool) -> None:
    """Types scores as an expert would; not ``valid``: one above its criterion's maximum (the dialog marks it)."""
    from app.domain.enums import ReviewDecision

    for n, criterion in enumerate(dialog.criteria):
        maximum = int(criterion.max_score)
        dialog.set_score(criterion.code, str(maximum + 1 if n == 2 and not valid else max(maximum - n % 3, 0)))
    dialog.conclusion_edit.setPlainText(
        "Материал соответствует требованиям ФГОС, задания выстроены по уровням сложности. "
        "Рекомендуется дополнить критериями оценивания." if valid else
        "Рекомендации практичны, опираются на опыт школ округа; нужен список источников.")
    dialog.recommendation.setCurrentIndex(max(0, dialog.recommendation.findData(ReviewDecision.APPROVED.value)))


@stage
def reports(d: Driver) -> None:
    page = d.window.select_section("reports")
    d.settle()
    catalogue = page.custom_page
    for name, picture, organization in (("pk-coverage", "report-coverage", None), ("pk-due", "report-due", "school")):
        catalogue.select_report(name)
        if organization:                                                # «Организация»: one school of the network
            combo = catalogue.organization_combo
            combo.setCurrentIndex(next(i for i in range(combo.count()) if "СОШ" in combo.itemText(i)))
        catalogue.preview_button.click()                                # «Показать»
        d.settle()
        d.grab(picture, catalogue.title_label.text())


@stage
def exchange(d: Driver) -> None:
    from app.services.common.bootstrap import open_database
    from app.sync import exchange as sx

    section = d.window.select_section("exchange")
    d.settle()
    sync = section.sync_page
    form = sync.setup_form
    form.role.setCurrentIndex(form.role.findData(MUNICIPALITY[0]))
    form.code.setText(MUNICIPALITY[1])
    form.name.setText(MUNICIPALITY[2])
    d.settle()
    d.grab("exchange-setup", f"Обмен с регионом: {'настройка' if sync.stack.currentWidget() is form else '?'}")
    form.submit.click()                                                 # «Создать ключи и начать обмен»
    d.settle()

    region, _ = open_database(str(d.region_path))
    try:
        ours, theirs = d.work / "Карточка ключей ММЦ.json", d.work / "Карточка ключей региона.json"
        sync.save_keycard(ours)                                          # «Сохранить карточку ключей…»
        sx.write_keycard(region, theirs)
        sx.trust(region, ours)
        sync.trust_file(theirs)                                          # «Доверять партнёру по карточке…»
        package = d.work / "Пакет ММЦ.msp"
        sync.export_to(package)                                          # «Выгрузить пакет изменений…»
        d.settle()
        receipt = d.work / "Квитанция.msp"
        sx.import_package(region, package, receipt_out=receipt)          # the region loads it and answers
        sync.open_package(receipt)                                       # «Загрузить пакет или квитанцию…»
        d.wait_until(lambda: sync.preview_dialog is not None and sync.preview_dialog.isVisible(), "the preview")
        sync.preview_dialog.apply_button.click()
        d.settle()
        status = sync.status_label.text()
        d.grab("exchange-page", f"Обмен с регионом: {status}")
        catalogue = d.work / "Каталог региона.msp"
        sx.export_catalogue(region, catalogue, None)
    finally:
        region.dispose()
    sync.preview_dialog = None
    sync.open_package(catalogue)
    d.wait_until(lambda: sync.preview_dialog is not None and sync.preview_dialog.isVisible(), "the preview")
    preview = d.show(sync.preview_dialog)
    d.grab("exchange-preview", preview.windowTitle(), [preview])
    preview.reject()
    d.close(preview)


@stage
def backups(d: Driver) -> None:
    from PySide6.QtWidgets import QMessageBox

    from app.ui.common import messages
    from app.ui.maintenance import backups_page

    d.window.select_section("dashboard")
    d.settle()
    d.window.help_actions["backups"].trigger()          # «Файл → Резервные копии и восстановление…»
    dialog = d.window._service_dialogs["backups"]
    d.show(dialog)
    d.grab("backups", dialog.windowTitle(), [dialog])

    asked: list[QMessageBox] = []

    def confirm(parent, question):          # what QMessageBox.question shows; answered «Нет» after the picture
        box = QMessageBox(QMessageBox.Icon.Question, messages.APP_TITLE, question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
        asked.append(d.show(box))
        d.grab("restore-question", question, [dialog, box])
        return False

    backups_page.confirm_restore = confirm
    dialog.table.selectRow(0)
    dialog.restore_button.click()                       # «Восстановить из выбранной…»
    assert asked, "the restore did not ask"
    d.close(*asked, dialog)


@stage
def help_on_teachers(d: Driver) -> None:
    from PySide6.QtCore import QUrl

    d.window.show_records("teachers")
    d.settle()
    d.window.help_actions["help"].trigger()              # F1
    dialog = d.window._help_dialogs["help"]
    d.show(dialog)
    d.grab("help-f1", f"{dialog.windowTitle()}: {dialog.browser.source().fileName()}", [dialog])
    link = QUrl("guide:teacher-route.md")
    assert link.toString() in dialog.browser.toMarkdown() or link.toString() in dialog.browser.toHtml(), \
        "the help of «Педагоги» has no link to the page of the teacher's route"
    dialog.browser.anchorClicked.emit(link)              # what a click on the link does
    d.settle()
    d.grab("help-guide", f"{dialog.windowTitle()}: {dialog.browser.source().fileName()}", [dialog])
    d.close(dialog)


def main(work_arg: str, out_arg: str) -> int:
    from PySide6.QtWidgets import QApplication

    work, out = Path(work_arg), Path(out_arg)
    centre, _region = build_bases(work)

    from app.services.accounts.accounts import sign_in
    from app.services.common.bootstrap import open_database
    from app.services.maintenance import backups
    from app.services.registry.service import RecordService
    from app.ui.demo.first_start_dialog import FirstStartDialog
    from app.ui.shell.application import setup_application
    from app.ui.shell.main_window import MainWindow

    from app.ui.common import messages

    app = QApplication.instance() or QApplication([])
    setup_application(app)
    FirstStartDialog.ask = classmethod(lambda cls, parent=None: None)

    def refuse(parent, text):           # a message box would wait for a click that never comes
        raise AssertionError(f"the program said: {text}")

    messages.show_error = refuse
    db, _ = open_database(str(centre))
    sign_in(db, "metodist", "demo")
    backups.daily_backup(db)                            # what the first start of a day does
    window = MainWindow(db)
    window.show()
    window.setGeometry(window.screen().geometry())      # the window over the whole 1366×768 screen
    driver = Driver(app, window, db, RecordService(db), work, out)
    driver.settle()
    try:
        for run in STAGES:
            run(driver)
    finally:
        window.close()
        db.dispose()
    missing = [s.name for s in SHOTS if s.name not in driver.report]
    if missing:
        raise AssertionError(f"no picture taken for {missing}")
    print(json.dumps(driver.report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main(*sys.argv[1:3]))
