"""The criteria sheet editor and the network course form with its enrolments per school."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.services.materials.review_criteria import default_sheet, get_sheet
from app.ui.materials.criteria_sheet_dialog import CriteriaSheetDialog
from app.ui.common.highlights import WARNING_BACKGROUND
from app.ui.common.record_page import RecordPage
from app.ui.common.record_dialog import RecordDialog
from app.ui.shell.sections import section


def test_the_default_sheet_is_edited_and_a_bad_row_is_refused(qtbot, records):
    sheet = default_sheet(records.db)
    dialog = CriteriaSheetDialog(records, sheet.id)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 8 and dialog.total_label.text() == "Максимум по листу: 40"
    assert dialog.table.isColumnHidden(0)           # codes key the scores; the user never types one
    assert [dialog.table.horizontalHeaderItem(c).text() for c in (1, 2)] == ["Критерий", "Макс. балл"]
    row = dialog.add_row()
    dialog.set_cell(row, 1, "Использование цифровых образовательных ресурсов")
    dialog.set_cell(row, 2, "0")
    assert not dialog.save()
    assert dialog.error_label.text() == ("Критерий 9 «Использование цифровых образовательных ресурсов»: "
                                         "максимальный балл должен быть больше нуля.")
    assert len(get_sheet(records.db, sheet.id).criteria) == 8                  # nothing written
    dialog.set_cell(row, 2, "10")
    dialog.table.selectRow(0)
    dialog.remove_selected()                                                   # «actuality» goes
    assert dialog.total_label.text() == "Максимум по листу: 45"
    assert dialog.save()
    saved = get_sheet(records.db, sheet.id)
    assert [c.code for c in saved.criteria][-1] == "k1" and saved.max_total == 45
    assert saved.criteria[-1].title == "Использование цифровых образовательных ресурсов"
    assert "actuality" not in [c.code for c in saved.criteria]


def test_a_second_default_sheet_takes_the_place_of_the_first(qtbot, records):
    first = default_sheet(records.db)
    dialog = CriteriaSheetDialog(records)
    qtbot.addWidget(dialog)
    dialog.title_edit.setText("Экспертиза программ внеурочной деятельности")
    dialog.default_box.setChecked(True)
    for title in ("Цели и планируемые результаты", "Содержание"):
        row = dialog.add_row()
        dialog.set_cell(row, 1, title)
    assert dialog.save()
    assert default_sheet(records.db).id == dialog.saved_id
    assert [c.code for c in get_sheet(records.db, dialog.saved_id).criteria] == ["k1", "k2"]
    assert not get_sheet(records.db, first.id).is_default


def test_a_course_with_enrolments_per_school_and_the_ten_pupils_rule(qtbot, records):
    host = records.create("organizations", {"full_name": "Лицей № 1", "short_name": "Лицей № 1", "kind": "school"})
    other = records.create("organizations", {"full_name": "Школа № 5", "short_name": "СШ № 5", "kind": "school"})
    dialog = RecordDialog(records, "courses")
    qtbot.addWidget(dialog)
    assert "Набор обучающихся по школам" in dialog.sections
    dialog.editors["title"].setText("Введение в биотехнологии")
    dialog.editors["host_organization_id"].set_record(host["id"], "Лицей № 1")
    dialog.editors["academic_year"].setText("2026/2027")
    assert dialog.related.add("organization_id", host["id"])
    assert dialog.related.add("organization_id", other["id"])
    dialog.related.model.set_value(0, "pupils", "4")
    dialog.related.model.set_value(1, "pupils", "3")
    assert dialog.save()
    course = dialog.saved_id
    assert records.rows("courses", [course])[course]["pupils_total"] == 7

    tab = next(t for t in section("agreements").tabs if t.entity == "courses")
    page = RecordPage(records, tab)
    qtbot.addWidget(page)
    page.show()
    page.ensure_loaded()
    columns = [c.name for c in page.model.columns]
    assert page.model.index(0, columns.index("pupils_total")).data() == "7"
    assert page.model.index(0, columns.index("enrolment_rule")).data() == "менее 10"
    assert page.model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) == QColor(WARNING_BACKGROUND)
    assert "не менее 10" in page.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    page.filter_panel.set_filter("enrolment", "small")
    assert page.count() == 1

    dialog = RecordDialog(records, "courses", course)
    qtbot.addWidget(dialog)
    dialog.related.model.set_value(1, "pupils", "8")
    assert dialog.save()
    page.refresh()
    assert page.count() == 0                       # 12 pupils now: not in «менее 10»
    page.filter_panel.set_filter("enrolment", "enough")
    assert page.count() == 1
    assert page.model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None
