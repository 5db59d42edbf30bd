"""The material form: authors and files added, removed, opened and saved as, written in one save."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from app.services.common.bootstrap import files_dir
from app.ui.materials.material_dialog import MaterialDialog
from app.ui.common.record_page import RecordPage
from app.ui.shell.sections import section


@pytest.fixture
def lesson(tmp_path):
    path = tmp_path / "Открытый урок.pdf"
    path.write_bytes(b"%PDF-1.4 lesson" * 100)
    return path


def _stored(db):
    return [p for p in files_dir(db).rglob("*") if p.is_file() and not p.name.startswith(".")]


def _dialog(qtbot, records, record_id=None) -> MaterialDialog:
    dialog = MaterialDialog(records, record_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_new_material_with_two_authors_and_a_file_is_saved_at_once(qtbot, records, teachers, lesson, tmp_path):
    dialog = _dialog(qtbot, records)
    assert {"Авторы", "Файлы материала"} <= set(dialog.sections)
    assert not dialog.editors["status"].isEnabled() and not dialog.review_button.isEnabled()
    dialog.editors["title"].setText("Урок-практикум «Экология родного края»")
    kind = dialog.editors["kind"]
    kind.setCurrentIndex(kind.findData("lesson_video"))
    dialog.editors["keywords"].setText("экология, краеведение")
    assert dialog.related.add("teacher_id", teachers["Иванов"])
    assert dialog.related.add("teacher_id", teachers["Фёдоров"])
    assert dialog.files.add_files([str(lesson)]) == 1
    assert dialog.files.add_files([str(lesson)]) == 0                 # the same file again
    assert dialog.files.file_names() == ["Открытый урок.pdf"]
    assert len(_stored(records.db)) == 1                              # copied in when picked
    assert records.count("material_files") == 0                       # the row waits for «Сохранить»
    assert dialog.save()

    mid = dialog.saved_id
    material = records.get("materials", mid)
    assert (material["kind"], material["status"]) == ("lesson_video", "draft")
    authors = records.list("material_authors", filters={"material_id": mid}).rows
    assert sorted(r["teacher_id"] for r in authors) == sorted([teachers["Иванов"], teachers["Фёдоров"]])
    files = records.list("material_files", filters={"material_id": mid}).rows
    assert [(f["file_name"], f["size"], f["round"]) for f in files] == [("Открытый урок.pdf", 1500, 1)]


def test_files_open_save_as_and_removal_in_the_form(qtbot, records, lesson, tmp_path, monkeypatch):
    dialog = _dialog(qtbot, records)
    dialog.editors["title"].setText("Презентация к семинару")
    dialog.editors["kind"].setCurrentIndex(dialog.editors["kind"].findData("presentation"))
    dialog.files.add_files([str(lesson)])
    assert dialog.save()
    dialog = _dialog(qtbot, records, dialog.saved_id)
    assert dialog.review_button.isEnabled() and not dialog.save_button.isEnabled()
    assert dialog.files.file_names() == ["Открытый урок.pdf"]
    dialog.files.table.selectRow(0)

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    path = dialog.files.open_selected()
    assert opened == [str(path)] and path.name == "Открытый урок.pdf"
    assert path.read_bytes() == lesson.read_bytes()

    target = tmp_path / "сохранено" / "копия.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert dialog.files.save_selected_as() == target and target.read_bytes() == lesson.read_bytes()

    dialog.files.remove_selected()
    assert dialog.files.file_names() == [] and dialog.save_button.isEnabled()
    assert dialog.save()
    assert records.count("material_files") == 0


def test_a_file_over_the_limit_is_refused_with_the_message(qtbot, records, db, tmp_path, message_answers):
    with db.session() as s:
        from app.storage.models import AppMeta

        s.get(AppMeta, "attachment_max_mb").value = "1"
    big = tmp_path / "видеозапись.mp4"
    big.write_bytes(b"0" * (2 * 1024 * 1024))
    dialog = _dialog(qtbot, records)
    assert dialog.files.add_files([str(big)]) == 0
    assert message_answers["errors"] == [
        "Файл «видеозапись.mp4» слишком большой: 2,0 МБ; можно прикрепить файл не больше 1,0 МБ. "
        "Предельный размер меняется в настройке «attachment_max_mb»."]
    assert dialog.files.file_names() == []


def test_materials_section_opens_the_material_form_and_the_bank_shows_approved_only(qtbot, records, monkeypatch):
    records.create("materials", {"title": "Черновик статьи", "kind": "article", "subject": "История"})
    approved = records.create("materials", {"title": "Проект «Читаем вместе»", "kind": "project",
                                            "subject": "Литература", "status": "approved",
                                            "description": "Сетевой проект по развитию читательской грамотности"})
    tab = next(t for t in section("materials").tabs if t.entity == "best_practices")
    page = RecordPage(records, tab)
    qtbot.addWidget(page)
    page.show()
    page.ensure_loaded()
    assert page.count() == 1 and page.model.record_id(0) == approved["id"]
    page.set_search_text("читательской")
    qtbot.waitUntil(lambda: page.model.search_text == "читательской")
    assert page.count() == 1
    page.set_search_text("черновик")
    qtbot.waitUntil(lambda: page.model.search_text == "черновик")
    assert page.count() == 0
    page.set_search_text("")
    qtbot.waitUntil(lambda: page.model.search_text == "")
    page.filter_panel.set_filter("subject", "Литература")
    assert page.count() == 1

    seen = []
    monkeypatch.setattr(MaterialDialog, "exec", lambda self: seen.append(self.record["title"]) or 0)
    page.select_record(approved["id"])
    page.edit_selected()
    assert seen == ["Проект «Читаем вместе»"]
