"""«Главная» in the main window: figures read off the GUI thread, and every click lands on its records."""
from __future__ import annotations

import math
from datetime import date

import pytest
from PySide6.QtCore import QPointF, Qt

from PySide6.QtWidgets import QApplication

from app.ui.shell.main_window import MainWindow
from tests.services.reports.dashboard_data import EXPECTED, build

LOAD_TIMEOUT_MS = 10_000


def _open(qtbot, db) -> MainWindow:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.resize(1280, 900)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.dashboard.data is not None, timeout=LOAD_TIMEOUT_MS)
    return window


@pytest.fixture
def network(records):
    return build(records, date.today())


def _click_item(qtbot, tree, item) -> None:
    tree.scrollToItem(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center())


def test_the_dashboard_is_first_is_shown_on_start_and_reads_off_the_gui_thread(qtbot, db, network):
    window = MainWindow(db)
    qtbot.addWidget(window)
    # Constructed: the read has started in a worker, nothing is shown yet.
    assert window.current_section() == "dashboard" and window.sidebar.item(0).text() == "Главная"
    assert window.dashboard.data is None and window.dashboard.status_label.text() == "Подсчёт…"
    window.show()
    qtbot.waitUntil(lambda: window.dashboard.data is not None, timeout=LOAD_TIMEOUT_MS)
    cards = {key: card.value_label.text() for key, card in window.dashboard.cards.items()}
    assert cards == {"teachers": "8", "organizations": "3", "coverage": "37,5\u00a0%", "overdue": "3",
                     "due_soon": "1", "events": "3", "materials_in_review": "2", "young_without_mentor": "1"}
    assert window.dashboard.cards["overdue"].caption_label.text() == "Просрочено ПК"
    assert "по состоянию на" in window.dashboard.status_label.text()


@pytest.mark.parametrize("key, entity, filters, count", [
    ("overdue", "teachers", {"pd_status": "overdue"}, EXPECTED["pd"]["overdue"]),
    ("due_soon", "teachers", {"pd_status": "due_soon"}, EXPECTED["pd"]["due_soon"]),
    ("events", "events", {"period": "year"}, EXPECTED["events_this_year"]),
    ("materials_in_review", "materials", {"status": "in_review"}, EXPECTED["materials"]["in_review"]),
    ("teachers", "teachers", {}, EXPECTED["teachers"]),
])
def test_clicking_a_figure_opens_the_filtered_list(qtbot, db, network, key, entity, filters, count):
    window = _open(qtbot, db)
    # A search typed earlier must not hide any of the figure's records.
    window.show_records(entity).set_search_text("нет такого")
    window.select_section("dashboard")
    qtbot.mouseClick(window.dashboard.cards[key], Qt.MouseButton.LeftButton)
    page = window.current_page().current_record_page()
    assert page.entity == entity
    assert page.filter_panel.filters() == filters and page.search_field.text() == ""
    assert page.count() == count and page.count_label.text() == f"Найдено: {count}"


def test_clicking_coverage_and_young_opens_their_reports(qtbot, db, network):
    window = _open(qtbot, db)
    qtbot.mouseClick(window.dashboard.cards["young_without_mentor"], Qt.MouseButton.LeftButton)
    development = window.pages["development"]
    assert window.current_section() == "development"
    report = development.tabs.currentWidget()
    assert report is development.report_tabs["young_without_mentor"]
    qtbot.waitUntil(lambda: report.table.model().rowCount() >= 1, timeout=LOAD_TIMEOUT_MS)
    assert report.table.model().rowCount() == EXPECTED["young_without_mentor"]
    window.select_section("dashboard")
    qtbot.mouseClick(window.dashboard.cards["coverage"], Qt.MouseButton.LeftButton)
    assert development.tabs.currentWidget() is development.report_tabs["pd_coverage"]


def test_clicking_an_organisation_bar_lists_its_overdue_teachers(qtbot, db, network):
    window = _open(qtbot, db)
    chart = window.dashboard.overdue_chart
    window.dashboard.scroll.ensureWidgetVisible(chart)
    assert [b.label for b in chart.bars] == ["Школа № 1", "Гимназия № 2"]
    qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=chart.bar_position(0))
    page = window.current_page().current_record_page()
    assert page.entity == "teachers"
    assert page.filter_panel.filters() == {"organization_id": network.ids["a"], "pd_status": "overdue"}
    assert page.count() == 2
    assert {page.model.record_id(r) for r in range(2)} == {network.ids["t1"], network.ids["t2"]}


