"""The spreadsheet import dialog on real xlsx files and a real SQLite database."""
from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app.export.import_report import REJECTED_SHEET
from app.services.registry.service import RecordService
from app.services.importing.spreadsheet_import import ImportResult, RejectedRow, detect
from app.ui.importing.dialog import (
    COL_REASON, COL_ROW, SKIP, SKIP_LABEL, ImportDialog, ImportPreviewModel, RejectedRowsModel,
)
from tests.services.importing.builders import REJECTED, SCHOOL_INN, VALID_ROWS, teachers_workbook

SCHOOL = "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 1»"
TASK_TIMEOUT_MS = 15_000


@pytest.fixture
def school(records):
    return records.create("organizations", {
        "full_name": SCHOOL, "short_name": "МБОУ СОШ № 1", "kind": "school", "inn": SCHOOL_INN})


@pytest.fixture
def teachers_xlsx(tmp_path):
    return teachers_workbook(tmp_path / "педагоги.xlsx")


def _open(qtbot, db, path, kind: str = "teachers") -> ImportDialog:
    dialog = ImportDialog(db, kind)
    qtbot.addWidget(dialog)
    dialog.open_file(str(path))
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _run(qtbot, dialog: ImportDialog) -> ImportResult | None:
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    assert dialog.task is not None
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=TASK_TIMEOUT_MS)
    return dialog.import_result


def _choose(dialog: ImportDialog, column: int, target: str | None) -> None:
    combo = dialog.mapping_combo(column)
    combo.setCurrentIndex(combo.findData(target or SKIP))


def _rejected_table(dialog: ImportDialog) -> list[tuple[int, str, str]]:
    view_model = dialog.rejected_view.model()
    return [(int(view_model.index(r, COL_ROW).data()), view_model.index(r, 2).data(),
             view_model.index(r, COL_REASON).data()) for r in range(view_model.rowCount())]


def _teachers(db) -> list[dict]:
    service = RecordService(db)
    return [service.get("teachers", i) for i in service.ids("teachers")]


def test_detected_header_row_and_targets_are_shown(qtbot, db, teachers_xlsx):
    dialog = _open(qtbot, db, teachers_xlsx)
    assert dialog.windowTitle() == "Импорт педагогов"
    assert dialog.sheet_combo.currentText() == "Педагоги"
    assert [dialog.sheet_combo.itemText(i) for i in range(dialog.sheet_combo.count())] == ["Пояснения", "Педагоги"]
    assert dialog.header_spin.value() == 4                     # two title rows and a blank one above it
    assert dialog.mapping_combo(1).currentText() == SKIP_LABEL                  # «№ п/п»
    assert dialog.mapping_combo(2).currentData() == "fio"
    assert dialog.mapping_combo(4).currentText() == "СНИЛС"
    assert dialog.mapping_combo(5).currentData() == "organization"
    model = dialog.preview_model
    assert model.headerData(3, Qt.Orientation.Horizontal) == "D (СНИЛС)"
    assert model.headerData(0, Qt.Orientation.Vertical) == "6"                  # sheet rows, not 1, 2, 3
    assert model.index(0, 1).data() == "Иванова Анна Петровна"
    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is not None  # the skipped column is grey
    assert model.index(0, 1).data(Qt.ItemDataRole.ForegroundRole) is None
    assert "строки 6" in dialog.rows_label.text()
    assert dialog.import_button.isEnabled()
    assert dialog.problems_label.isHidden() and dialog.error_label.isHidden()
    # Each combo sits above its own column, also after scrolling sideways.
    view = dialog.preview_view
    for scroll in (0, view.horizontalScrollBar().maximum()):
        view.horizontalScrollBar().setValue(scroll)
        combo = dialog.mapping_combo(3)
        column_x = view.viewport().mapToGlobal(view.viewport().rect().topLeft()).x() \
            + view.horizontalHeader().sectionViewportPosition(2)
        assert abs(combo.mapToGlobal(combo.rect().topLeft()).x() - column_x) <= 2


def test_changing_the_header_row_and_the_sheet_detects_again(qtbot, db, teachers_xlsx):
    dialog = _open(qtbot, db, teachers_xlsx)
    dialog.header_spin.setValue(1)
    assert dialog.plan.header_row == 1
    assert all(dialog.mapping_combo(c).currentData() == SKIP for c in dialog.mapping_bar.columns())
    assert not dialog.import_button.isEnabled()
    assert "Не указан столбец с ФИО" in dialog.problems_label.text()
    dialog.header_spin.setValue(4)
    assert dialog.mapping_combo(2).currentData() == "fio"
    assert dialog.import_button.isEnabled()
    assert dialog.problems_label.isHidden()

    dialog.sheet_combo.setCurrentText("Пояснения")
    assert dialog.plan.sheet == "Пояснения"
    assert "пуст" in dialog.warnings_label.text()
    assert dialog.preview_model.rowCount() == 0
    assert not dialog.import_button.isEnabled()


