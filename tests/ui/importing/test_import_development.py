"""Programme and diagnostics import from the «Повышение квалификации» lists, on real xlsx files."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QPushButton
from sqlalchemy import select

from app.services.registry.service import RecordService
from app.storage.models import Diagnostic, DiagnosticResult
from app.ui.importing.dialog import ImportDialog
from app.ui.common.record_page import RecordPage
from app.ui.shell.sections import Tab
from tests.services.importing.builders import SNILS_IVANOVA
from tests.services.importing.builders_development import (
    DEFAULT_DATE, HELD_ON, PROGRAMMES_VALID, diagnostic_rows, diagnostics_workbook, programmes_workbook,
)

TASK_TIMEOUT_MS = 15_000


def _import_through_page(qtbot, monkeypatch, page: RecordPage, path, before_run=None) -> ImportDialog:
    """«Импорт…» on the page: the file is chosen, the user (optionally) adjusts, imports, clicks «Готово»."""
    seen = {}

    def exec_(self):
        seen["dialog"] = self
        if before_run is not None:
            before_run(self)
        assert self.import_button.isEnabled(), self.problems_label.text()
        self.import_button.click()
        qtbot.waitUntil(lambda: not self.is_busy(), timeout=TASK_TIMEOUT_MS)
        seen["outcome"] = self.outcome_label.text()
        self.done_button.click()
        return self.result()

    monkeypatch.setattr(ImportDialog, "choose_file", staticmethod(lambda parent: str(path)))
    monkeypatch.setattr(ImportDialog, "exec", exec_)
    assert page.findChild(QPushButton, "importButton") is not None and page.findChild(QPushButton, "importButton").isVisible()
    page.findChild(QPushButton, "importButton").click()
    return seen["dialog"]


@pytest.fixture
def programmes_page(qtbot, records):
    page = RecordPage(records, Tab("programmes", "Программы"))
    qtbot.addWidget(page)
    page.show()
    page.ensure_loaded()
    return page


def test_programmes_import_from_the_programmes_tab(qtbot, monkeypatch, db, programmes_page, tmp_path):
    path = programmes_workbook(tmp_path / "программы.xlsx")
    dialog = _import_through_page(qtbot, monkeypatch, programmes_page, path)
    assert dialog.windowTitle() == "Импорт программ"
    assert dialog.import_result.committed and dialog.import_result.created == len(PROGRAMMES_VALID)
    service = RecordService(db)
    stored = {r["title"]: r for r in (service.get("programmes", i) for i in service.ids("programmes"))}
    assert set(stored) == {"Формирование функциональной грамотности школьников", "Цифровая образовательная среда",
                           "Инклюзивное образование"}
    assert (stored["Формирование функциональной грамотности школьников"]["credits"],
            stored["Цифровая образовательная среда"]["credits"]) == (2.0, 1.5)    # 72 h / 36; as in the file
    assert programmes_page.count() == 3                   # the list re-read after the import


@pytest.fixture
def three_teachers(records) -> dict[str, str]:
    made = {}
    for key, last, first, middle, extra in (
            ("ivanova", "Иванова", "Анна", "Петровна", {"snils": SNILS_IVANOVA}),
            ("petrov", "Петров", "Пётр", "Сергеевич", {}),
            ("sidorova", "Сидорова", "Мария", "Ивановна", {})):
        made[key] = records.create("teachers", {"last_name": last, "first_name": first, "middle_name": middle,
                                                **extra})["id"]
    return made


def _diagnostics(db) -> dict[str, tuple[date, str, dict[str, tuple[float, bool]]]]:
    with db.read() as s:
        out = {}
        for d in s.scalars(select(Diagnostic)):
            results = s.scalars(select(DiagnosticResult).where(DiagnosticResult.diagnostic_id == d.id))
            out[d.teacher_id] = (d.held_on, d.instrument, {r.competence: (r.score, r.is_deficit) for r in results})
        return out


def test_diagnostics_need_an_instrument_typed_in_the_dialog(qtbot, db, records, three_teachers, tmp_path):
    path = diagnostics_workbook(tmp_path / "диагностика.xlsx", diagnostic_rows(SNILS_IVANOVA))
    dialog = ImportDialog(db, "diagnostics")
    qtbot.addWidget(dialog)
    dialog.open_file(str(path))
    dialog.show()
    assert dialog.windowTitle() == "Импорт результатов диагностики"
    assert dialog.options is not None and dialog.options.isVisible()
    assert not dialog.import_button.isEnabled()
    assert "инструментом диагностики" in dialog.problems_label.text()

    dialog.options.instrument_combo.lineEdit().insert("Диагностика ЦНППМ")          # as typed (one edit)
    assert dialog.import_button.isEnabled() and dialog.problems_label.isHidden()
    dialog.options.date_editor.line.clear()               # today by default; row 5 has no date of its own
    qtbot.keyClicks(dialog.options.date_editor.line, "20.10.2025")
    assert dialog.import_button.isEnabled() and dialog.problems_label.isHidden()

    dialog.import_button.click()
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=TASK_TIMEOUT_MS)
    assert dialog.stack.currentWidget() is dialog.result_page
    assert dialog.import_result.committed and dialog.import_result.created == 2
    assert dialog.rejected_model.rowCount() == 3
    assert _diagnostics(db) == {
        three_teachers["ivanova"]: (HELD_ON, "Диагностика ЦНППМ", {
            "subject": (85.0, False), "digital": (5.0, True), "functional_literacy": (40.0, True)}),
        three_teachers["petrov"]: (DEFAULT_DATE, "Диагностика ЦНППМ", {"subject": (70.0, False),
                                                                       "digital": (9.0, False)}),
    }


def test_a_bad_default_date_is_told_and_blocks(qtbot, db, three_teachers, tmp_path):
    path = diagnostics_workbook(tmp_path / "диагностика.xlsx", diagnostic_rows(SNILS_IVANOVA))
    dialog = ImportDialog(db, "diagnostics")
    qtbot.addWidget(dialog)
    dialog.open_file(str(path))
    dialog.show()
    dialog.set_diagnostics_defaults(None, "Тест")
    qtbot.keyClicks(dialog.options.date_editor.line, "31.02.2025")
    assert "не является датой" in dialog.options.error_label.text()
    assert not dialog.import_button.isEnabled()


def test_diagnostics_import_from_the_diagnostics_tab(qtbot, monkeypatch, db, records, three_teachers, tmp_path):
    page = RecordPage(records, Tab("diagnostics", "Диагностика дефицитов"))
    qtbot.addWidget(page)
    page.show()
    page.ensure_loaded()
    path = diagnostics_workbook(tmp_path / "диагностика.xlsx", diagnostic_rows(SNILS_IVANOVA))
    _import_through_page(qtbot, monkeypatch, page, path,
                         before_run=lambda d: d.set_diagnostics_defaults(DEFAULT_DATE, "Анкета"))
    assert page.count() == 2
    assert {v[1] for v in _diagnostics(db).values()} == {"Анкета"}