def test_clicking_a_month_bar_lists_that_months_events_of_that_status(qtbot, db, network):
    window = _open(qtbot, db)
    chart = window.dashboard.events_chart
    window.dashboard.scroll.ensureWidgetVisible(chart)
    qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=chart.bar_position(1, stack="Запланировано"))
    page = window.current_page().current_record_page()
    assert page.entity == "events" and page.filter_panel.filters() == {"period": "m02", "status": "planned"}
    assert page.count() == 1 and page.model.record_id(0) == network.ids["e2"]


def test_clicking_a_slice_of_the_pd_pie_lists_those_teachers(qtbot, db, network):
    window = _open(qtbot, db)
    chart = window.dashboard.pd_chart
    window.dashboard.scroll.ensureWidgetVisible(chart)
    series = chart.chart().series()[0]
    overdue = series.slices()[2]
    # Slices run clockwise from twelve o'clock; click half-way across the ring, mid-slice.
    area = chart.chart().plotArea()
    radius = min(area.width(), area.height()) / 2 * series.pieSize() * (1 + series.holeSize()) / 2
    angle = math.radians(overdue.startAngle() + overdue.angleSpan() / 2)
    scene = chart.chart().mapToScene(QPointF(area.center().x() + radius * math.sin(angle),
                                             area.center().y() - radius * math.cos(angle)))
    qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=chart.mapFromScene(scene))
    page = window.current_page().current_record_page()
    assert page is not None and page.entity == "teachers"
    assert page.filter_panel.filters() == {"pd_status": "overdue"} and page.count() == EXPECTED["pd"]["overdue"]


def test_attention_lines_open_the_filtered_list_and_the_record(qtbot, db, network):
    window = _open(qtbot, db)
    tree = window.dashboard.attention
    titles = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert titles[0] == "Запросы: срок ответа истёк" and titles[-1] == "Молодые педагоги без наставника"
    group = tree.group_item("requests_soon")
    assert group.text(1) == str(EXPECTED["requests_soon"])
    _click_item(qtbot, tree, group)
    page = window.current_page().current_record_page()
    assert page.entity == "requests" and page.filter_panel.filters() == {"deadline": "soon"}
    assert page.count() == EXPECTED["requests_soon"]

    window.select_section("dashboard")
    group = tree.group_item("agreements_expiring")
    second = group.child(1)
    assert second.text(0) == "№ 2/С — Соглашение 2/С" and "через 30 дней" in second.text(1)
    _click_item(qtbot, tree, second)
    page = window.current_page().current_record_page()
    assert page.entity == "agreements" and page.filter_panel.filters() == {"status": "active", "term": "expiring"}
    assert page.count() == EXPECTED["agreements_expiring"]
    assert page.selected_id() == network.ids["a2"]


def test_urgent_deadlines_are_a_page_with_its_count_on_the_sidebar_and_nothing_pops_up(qtbot, db, network):
    window = _open(qtbot, db)
    # Nothing but the main window is on screen after start.
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window] == []
    urgent = ["requests_overdue", "reviews_overdue", "requests_soon", "reviews_soon", "agreements_expiring"]
    count = sum(EXPECTED[key] for key in urgent)
    row = list(window.pages).index("attention")
    assert window.sidebar.item(row).text() == f"На контроле ({count})"

    page = window.select_section("attention").custom_page
    assert page is window.attention and page.list.isVisible()
    keys = [g.key for g in page.list.groups]
    assert keys[:5] == urgent and keys[-1] == "young_without_mentor"
    # The page shows every record the service names, not the three of «Главная».
    group = page.list.group_item("agreements_expiring")
    assert group.childCount() == len(page.groups[keys.index("agreements_expiring")].items)
    # The list fills the page: no fixed height leaving a gap below it.
    assert page.list.maximumHeight() > 10_000 and page.list.height() > page.height() // 2
    _click_item(qtbot, page.list, page.list.group_item("reviews_overdue").child(0))
    records = window.current_page().current_record_page()
    assert records.entity == "reviews" and records.filter_panel.filters() == {"deadline": "overdue"}
    assert records.selected_id() == network.ids["r1"] and records.count() == EXPECTED["reviews_overdue"]