def test_a_skipped_column_is_not_imported(qtbot, db, teachers_xlsx, school):
    dialog = _open(qtbot, db, teachers_xlsx)
    _choose(dialog, 4, None)                                    # СНИЛС
    assert dialog.plan.mapping[4] is None
    assert dialog.mapping_combo(4).currentText() == SKIP_LABEL
    assert dialog.preview_model.index(0, 3).data(Qt.ItemDataRole.ForegroundRole) is not None
    _choose(dialog, 6, "snils")               # a target moves: «ИНН организации» now feeds СНИЛС…
    _choose(dialog, 6, "organization_inn")    # …and back
    assert dialog.mapping_combo(6).currentData() == "organization_inn"
    result = _run(qtbot, dialog)
    assert result is not None and result.committed
    people = _teachers(db)
    assert people and all(p["snils"] is None for p in people)
    assert "Иванова" in {p["last_name"] for p in people}


def test_without_a_name_column_import_is_disabled(qtbot, db, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Дата рождения", "СНИЛС", "Должность", "Человек"])
    ws.append([date(1980, 1, 2), "112-233-445 95", "учитель", "Иванова Анна Петровна"])
    wb.save(tmp_path / "без фио.xlsx")
    dialog = _open(qtbot, db, tmp_path / "без фио.xlsx")
    assert not dialog.import_button.isEnabled()
    assert dialog.problems_label.isVisible()
    assert "Не указан столбец с ФИО" in dialog.problems_label.text()
    assert dialog.start_import() is None
    _choose(dialog, 4, "fio")
    assert dialog.import_button.isEnabled()
    assert dialog.problems_label.isHidden()


def test_import_counts_and_rejected_rows(qtbot, db, teachers_xlsx, school):
    dialog = _open(qtbot, db, teachers_xlsx)
    with qtbot.waitSignal(dialog.imported, timeout=TASK_TIMEOUT_MS) as imported:
        dialog.import_button.click()
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=TASK_TIMEOUT_MS)
    result = dialog.import_result
    assert imported.args == [result]
    assert result.committed and result.created == len(VALID_ROWS)
    assert RecordService(db).count("teachers") == len(VALID_ROWS)
    assert dialog.stack.currentWidget() is dialog.result_page
    assert dialog.outcome_label.text() == "Изменения записаны в базу данных."
    assert f"Создано: {len(VALID_ROWS)}" in dialog.summary_label.text()

    table = _rejected_table(dialog)
    assert [row for row, _c, _r in table] == sorted(REJECTED)
    for row, column, reason in table:
        expected_column, part = REJECTED[row]
        assert column == expected_column and part in reason
    assert dialog.rejected_title.text() == f"Отклонённые строки ({len(REJECTED)}):"
    # The kindergarten and the arts centre were not in the database: the import created them.
    assert dialog.organizations_list.count() == 2
    assert any("Дом детского творчества" in dialog.organizations_list.item(i).text() for i in range(2))

    dialog.rejected_view.sortByColumn(COL_ROW, Qt.SortOrder.DescendingOrder)
    assert [row for row, _c, _r in _rejected_table(dialog)] == sorted(REJECTED, reverse=True)
    dialog.done_button.click()
    assert dialog.result() == ImportDialog.DialogCode.Accepted


def test_all_or_nothing_with_a_bad_row_writes_nothing(qtbot, db, teachers_xlsx, school):
    dialog = _open(qtbot, db, teachers_xlsx)
    dialog.all_or_nothing_radio.setChecked(True)
    emitted = []
    dialog.imported.connect(emitted.append)
    result = _run(qtbot, dialog)
    assert result is not None and result.all_or_nothing and not result.committed
    assert RecordService(db).count("teachers") == 0
    assert emitted == []
    assert "ничего не записано" in dialog.outcome_label.text()
    assert "было бы создано" in dialog.summary_label.text()
    assert len(_rejected_table(dialog)) == len(REJECTED)


