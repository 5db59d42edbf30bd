"""«Сервис → Сроки контроля…»: a window changed in the dialog is the one the lists and «На контроле» use."""
from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QDialogButtonBox

from app.services.registry.deadline_settings import deadline_windows
from app.ui.reports.deadlines_dialog import DeadlinesDialog
from app.ui.shell.main_window import MainWindow


def _request(records, number, due_in_days):
    a = records.create("organizations", {"full_name": f"ИМЦ {number}", "kind": "methodical"})
    b = records.create("organizations", {"full_name": f"Школа {number}", "kind": "school"})
    records.create("requests", {
        "number": number, "direction": "incoming", "sender_id": b["id"], "addressee_id": a["id"],
        "reply_contact": "imc@mail.ru", "prepared_by_name": "Орлова О. О.", "prepared_by_position": "секретарь",
        "prepared_by_phone": "+79123456789", "prepared_by_email": "o@mail.ru", "subject": "Отчёт",
        "status": "received", "sent_on": date.today(), "due_on": date.today() + timedelta(days=due_in_days)})


def test_the_dialog_shows_the_windows_and_saves_a_change_that_the_lists_follow(qtbot, db, records):
    _request(records, "Вх-1", 10)
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    page = window.show_records("requests")
    combo = page.filter_panel.combos["deadline"]
    assert "срок в ближайшие 7 дней" in [combo.itemText(i) for i in range(combo.count())]

    action = window.service_actions["deadlines"]
    assert action.text() == "Сроки контроля…"
    action.trigger()
    dialog = window._service_dialogs["deadlines"]
    assert isinstance(dialog, DeadlinesDialog)
    assert {name: box.value() for name, box in dialog.editors.items()} == \
        {"request_days": 7, "review_days": 7, "agreement_days": 30, "pd_warn_months": 6}
    assert dialog.editors["pd_warn_months"].suffix() == " месяцев"
    dialog.editors["request_days"].setValue(12)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    assert not dialog.isVisible() and deadline_windows(db).request_days == 12

    page = window.show_records("requests")
    combo = page.filter_panel.combos["deadline"]
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert "срок в ближайшие 12 дней" in labels and "срок в ближайшие 7 дней" not in labels
    combo.setCurrentIndex(combo.findData("soon"))
    qtbot.waitUntil(lambda: page.count() == 1)
