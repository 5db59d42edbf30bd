from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from app.services.registry import overview
from app.ui.shell.main_window import WINDOW_TITLE, MainWindow
from app.ui.common.record_table import SEARCH_DELAY_MS
from app.ui.shell.sections import SECTIONS


def _open(qtbot, db) -> MainWindow:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _column(page, column: int = 0) -> list[str]:
    model = page.model
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_window_title_and_database_in_status_bar(qtbot, db):
    window = _open(qtbot, db)
    assert window.windowTitle() == WINDOW_TITLE
    assert str(db.path) in window.database_label.text()


def test_teachers_page_lists_records(qtbot, db, teachers):
    window = _open(qtbot, db)
    page = window.show_records("teachers")
    assert window.current_section() == "teachers"
    assert page.table.model().rowCount() == 3
    assert _column(page) == ["Иванов", "Семёнов", "Фёдоров"]
    assert page.model.index(2, 1).data() == "Пётр"
    assert page.count_label.text() == "Найдено: 3"


def test_search_as_you_type(qtbot, db, teachers):
    window = _open(qtbot, db)
    page = window.show_records("teachers")
    # QTest.keyClicks asserts on non-ASCII text, so type letter by letter through the widget.
    for letter in "федоров":
        page.search_field.insert(letter)
    assert page.model.rowCount() == 3                      # debounced: not on every key
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=SEARCH_DELAY_MS * 8)
    assert _column(page) == ["Фёдоров"]
    assert page.count_label.text() == "Найдено: 1"
    page.search_field.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=SEARCH_DELAY_MS * 8)


def test_refused_search_shows_the_message_in_the_page(qtbot, db, teachers, monkeypatch):
    from app.services.common.errors import ServiceError

    window = _open(qtbot, db)
    page = window.show_records("teachers")

    def refuse(*args, **kwargs):
        raise ServiceError("Поиск по разделу «Педагоги» не поддерживается.")

    monkeypatch.setattr(page.model._service, "first_ids", refuse)
    page.set_search_text("x")
    qtbot.waitUntil(lambda: page.message_label.isVisible(), timeout=SEARCH_DELAY_MS * 8)
    assert "не поддерживается" in page.message_label.text()
    assert page.model.rowCount() == 0


def test_clicking_a_header_sorts_and_again_reverses(qtbot, db, teachers):
    window = _open(qtbot, db)
    page = window.show_records("teachers")
    header = page.table.horizontalHeader()
    on_first_column = QPoint(header.sectionViewportPosition(0) + 5, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=on_first_column)
    first = _column(page)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=on_first_column)
    second = _column(page)
    assert sorted(first) == sorted(second) == ["Иванов", "Семёнов", "Фёдоров"]
    assert second == list(reversed(first))
    assert first in (["Иванов", "Семёнов", "Фёдоров"], ["Фёдоров", "Семёнов", "Иванов"])


def test_every_section_switches_the_page_and_shows_its_title(qtbot, db):
    window = _open(qtbot, db)
    assert [window.sidebar.item(i).text() for i in range(window.sidebar.count())] == [
        "Главная", "На контроле", "Организации", "Педагоги", "Повышение квалификации", "Мероприятия", "Материалы", "Сообщества",
        "Договоры", "Запросы", "Отчёты", "Обмен с регионом"]
    seen = set()
    for row, section in enumerate(SECTIONS):
        window.sidebar.setCurrentRow(row)
        page = window.stack.currentWidget()
        assert page is window.pages[section.key]
        assert page.title_label.text() == section.title
        assert page.title_label.isVisible()
        for entity, record_page in page.record_pages.items():
            if page.tabs is not None:
                page.tabs.setCurrentWidget(record_page)
            assert record_page.model.is_loaded, entity
            # A new database holds only the default criteria sheet of экспертиза (migration 0008).
            assert record_page.count_label.text() == ("Найдено: 1" if entity == "criteria_sheets" else "Найдено: 0")
        seen.add(id(page))
    assert len(seen) == len(SECTIONS)
    assert window.pages["exchange"].sync_page is not None
    assert window.pages["reports"].custom_page is not None
    assert not any("следующих версий" in p.description_label.text()
                   for p in window.pages.values() if hasattr(p, "description_label"))


def test_development_section_has_its_four_lists_and_three_reports_in_tabs(qtbot, db):
    window = _open(qtbot, db)
    page = window.select_section("development")
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "Программы", "Диагностика дефицитов", "Маршруты (ИОМ)", "Наставничество",
        "Сроки ПК", "Охват по организациям", "Молодые без наставника"]
    assert not page.record_pages["mentorships"].model.is_loaded   # loaded when opened
    window.show_records("mentorships")
    assert page.record_pages["mentorships"].model.is_loaded


def test_geometry_survives_a_restart_and_every_start_opens_on_the_dashboard(qtbot, db):
    window = _open(qtbot, db)
    window.resize(760, 560)
    window.show_records("participations")
    window.close()

    again = _open(qtbot, db)
    assert again.current_section() == "dashboard"
    assert again.stack.currentWidget() is again.pages["dashboard"]
    assert again.size().width() == 760 and again.size().height() == 560


def test_first_start_with_demo_data(qtbot, db, first_start_answers):
    first_start_answers["value"] = 150
    window = _open(qtbot, db)
    qtbot.waitUntil(lambda: first_start_answers["calls"] == 1, timeout=2000)
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=20000)
    assert overview.stats(db)["teachers"] == 150
    page = window.show_records("teachers")
    assert page.model.rowCount() == 150
    assert page.count_label.text() == "Найдено: 150"
    assert "Демонстрационная база создана" in window.statusBar().currentMessage()


def test_first_start_with_an_empty_base(qtbot, db, first_start_answers):
    window = _open(qtbot, db)
    qtbot.waitUntil(lambda: first_start_answers["calls"] == 1, timeout=2000)
    assert not window.is_busy()
    assert overview.is_empty(db)
    assert window.show_records("teachers").model.rowCount() == 0


def test_no_question_when_the_base_has_data(qtbot, db, teachers, first_start_answers):
    window = _open(qtbot, db)
    qtbot.wait(50)
    assert first_start_answers["calls"] == 0
    assert not window.is_busy()


def test_demo_generation_that_fails_shows_the_message(qtbot, db, monkeypatch):
    from app.services.common.errors import ServiceError
    from app.ui.shell import main_window

    def broken(*args, **kwargs):
        raise ServiceError("Диск переполнен.")

    monkeypatch.setattr(main_window, "generate_demo", broken)
    window = _open(qtbot, db)
    task = window.start_demo(150)
    qtbot.waitUntil(lambda: not task.is_running(), timeout=5000)
    box = window._message_box
    assert box is not None and box.isVisible()
    assert "Не удалось создать демонстрационные данные" in box.text() and "Диск переполнен." in box.text()
    box.close()


def test_cancelled_demo_leaves_the_base_empty(qtbot, db):
    from app.services.demo.generator import generate_demo
    from app.ui.common.task_runner import Task

    task = Task(lambda progress, is_cancelled: generate_demo(db, 150, progress=progress, is_cancelled=is_cancelled))
    task.cancel()                                   # before the first stage: deterministic
    with qtbot.waitSignal(task.cancelled, timeout=10000):
        task.start()
    assert overview.is_empty(db)