def test_cancel_leaves_the_database_unchanged(qtbot, db, teachers_xlsx, school):
    dialog = _open(qtbot, db, teachers_xlsx)
    task = dialog.start_import()
    assert task is not None and dialog.is_busy()
    assert not dialog.import_button.isEnabled()
    dialog.reject()                                    # closing is refused while the worker writes
    assert dialog.isVisible()
    cancel = next(b for b in dialog.progress_dialog.findChildren(QPushButton) if b.text() == "Отмена")
    cancel.click()                                     # before the worker has read the file
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=TASK_TIMEOUT_MS)
    assert RecordService(db).count("teachers") == 0
    assert dialog.import_result is None
    assert dialog.stack.currentWidget() is dialog.mapping_page
    assert "отменён" in dialog.notice_label.text()
    assert dialog.import_button.isEnabled()


def test_saving_the_report_writes_the_rejected_rows(qtbot, db, teachers_xlsx, school, tmp_path, monkeypatch):
    dialog = _open(qtbot, db, teachers_xlsx)
    _run(qtbot, dialog)
    asked = []

    def choose(parent, suggested):
        asked.append(suggested)
        return str(tmp_path / "отчёт")

    monkeypatch.setattr(ImportDialog, "choose_report_path", staticmethod(choose))
    dialog.save_report_button.click()
    assert asked == [str(tmp_path / f"педагоги — отчёт об импорте {date.today():%Y-%m-%d}.xlsx")]   # beside the table
    assert dialog.report_label.text() == f"Отчёт сохранён: {tmp_path / 'отчёт.xlsx'}"
    sheet = load_workbook(tmp_path / "отчёт.xlsx")[REJECTED_SHEET]
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == set(REJECTED)
    assert rows[10][:3] == ("Педагоги", 10, "D (СНИЛС)")
    assert "неверная контрольная сумма" in rows[10][3]

    # A folder that cannot exist (a file stands in its way): the message in the dialog, no crash.
    (tmp_path / "файл").write_text("", encoding="utf-8")
    monkeypatch.setattr(ImportDialog, "choose_report_path",
                        staticmethod(lambda parent, suggested: str(tmp_path / "файл" / "отчёт.xlsx")))
    assert dialog.save_report() is None
    assert "Не удалось сохранить отчёт" in dialog.report_label.text()


def test_an_unreadable_file_shows_the_message_and_another_can_be_chosen(qtbot, db, tmp_path, teachers_xlsx,
                                                                         monkeypatch):
    bad = tmp_path / "список.xlsx"
    bad.write_text("не таблица", encoding="utf-8")
    dialog = _open(qtbot, db, bad)
    assert dialog.plan is None
    assert "файл повреждён" in dialog.error_label.text()
    assert not dialog.import_button.isEnabled()
    monkeypatch.setattr(ImportDialog, "choose_file", staticmethod(lambda parent: str(teachers_xlsx)))
    dialog.other_file_button.click()
    assert dialog.plan is not None and dialog.error_label.isHidden()
    assert dialog.import_button.isEnabled()


def test_run_asks_for_a_file_and_returns_the_result(qtbot, db, teachers_xlsx, school, monkeypatch):
    monkeypatch.setattr(ImportDialog, "choose_file", staticmethod(lambda parent: None))
    assert ImportDialog.run(None, db, "teachers") is None

    def exec_(self):
        # What the user does in the modal dialog: import, then «Готово».
        _run(qtbot, self)
        self.done_button.click()
        return self.result()

    monkeypatch.setattr(ImportDialog, "choose_file", staticmethod(lambda parent: str(teachers_xlsx)))
    monkeypatch.setattr(ImportDialog, "exec", exec_)
    result = ImportDialog.run(None, db, "teachers")
    assert isinstance(result, ImportResult) and result.created == len(VALID_ROWS)


def test_organizations_dialog_offers_organization_fields(qtbot, db, tmp_path):
    from tests.services.importing.builders import organizations_workbook

    dialog = _open(qtbot, db, organizations_workbook(tmp_path / "оо.xlsx"), kind="organizations")
    assert dialog.windowTitle() == "Импорт организаций"
    assert dialog.header_spin.value() == 3
    assert dialog.mapping_combo(4).currentData() == "inn_kpp"
    result = _run(qtbot, dialog)
    assert result.committed and RecordService(db).count("organizations") == result.created


def test_models_pass_the_qt_model_tester(qtmodeltester, teachers_xlsx):
    preview = ImportPreviewModel()
    preview.set_plan(detect(teachers_xlsx, "teachers"))
    qtmodeltester.check(preview)
    rejected = RejectedRowsModel()
    rejected.set_rows([RejectedRow("Педагоги", 10, "D (СНИЛС)", "неверная контрольная сумма"),
                       RejectedRow("Педагоги", 14, "", "нет ФИО")])
    qtmodeltester.check(rejected)
    assert rejected.index(1, 2).data() == "вся строка"
