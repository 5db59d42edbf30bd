"""Certificates in the GUI: «Сертификаты…» of an event, the register tab, «Проверить сертификат»."""
from __future__ import annotations

import threading
import zipfile

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app.services.events import certificates as C
from app.ui.events import certificate_register
from app.ui.events import certificates_dialog
from app.ui.events.certificate_verify_dialog import VerifyCertificateDialog
from app.ui.shell.main_window import MainWindow

from tests.services.events.certificates.conftest import make_event
from tests.services.development.conftest import pdf_pages, squash


@pytest.fixture
def seminar(records):
    return make_event(records)


def _window(qtbot, db) -> MainWindow:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def _open_certificates(qtbot, window, seminar) -> certificates_dialog.CertificatesDialog:
    page = window.show_records("events")
    assert page.select_record(seminar.event_id)
    assert page.findChild(QPushButton, "certificatesButton").isEnabled()
    qtbot.mouseClick(page.findChild(QPushButton, "certificatesButton"), Qt.MouseButton.LeftButton)
    dialog = window.findChild(certificates_dialog.CertificatesDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    return dialog


def _names(dialog) -> list[str]:
    return [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]


def test_only_present_participants_can_be_ticked_and_issued(qtbot, db, seminar):
    window = _window(qtbot, db)
    dialog = _open_certificates(qtbot, window, seminar)
    assert len(_names(dialog)) == 6
    checkable = {dialog.table.item(r, 1).text() for r in range(6)
                 if dialog.table.item(r, 0).flags() & Qt.ItemFlag.ItemIsUserCheckable}
    organisation = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 7»"
    assert checkable == set(seminar.present) | {organisation}
    assert "присутствовали: 3, выбрано: 3" in dialog.count_label.text()

    dialog.set_checked(seminar.present["Ёлкин Борис Иванович"], False)
    assert "выбрано: 2" in dialog.count_label.text()
    qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    issued = C.list_certificates(db)
    assert sorted(c.recipient_name for c in issued) == [organisation, "Петрова Анна Сергеевна"]
    shown = {dialog.table.item(r, 1).text(): dialog.table.item(r, 6).text() for r in range(6)}
    assert shown["Петрова Анна Сергеевна"] == next(c.number for c in issued if c.recipient_name.startswith("Петрова"))
    assert shown["Ёлкин Борис Иванович"] == "" and shown["Сидорова Вера"] == ""
    assert "выдано сейчас: 2" in dialog.status_label.text()


def test_zip_of_the_event_is_written_in_the_background(qtbot, db, seminar, tmp_path, monkeypatch):
    window = _window(qtbot, db)
    dialog = _open_certificates(qtbot, window, seminar)
    target = tmp_path / "архив.zip"
    monkeypatch.setattr(certificates_dialog, "ask_file", lambda parent, name, kind: str(target))
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        qtbot.mouseClick(dialog.zip_button, Qt.MouseButton.LeftButton)
    assert saved.args[0] == [target]
    issued = C.list_certificates(db)
    with zipfile.ZipFile(target) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(f"{c.number} {c.recipient_name}.pdf" for c in issued)
        (tmp_path / "one.pdf").write_bytes(archive.read(names[0]))
    first = next(c for c in issued if names[0].startswith(c.number))
    text = squash(pdf_pages(tmp_path / "one.pdf")[0])
    assert squash(first.recipient_name) in text and first.code in text
    assert str(target) in dialog.status_label.text() and dialog.open_button.isEnabled()
    opened = []
    assert dialog.open_saved(opener=lambda url: opened.append(url.toLocalFile()) or True)
    assert opened == [str(target)]


def test_one_pdf_and_files_in_a_folder(qtbot, db, seminar, tmp_path, monkeypatch):
    window = _window(qtbot, db)
    dialog = _open_certificates(qtbot, window, seminar)
    monkeypatch.setattr(certificates_dialog, "ask_file", lambda parent, name, kind: str(tmp_path / name))
    monkeypatch.setattr(certificates_dialog, "ask_folder", lambda parent: str(tmp_path / "папка"))
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    single = saved.args[0][0]
    assert single.name.startswith("Сертификаты — ") and len(pdf_pages(single)) == 3
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        qtbot.mouseClick(dialog.files_button, Qt.MouseButton.LeftButton)
    assert sorted(p.name for p in (tmp_path / "папка").iterdir()) == sorted(p.name for p in saved.args[0])
    assert len(saved.args[0]) == 3 and len(C.list_certificates(db)) == 3


def test_cancel_while_writing_leaves_no_files(qtbot, db, seminar, tmp_path, monkeypatch):
    window = _window(qtbot, db)
    dialog = _open_certificates(qtbot, window, seminar)
    monkeypatch.setattr(certificates_dialog, "ask_folder", lambda parent: str(tmp_path / "out"))
    real = certificates_dialog.write_certificate_files
    started = threading.Event()

    def write_after_cancel(records, folder, *, progress, is_cancelled):
        # Holds the worker until «Отмена» is pressed, so the test does not race it.
        started.set()
        for _ in range(500):
            if is_cancelled():
                break
            threading.Event().wait(0.01)
        return real(records, folder, progress=progress, is_cancelled=is_cancelled)

    monkeypatch.setattr(certificates_dialog, "write_certificate_files", write_after_cancel)
    task = dialog.save("files")
    assert started.wait(5)
    progress = dialog.findChild(certificates_dialog.TaskProgressDialog)
    assert progress is not None
    cancel = progress.findChild(QPushButton)
    assert cancel.text() == "Отмена"
    with qtbot.waitSignal(task.finished, timeout=10_000):
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert "отменено" in dialog.status_label.text()
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_register_tab_searches_verifies_and_revokes(qtbot, db, seminar, monkeypatch):
    C.issue_certificates(db, seminar.event_id)
    window = _window(qtbot, db)
    section = window.select_section("events")
    tab = section.show_report("certificates")
    assert tab.model.rowCount() == 3 and tab.count_label.text() == "Сертификатов: 3"
    tab.search_field.setText("петрова")      # keyClicks types ASCII only
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=3000)
    record = tab.model.row_object(0)
    assert record.recipient_name == "Петрова Анна Сергеевна"

    tab.table.selectRow(0)
    tab._on_double_click(tab.model.index(0, 0))
    details = tab.findChild(VerifyCertificateDialog)
    qtbot.addWidget(details)
    assert "Петрова Анна Сергеевна" in details.result_text() and record.number in details.result_text()

    monkeypatch.setattr(certificate_register, "ask_revoke_reason", lambda parent, rec: "выдан по ошибке")
    qtbot.mouseClick(tab.revoke_button, Qt.MouseButton.LeftButton)
    assert tab.model.row_object(0).status_label.startswith("Отозван")
    assert "отозвано: 1" in tab.count_label.text()
    assert not C.verify(db, record.code).is_valid


