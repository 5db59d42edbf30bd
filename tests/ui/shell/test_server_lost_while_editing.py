"""The server goes away while a form is open: saving says so in Russian, keeps the typing, and works once it is back."""
from __future__ import annotations

from app.services.common.actor import Actor
from app.services.common.bootstrap import open_database
from app.services.registry.service import RecordService
from app.ui.common.record_dialog import RecordDialog


def test_a_form_keeps_its_input_while_the_server_is_down(qtbot, own_pg_cluster):
    db, _ = open_database(own_pg_cluster.new_database())
    try:
        records = RecordService(db, Actor("tester"))
        teacher = records.create("teachers", {"last_name": "Иванова", "first_name": "Анна", "position": "учитель"})
        dialog = RecordDialog(records, "teachers", teacher["id"])
        qtbot.addWidget(dialog)
        dialog.editors["position"].setText("заместитель директора")

        own_pg_cluster.halt()
        try:
            assert not dialog.save()
            message = dialog.general_error.text()
            assert not dialog.general_error.isHidden()
            assert "сервер PostgreSQL не отвечает" in message and "ничего из него не записано" in message
            assert "psycopg" not in message and "UPDATE" not in message
            assert dialog.editors["position"].text() == "заместитель директора"
        finally:
            own_pg_cluster.resume()

        assert dialog.save()
        assert records.get("teachers", teacher["id"])["position"] == "заместитель директора"
    finally:
        db.dispose()