def test_the_attention_count_follows_a_change_when_the_page_is_read_again(qtbot, db, records, network):
    from datetime import timedelta

    window = _open(qtbot, db)
    row = list(window.pages).index("attention")
    urgent = ["requests_overdue", "reviews_overdue", "requests_soon", "reviews_soon", "agreements_expiring"]
    count = sum(EXPECTED[key] for key in urgent)
    records.create("agreements", {"number": "77/С", "kind": "agreement", "subject": "Новое",
                                  "valid_to": date.today() + timedelta(days=3), "status": "active"})
    page = window.select_section("attention").custom_page
    page.reload()
    qtbot.waitUntil(lambda: window.sidebar.item(row).text() == f"На контроле ({count + 1})",
                    timeout=LOAD_TIMEOUT_MS)
    assert "№ 77/С — Новое" in [page.list.group_item("agreements_expiring").child(i).text(0)
                                for i in range(page.list.group_item("agreements_expiring").childCount())]


def test_the_attention_count_follows_an_edit_in_a_list_without_opening_the_page(qtbot, db, records, network):
    from datetime import timedelta

    window = _open(qtbot, db)
    row = list(window.pages).index("attention")
    urgent = ["requests_overdue", "reviews_overdue", "requests_soon", "reviews_soon", "agreements_expiring"]
    count = sum(EXPECTED[key] for key in urgent)
    agreements = window.show_records("agreements")
    records.create("agreements", {"number": "78/С", "kind": "agreement", "subject": "Ещё одно",
                                  "valid_to": date.today() + timedelta(days=3), "status": "active"})
    agreements.records_changed.emit("agreements")     # what a save in the list's form announces
    qtbot.waitUntil(lambda: window.sidebar.item(row).text() == f"На контроле ({count + 1})",
                    timeout=LOAD_TIMEOUT_MS)
    assert window.current_section() != "attention"


def test_no_summary_and_a_calm_line_on_an_empty_base(qtbot, db):
    window = _open(qtbot, db)
    assert window.sidebar.item(list(window.pages).index("attention")).text() == "На контроле"
    tree = window.dashboard.attention
    assert tree.topLevelItemCount() == 1 and tree.topLevelItem(0).text(0).startswith("Сроки под контролем")
    assert window.dashboard.cards["teachers"].value_label.text() == "0"


def test_a_change_elsewhere_is_counted_when_the_dashboard_is_shown_again(qtbot, db, records, network):
    window = _open(qtbot, db)
    page = window.show_records("materials")
    records.update("materials", network.ids["m1"], {"status": "in_review"})
    page.after_change()
    window.select_section("dashboard")
    qtbot.waitUntil(lambda: window.dashboard.cards["materials_in_review"].value_label.text() == "3",
                    timeout=LOAD_TIMEOUT_MS)


def test_a_long_group_shows_three_records_and_a_line_to_the_whole_list(qtbot, db, records, network):
    from datetime import timedelta

    for n in range(5):
        records.create("agreements", {"number": f"9{n}/С", "kind": "agreement", "subject": "Ещё одно",
                                      "valid_to": date.today() + timedelta(days=n + 1), "status": "active"})
    window = _open(qtbot, db)
    tree = window.dashboard.attention
    group = tree.group_item("agreements_expiring")
    assert group.text(1) == "7" and group.childCount() == 4
    assert [group.child(i).text(0) for i in range(3)] == [f"№ 9{n}/С — Ещё одно" for n in range(3)]
    more = group.child(3)
    assert more.text(0) == "и ещё 4 — открыть весь список"
    _click_item(qtbot, tree, more)
    page = window.current_page().current_record_page()
    assert page.entity == "agreements" and page.count() == 7 and page.selected_id() is None


def test_the_region_limits_the_dashboard_to_one_municipality(qtbot, db, records, network):
    from app.storage.models import AppMeta, Organization, Teacher

    with db.session() as s:
        s.merge(AppMeta(key="sync_role", value="region"))
        teachers = sorted(s.query(Teacher.id).filter(Teacher.deleted_at.is_(None)).all())
        s.query(Teacher).update({Teacher.origin: "46-231"})
        s.query(Organization).update({Organization.origin: "46-231"})
        for (tid,) in teachers[:3]:
            s.get(Teacher, tid).origin = "46-232"
    window = _open(qtbot, db)
    page = window.dashboard
    combo = page.municipality_combo
    assert not combo.isHidden() and [combo.itemData(i) for i in range(combo.count())] == ["", "46-231", "46-232"]
    assert page.cards["teachers"].value_label.text() == "8"
    combo.setCurrentIndex(combo.findData("46-232"))
    qtbot.waitUntil(lambda: page.cards["teachers"].value_label.text() == "3", timeout=LOAD_TIMEOUT_MS)
    assert page.cards["organizations"].value_label.text() == "0"
    qtbot.mouseClick(page.cards["teachers"], Qt.MouseButton.LeftButton)
    listed = window.current_page().current_record_page()
    assert listed.filter_panel.filters() == {"origin": "46-232"} and listed.count() == 3


