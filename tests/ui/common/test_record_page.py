"""A list page: create, edit, delete to the bin and restore, filters, highlighted rows — through the real widgets."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.ui.common.highlights import ALARM_TEXT, WARNING_BACKGROUND
from app.ui.shell.main_window import MainWindow
from app.ui.common.record_page import RecordPage
from app.ui.common.record_table import SEARCH_DELAY_MS
from app.ui.common.trash_dialog import TrashDialog
from app.ui.common.record_dialog import RecordDialog
from app.ui.shell.sections import section_of_entity
from app.ui.common import extension_points

TODAY = date.today()


def _page(qtbot, records, entity) -> RecordPage:
    tab = next(t for t in section_of_entity(entity).tabs if t.entity == entity)
    page = RecordPage(records, tab)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.ensure_loaded()
    return page


def _column(page, name) -> list[str]:
    column = [c.name for c in page.model.columns].index(name)
    return [page.model.index(r, column).data() for r in range(page.model.rowCount())]


@pytest.fixture
def form(monkeypatch, qtbot):
    """RecordDialog.ask replaced by the real form, filled by ``form.fill(dialog)`` and saved with its button."""
    class Driver:
        fill = None
        dialogs: list[RecordDialog] = []

        def ask(self, parent, service, entity, record_id=None):
            dialog = RecordDialog(service, entity, record_id, parent)
            qtbot.addWidget(dialog)
            dialog.show()
            self.dialogs.append(dialog)
            self.fill(dialog)
            if dialog.save_button.isEnabled():
                dialog.save_button.click()
            return dialog.saved_id

    driver = Driver()
    monkeypatch.setattr(RecordDialog, "ask", classmethod(lambda cls, *args, **kw: driver.ask(*args, **kw)))
    return driver


def _teacher(records, last, first, **values):
    return records.create("teachers", {"last_name": last, "first_name": first, **values})


# -- create, edit -----------------------------------------------------------

def test_creating_a_record_saves_it_and_the_list_shows_it_selected(qtbot, records, teachers, form):
    page = _page(qtbot, records, "teachers")
    assert page.count_label.text() == "Найдено: 3"

    def fill(dialog):
        dialog.editors["last_name"].insert("Абрамова")
        dialog.editors["first_name"].insert("Зоя")
        dialog.editors["snils"].insert("112-233-445 95")

    form.fill = fill
    page.create_button.click()
    assert records.count("teachers") == 4
    assert _column(page, "last_name") == ["Абрамова", "Иванов", "Семёнов", "Фёдоров"]
    assert page.count_label.text() == "Найдено: 4"
    assert page.model.record_label(0) == "Абрамова Зоя"
    assert page.selected_id() == form.dialogs[0].saved_id


def test_an_invalid_value_keeps_save_disabled_and_nothing_is_created(qtbot, records, form):
    page = _page(qtbot, records, "teachers")

    def fill(dialog):
        dialog.editors["last_name"].insert("Абрамова")
        dialog.editors["first_name"].insert("Зоя")
        dialog.editors["snils"].insert("112-233-445 96")

    form.fill = fill
    page.create_button.click()
    dialog = form.dialogs[0]
    assert "неверная контрольная сумма" in dialog.error_text("snils")
    assert not dialog.save_button.isEnabled()
    assert records.count("teachers") == 0 and page.count() == 0


def test_editing_an_agreement_updates_the_row_and_keeps_it_selected(qtbot, records, form):
    for n in ("1/2026", "2/2026", "3/2026"):
        records.create("agreements", {"number": n, "kind": "agreement", "subject": "Сетевое взаимодействие",
                                      "status": "draft"})
    page = _page(qtbot, records, "agreements")
    page.select_record(page.model.record_id(1))
    chosen = page.selected_id()

    form.fill = lambda dialog: dialog.editors["subject"].setPlainText("Стажировки педагогов")
    page.edit_button.click()
    assert records.get("agreements", chosen)["subject"] == "Стажировки педагогов"
    assert page.selected_id() == chosen
    assert _column(page, "subject")[page.model.row_of(chosen)] == "Стажировки педагогов"


def test_double_click_opens_the_record(qtbot, records, form):
    records.create("agreements", {"number": "1/2026", "kind": "agreement", "subject": "А", "status": "draft"})
    page = _page(qtbot, records, "agreements")
    form.fill = lambda dialog: dialog.editors["number"].setText("1/2026-С")
    page.table.doubleClicked.emit(page.model.index(0, 2))
    assert _column(page, "number") == ["1/2026-С"]


def test_edit_on_a_teacher_opens_the_card_and_refreshes_after_a_change(qtbot, records, teachers, monkeypatch):
    opened = []

    def open_card(parent, service, teacher_id):
        opened.append(teacher_id)
        service.update("teachers", teacher_id, {"position": "методист"})
        return True

    monkeypatch.setitem(extension_points.CARDS, "teachers", open_card)
    page = _page(qtbot, records, "teachers")
    page.select_record(teachers["Семёнов"])
    page.edit_button.click()
    assert opened == [teachers["Семёнов"]]
    assert page.selected_id() == teachers["Семёнов"]
    assert _column(page, "position")[page.model.row_of(teachers["Семёнов"])] == "методист"


def test_edit_and_delete_need_a_selection(qtbot, records, teachers):
    page = _page(qtbot, records, "teachers")
    assert not page.edit_button.isEnabled() and not page.delete_button.isEnabled()
    page.select_record(teachers["Иванов"])
    assert page.edit_button.isEnabled() and page.delete_button.isEnabled()


# -- delete, bin, restore -----------------------------------------------------

def test_delete_asks_then_the_record_goes_to_the_bin_and_restore_brings_it_back(
        qtbot, records, teachers, message_answers, qtmodeltester):
    page = _page(qtbot, records, "teachers")
    page.select_record(teachers["Семёнов"])

    page.delete_button.click()                       # the question is declined by default
    assert message_answers["asked_delete"] == [
        "Удалить запись «Семёнов Андрей» (педагог)? Запись можно будет восстановить из корзины."]
    assert records.count("teachers") == 3 and page.count() == 3

    message_answers["delete"] = True
    page.delete_button.click()
    assert records.count("teachers") == 2
    assert _column(page, "last_name") == ["Иванов", "Фёдоров"]
    assert page.selected_id() == teachers["Фёдоров"]          # the selection stays on the same line

    page.trash_button.click()
    trash = page.trash_dialog
    assert isinstance(trash, TrashDialog) and trash.isVisible()
    assert trash.windowTitle() == "Корзина: Педагоги"
    assert trash.count() == 1 and trash.count_label.text() == "В корзине: 1"
    assert trash.model.index(0, 0).data() == "Семёнов"
    qtmodeltester.check(trash.model)

    trash.select_record(teachers["Семёнов"])
    trash.restore_button.click()
    assert trash.count() == 0 and not trash.restore_button.isEnabled()
    assert records.count("teachers") == 3
    assert _column(page, "last_name") == ["Иванов", "Семёнов", "Фёдоров"]
    assert page.selected_id() == teachers["Семёнов"]


def test_a_refused_delete_shows_the_service_message_and_keeps_the_record(qtbot, records, message_answers):
    teacher = _teacher(records, "Орлов", "Павел")
    event = records.create("events", {"title": "Семинар", "kind": "seminar", "format": "in_person",
                                      "starts_on": "01.10.2026"})
    records.create("participations", {"event_id": event["id"], "teacher_id": teacher["id"]})
    message_answers["delete"] = True
    page = _page(qtbot, records, "teachers")
    page.select_record(teacher["id"])
    page.delete_button.click()
    assert len(message_answers["errors"]) == 1
    assert "нельзя удалить" in message_answers["errors"][0] and "участие в мероприятиях (1)" in message_answers["errors"][0]
    assert records.count("teachers") == 1 and page.count() == 1


def test_a_refused_restore_shows_the_service_message(qtbot, records, message_answers):
    school = records.create("organizations", {"full_name": "Школа № 1", "kind": "school"})
    teacher = _teacher(records, "Орлов", "Павел", organization_id=school["id"])
    records.delete("teachers", teacher["id"])
    records.delete("organizations", school["id"])
    page = _page(qtbot, records, "teachers")
    trash = page.open_trash()
    trash.select_record(teacher["id"])
    trash.restore_button.click()
    assert "Сначала восстановите её" in message_answers["errors"][0]
    assert trash.count() == 1 and page.count() == 0


# -- filters -------------------------------------------------------------------

@pytest.fixture
def pd_teachers(records):
    """One overdue for professional development, one due soon, one fine, one unknown."""
    return {
        "overdue": _teacher(records, "Просроченный", "Олег", last_pd_on=TODAY - timedelta(days=4 * 365))["id"],
        "soon": _teacher(records, "Скорый", "Семён", last_pd_on=TODAY - timedelta(days=3 * 365 - 30))["id"],
        "fine": _teacher(records, "Успешный", "Устин", last_pd_on=TODAY - timedelta(days=100))["id"],
        "unknown": _teacher(records, "Неизвестный", "Ной")["id"],
    }


def test_filter_overdue_shows_only_overdue_teachers_and_reset_shows_all(qtbot, records, pd_teachers, qtmodeltester):
    page = _page(qtbot, records, "teachers")
    panel = page.filter_panel
    assert panel.isVisible()
    assert panel.choice_labels("pd_status") == ["Все", "просрочено", "срок подходит (6 месяцев)", "в норме",
                                                "нет данных"]
    assert not panel.reset_button.isEnabled()

    panel.set_filter("pd_status", "overdue")
    assert _column(page, "last_name") == ["Просроченный"]
    assert _column(page, "pd_status") == ["просрочено"]
    assert page.count_label.text() == "Найдено: 1"
    assert panel.reset_button.isEnabled()
    qtmodeltester.check(page.model)

    panel.set_filter("pd_status", "due_soon")
    assert _column(page, "last_name") == ["Скорый"]
    panel.reset_button.click()
    assert page.count() == 4 and panel.filters() == {}
    assert not panel.reset_button.isEnabled()


def test_search_and_filters_narrow_the_list_together(qtbot, records):
    school = records.create("organizations", {"full_name": "Школа № 1", "short_name": "СШ № 1", "kind": "school"})
    other = records.create("organizations", {"full_name": "Школа № 2", "short_name": "СШ № 2", "kind": "school"})
    _teacher(records, "Иванова", "Анна", organization_id=school["id"])
    _teacher(records, "Иванов", "Пётр", organization_id=other["id"])
    _teacher(records, "Петров", "Иван", organization_id=school["id"])
    page = _page(qtbot, records, "teachers")
    page.filter_panel.set_filter("organization_id", school["id"])
    assert sorted(_column(page, "last_name")) == ["Иванова", "Петров"]
    page.set_search_text("иванов")
    qtbot.waitUntil(lambda: page.count() == 1, timeout=SEARCH_DELAY_MS * 8)
    assert _column(page, "last_name") == ["Иванова"]
    page.filter_panel.reset()
    assert sorted(_column(page, "last_name")) == ["Иванов", "Иванова"]


def test_a_long_choice_list_takes_typing(qtbot, records):
    orgs = [records.create("organizations", {"full_name": f"Школа № {n}", "short_name": f"СШ № {n}",
                                             "kind": "school"}) for n in range(1, 26)]
    page = _page(qtbot, records, "teachers")
    combo = page.filter_panel.combos["organization_id"]
    assert combo.isEditable() and combo.completer().filterMode() == Qt.MatchFlag.MatchContains
    assert not page.filter_panel.combos["pd_status"].isEditable()
    combo.lineEdit().setText("сш № 17")
    combo.lineEdit().editingFinished.emit()
    assert page.filter_panel.filters() == {"organization_id": orgs[16]["id"]}
    combo.lineEdit().setText("такой школы нет")
    combo.lineEdit().editingFinished.emit()
    assert combo.currentText() == "СШ № 17"                  # back to the last real choice
    combo.lineEdit().setText("")
    combo.lineEdit().editingFinished.emit()
    assert page.filter_panel.filters() == {}


def test_choices_follow_new_records_and_keep_what_was_chosen(qtbot, records, form):
    school = records.create("organizations", {"full_name": "Школа № 1", "short_name": "СШ № 1", "kind": "school"})
    _teacher(records, "Иванова", "Анна", organization_id=school["id"], position="учитель")
    page = _page(qtbot, records, "teachers")
    page.filter_panel.set_filter("position", "учитель")

    def fill(dialog):
        dialog.editors["last_name"].insert("Петров")
        dialog.editors["first_name"].insert("Иван")
        dialog.editors["position"].insert("методист")

    form.fill = fill
    page.create_button.click()
    assert "методист" in page.filter_panel.choice_labels("position")
    assert page.filter_panel.filters() == {"position": "учитель"}
    assert _column(page, "last_name") == ["Иванова"]


def test_a_new_record_hidden_by_the_filters_is_announced(qtbot, records, pd_teachers, form):
    page = _page(qtbot, records, "teachers")
    page.filter_panel.set_filter("pd_status", "overdue")

    def fill(dialog):
        dialog.editors["last_name"].insert("Новый")
        dialog.editors["first_name"].insert("Нил")

    form.fill = fill
    page.create_button.click()
    assert records.count("teachers") == 5 and page.count() == 1
    assert page.notice_label.isVisible() and "скрывают поиск или фильтры" in page.notice_label.text()
    page.filter_panel.reset()
    assert not page.notice_label.isVisible() and page.count() == 5


def test_pages_without_filters_show_no_panel(qtbot, records):
    page = _page(qtbot, records, "mentorships")
    assert not page.filter_panel.isVisible()


@pytest.mark.parametrize("entity", ["organizations", "teachers", "communities", "agreements", "requests",
                                    "programmes"])
def test_the_registry_lists_have_filters(qtbot, records, entity):
    page = _page(qtbot, records, entity)
    assert page.filter_panel.isVisible() and page.filter_panel.combos
    assert all(combo.itemText(0) == "Все" for combo in page.filter_panel.combos.values())


# -- highlighted rows -----------------------------------------------------------

def test_an_agreement_ending_within_thirty_days_is_highlighted(qtbot, records, qtmodeltester):
    ending = TODAY + timedelta(days=10)
    records.create("agreements", {"number": "1/2026", "kind": "agreement", "subject": "А", "status": "active",
                                  "valid_to": ending})
    records.create("agreements", {"number": "2/2026", "kind": "agreement", "subject": "Б", "status": "active",
                                  "valid_to": TODAY + timedelta(days=200)})
    records.create("agreements", {"number": "3/2026", "kind": "agreement", "subject": "В", "status": "draft",
                                  "valid_to": ending})
    page = _page(qtbot, records, "agreements")
    qtmodeltester.check(page.model)
    marked = {}
    for row in range(page.count()):
        index = page.model.index(row, 0)
        marked[index.data()] = (index.data(Qt.ItemDataRole.BackgroundRole), index.data(Qt.ItemDataRole.ToolTipRole))
    assert marked["1/2026"] == (QColor(WARNING_BACKGROUND), f"Срок действия истекает {ending:%d.%m.%Y}")
    assert marked["2/2026"] == (None, None) and marked["3/2026"] == (None, None)
    # The whole row is tinted.
    row = _column(page, "number").index("1/2026")
    assert page.model.index(row, 5).data(Qt.ItemDataRole.BackgroundRole) == QColor(WARNING_BACKGROUND)
    page.filter_panel.set_filter("term", "expiring")
    assert sorted(_column(page, "number")) == ["1/2026", "3/2026"]


def test_an_unanswered_request_past_its_due_date_is_highlighted(qtbot, records):
    a = records.create("organizations", {"full_name": "ИМЦ", "kind": "methodical"})
    b = records.create("organizations", {"full_name": "Школа № 1", "kind": "school"})
    common = {"direction": "incoming", "sender_id": b["id"], "addressee_id": a["id"], "reply_contact": "imc@mail.ru",
              "prepared_by_name": "Орлова О. О.", "prepared_by_position": "секретарь",
              "prepared_by_phone": "+79123456789", "prepared_by_email": "o@mail.ru", "subject": "Отчёт",
              "status": "received", "sent_on": TODAY - timedelta(days=40)}
    due = TODAY - timedelta(days=5)
    records.create("requests", {**common, "number": "Вх-1", "due_on": due})
    records.create("requests", {**common, "number": "Вх-2", "due_on": due, "answered_on": TODAY - timedelta(days=6)})
    page = _page(qtbot, records, "requests")
    tips = {page.model.index(r, 0).data(): page.model.index(r, 0).data(Qt.ItemDataRole.ToolTipRole)
            for r in range(page.count())}
    assert tips == {"Вх-1": f"Срок ответа истёк {due:%d.%m.%Y}", "Вх-2": None}
    row = _column(page, "number").index("Вх-1")
    assert page.model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) == QColor(ALARM_TEXT)


def test_an_overdue_teacher_has_the_status_column_coloured(qtbot, records, pd_teachers):
    page = _page(qtbot, records, "teachers")
    names = [c.name for c in page.model.columns]
    row = page.model.row_of(pd_teachers["overdue"])
    status = page.model.index(row, names.index("pd_status"))
    assert status.data() == "просрочено"
    assert status.data(Qt.ItemDataRole.ForegroundRole) == QColor(ALARM_TEXT)
    assert status.data(Qt.ItemDataRole.FontRole).bold()
    assert status.data(Qt.ItemDataRole.ToolTipRole).startswith("Повышение квалификации просрочено: срок истёк")
    assert page.model.index(row, names.index("last_name")).data(Qt.ItemDataRole.ForegroundRole) is None
    fine = page.model.index(page.model.row_of(pd_teachers["fine"]), names.index("pd_status"))
    assert fine.data(Qt.ItemDataRole.ForegroundRole) is None


# -- the window ---------------------------------------------------------------

def test_a_change_in_one_list_makes_the_others_read_again(qtbot, db, records, teachers, form, message_answers):
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    participations = window.show_records("participations")
    page = window.show_records("teachers")
    assert not participations._stale
    message_answers["delete"] = True
    page.select_record(teachers["Иванов"])
    page.delete_button.click()
    assert page.count() == 2 and not page._stale
    assert participations._stale


def test_columns_chosen_from_the_header_menu_stay_hidden_when_the_list_opens_again(qtbot, records):
    from app.ui.common.record_table import column_menu

    _teacher(records, "Иванова", "Анна")
    page = _page(qtbot, records, "teachers")
    names = [c.name for c in page.model.columns]
    header = page.table.horizontalHeader()
    menu = column_menu(page.table, "teachers", names)
    items = [a for a in menu.actions() if a.isCheckable()]
    assert len(items) == len(names) and all(a.isChecked() for a in items)
    assert items[1].text() == " ".join(str(page.model.headerData(1, Qt.Orientation.Horizontal)).split())
    items[1].setChecked(False)
    items[3].setChecked(False)
    assert header.isSectionHidden(1) and header.isSectionHidden(3) and not header.isSectionHidden(0)

    again = _page(qtbot, records, "teachers")
    hidden = [c for c in range(len(names)) if again.table.horizontalHeader().isSectionHidden(c)]
    assert hidden == [1, 3]
    # Another list keeps all its columns.
    other = _page(qtbot, records, "organizations")
    assert not any(other.table.horizontalHeader().isSectionHidden(c) for c in range(len(other.model.columns)))

    menu = column_menu(again.table, "teachers", names)
    menu.actions()[-1].trigger()            # «Показать все столбцы»
    assert not any(again.table.horizontalHeader().isSectionHidden(c) for c in range(len(names)))
    assert not [c for c in range(len(names)) if _page(qtbot, records, "teachers").table.horizontalHeader()
                .isSectionHidden(c)]


def test_the_last_shown_column_cannot_be_hidden(qtbot, records):
    from app.ui.common.record_table import column_menu

    page = _page(qtbot, records, "organizations")
    names = [c.name for c in page.model.columns]
    for column in range(1, len(names)):
        page.table.horizontalHeader().setSectionHidden(column, True)
    items = [a for a in column_menu(page.table, "organizations", names).actions() if a.isCheckable()]
    assert not items[0].isEnabled() and items[0].isChecked()
    assert all(a.isEnabled() and not a.isChecked() for a in items[1:])