def test_a_large_register_shows_the_newest_and_asks_to_search(qtbot, db, seminar, monkeypatch):
    issued = C.issue_certificates(db, seminar.event_id).certificates
    monkeypatch.setattr(certificate_register, "SHOWN_LIMIT", 2)
    window = _window(qtbot, db)
    tab = window.select_section("events").show_report("certificates")
    assert tab.model.rowCount() == 2
    assert tab.count_label.text() == "Показаны последние 2 из 3; уточните поиск"
    newest = max(issued, key=lambda r: (r.issued_at, r.number))
    assert tab.model.row_object(0).number == newest.number
    tab.search_field.setText(issued[0].number)
    tab.refresh()
    assert tab.model.rowCount() == 1 and tab.count_label.text() == "Сертификатов: 1"


def test_verify_from_the_main_window_shows_the_register_contents(qtbot, db, seminar):
    cert = C.issue_certificate(db, seminar.present["Ёлкин Борис Иванович"])
    window = _window(qtbot, db)
    qtbot.mouseClick(window.verify_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(VerifyCertificateDialog)
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.code_field, " " + cert.code.lower().replace("-", " ") + " ")
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    text = dialog.result_text()
    for expected in ("Ёлкин Борис Иванович", seminar.title, "Выступающий", "4 ч.", "12.03.2026 – 13.03.2026",
                     cert.number, "Действителен"):
        assert expected in text
    assert "Сравните сведения" in dialog.verdict_label.text()
    assert "Ёлкин Борис Иванович" in dialog.result_view.toPlainText()

    dialog.code_field.setText("2222-2222-22")
    qtbot.keyClick(dialog.code_field, Qt.Key.Key_Return)
    assert dialog.record is None and "не найден" in dialog.verdict_label.text()
    assert "Ёлкин" not in dialog.result_view.toPlainText()