def test_the_region_sees_one_municipalitys_deadlines_and_the_sidebar_keeps_the_whole_count(qtbot, db, records,
                                                                                          network):
    from app.storage.models import Agreement, AppMeta, InfoRequest, Organization, Teacher

    with db.session() as s:
        s.merge(AppMeta(key="sync_role", value="region"))
        for model in (Teacher, Organization, InfoRequest, Agreement):
            s.query(model).update({model.origin: "46-231"})
        s.get(Agreement, network.ids["a1"]).origin = "46-232"
        s.get(Teacher, sorted(s.query(Teacher.id).all())[0][0]).origin = "46-232"
    window = _open(qtbot, db)
    row = list(window.pages).index("attention")
    whole = window.sidebar.item(row).text()
    page = window.select_section("attention").custom_page
    combo = page.municipality_combo
    assert not combo.isHidden() and [combo.itemData(i) for i in range(combo.count())] == ["", "46-231", "46-232"]

    combo.setCurrentIndex(combo.findData("46-232"))
    qtbot.waitUntil(lambda: not page.is_loading() and page.groups and
                    {g.key for g in page.groups} <= {"agreements_expiring", "pd_due_soon", "young_without_mentor"},
                    timeout=LOAD_TIMEOUT_MS)
    agreements = next(g for g in page.groups if g.key == "agreements_expiring")
    assert agreements.count == 1 and [i.record_id for i in agreements.items] == [network.ids["a1"]]
    assert window.sidebar.item(row).text() == whole          # the sidebar counts every municipality
    _click_item(qtbot, page.list, page.list.group_item("agreements_expiring"))
    listed = window.current_page().current_record_page()
    assert listed.entity == "agreements" and listed.filter_panel.filters()["origin"] == "46-232"
    assert listed.count() == 1

    window.select_section("attention")
    combo.setCurrentIndex(combo.findData(""))
    qtbot.waitUntil(lambda: not page.is_loading() and
                    next(g for g in page.groups if g.key == "agreements_expiring").count == EXPECTED["agreements_expiring"],
                    timeout=LOAD_TIMEOUT_MS)


def test_the_sidebar_count_follows_an_edit_while_one_municipality_is_shown(qtbot, db, records, network):
    from datetime import timedelta

    from app.storage.models import Agreement, AppMeta, InfoRequest, Organization, Teacher

    with db.session() as s:
        s.merge(AppMeta(key="sync_role", value="region"))
        for model in (Teacher, Organization, InfoRequest, Agreement):
            s.query(model).update({model.origin: "46-231"})
        s.get(Agreement, network.ids["a1"]).origin = "46-232"
        s.get(Teacher, sorted(s.query(Teacher.id).all())[0][0]).origin = "46-232"     # the combo lists it
    window = _open(qtbot, db)
    row = list(window.pages).index("attention")
    urgent = ["requests_overdue", "reviews_overdue", "requests_soon", "reviews_soon", "agreements_expiring"]
    count = sum(EXPECTED[key] for key in urgent)
    assert window.sidebar.item(row).text() == f"На контроле ({count})"
    page = window.select_section("attention").custom_page
    page.municipality_combo.setCurrentIndex(page.municipality_combo.findData("46-232"))
    qtbot.waitUntil(lambda: not page.is_loading() and page.origin() == "46-232" and bool(page.groups),
                    timeout=LOAD_TIMEOUT_MS)

    agreements = window.show_records("agreements")
    new = records.create("agreements", {"number": "79/С", "kind": "agreement", "subject": "В другом районе",
                                        "valid_to": date.today() + timedelta(days=3), "status": "active"})
    with db.session() as s:
        s.get(Agreement, new["id"]).origin = "46-231"
    agreements.records_changed.emit("agreements")
    qtbot.waitUntil(lambda: window.sidebar.item(row).text() == f"На контроле ({count + 1})",
                    timeout=LOAD_TIMEOUT_MS)
    # The page itself still shows the chosen municipality only.
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=LOAD_TIMEOUT_MS)
    shown = next(g for g in page.groups if g.key == "agreements_expiring")
    assert page.origin() == "46-232" and [i.record_id for i in shown.items] == [network.ids["a1"]]
