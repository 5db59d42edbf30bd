"""Files of materials: one stored copy however often attached, the size limit, export, the save transaction."""
from __future__ import annotations

import pytest

from app.services.materials import files as mf
from app.services.common.bootstrap import files_dir
from app.services.common.errors import ServiceError
from app.services.materials.save import MaterialChanges, attach_files, save_material


def _stored(db) -> list:
    return [p for p in files_dir(db).rglob("*") if p.is_file() and not p.name.startswith(".")]


def test_a_file_attached_twice_is_stored_once(records, people, lesson_file, tmp_path):
    a = save_material(records, None, MaterialChanges(values={"title": "Проект А", "kind": "project"},
                                                     authors_added=[people["Орлова"], people["Волков"]]))
    b = save_material(records, None, MaterialChanges(values={"title": "Проект Б", "kind": "project"}))
    copy = tmp_path / "копия.docx"
    copy.write_bytes(lesson_file.read_bytes())
    attach_files(records, a["id"], [lesson_file])
    attach_files(records, a["id"], [lesson_file])         # the same file again: no second row
    attach_files(records, b["id"], [copy])                # same bytes, another name and material
    assert len(_stored(records.db)) == 1
    assert [f.file_name for f in mf.list_files(records.db, a["id"])] == ["урок.docx"]
    assert [f.file_name for f in mf.list_files(records.db, b["id"])] == ["копия.docx"]
    assert records.count("material_files") == 2
    authors = records.list("material_authors", filters={"material_id": a["id"]}).rows
    assert sorted(r["teacher"] for r in authors) == ["Волков Игорь Сергеевич", "Орлова Мария Ивановна"]


def test_export_and_viewing_copy_give_back_the_bytes(records, lesson_file, tmp_path):
    m = save_material(records, None, MaterialChanges(values={"title": "КИМ", "kind": "kim"}))
    attach_files(records, m["id"], [lesson_file])
    f = mf.list_files(records.db, m["id"])[0]
    out = mf.export_file(records.db, f, tmp_path / "out" / "сохранено.docx")
    assert out.read_bytes() == lesson_file.read_bytes()
    view = mf.viewing_copy(records.db, f)
    assert view.name == "урок.docx" and view.read_bytes() == lesson_file.read_bytes()


def test_the_size_limit_is_a_setting_with_a_clear_message(records, db, tmp_path):
    with db.session() as s:
        from app.storage.models import AppMeta

        s.get(AppMeta, mf.LIMIT_SETTING).value = "1"
    big = tmp_path / "видео.mp4"
    big.write_bytes(b"0" * (1024 * 1024 + 1))
    with pytest.raises(ServiceError, match="Файл «видео.mp4» слишком большой: 1,0 МБ; можно прикрепить файл не "
                                           "больше 1,0 МБ"):
        mf.stage_file(db, big)
    assert _stored(db) == []


def test_a_failed_save_writes_neither_material_nor_file_rows(records, lesson_file):
    staged = mf.stage_file(records.db, lesson_file)
    with pytest.raises(ServiceError):
        save_material(records, None, MaterialChanges(values={"title": "Без вида"}, files_added=[staged]))
    assert records.count("materials") == 0 and records.count("material_files") == 0


def test_removing_a_file_and_an_author_in_the_form_save(records, people, lesson_file):
    m = save_material(records, None, MaterialChanges(values={"title": "Статья", "kind": "article"},
                                                     authors_added=[people["Орлова"]],
                                                     files_added=[mf.stage_file(records.db, lesson_file)]))
    f = mf.list_files(records.db, m["id"])[0]
    author = records.list("material_authors", filters={"material_id": m["id"]}).rows[0]
    save_material(records, m["id"], MaterialChanges(values={"subject": "История"}, files_removed=[f.id],
                                                    authors_removed=[author["id"]]))
    assert mf.list_files(records.db, m["id"]) == []
    assert records.count("material_authors") == 0
    assert records.get("materials", m["id"])["subject"] == "История"


def test_hostile_names_are_stored_safely_and_empty_files_refused(records, lesson_file, tmp_path):
    m = save_material(records, None, MaterialChanges(values={"title": "Разработка", "kind": "kim"}))
    for given in ("con.docx", "итоги. . ", "a:b.docx"):
        path = tmp_path / given
        path.write_bytes(given.encode() + lesson_file.read_bytes())
        attach_files(records, m["id"], [path])
    names = sorted(f.file_name for f in mf.list_files(records.db, m["id"]))
    assert names == ["_con.docx", "a_b.docx", "итоги"]
    view = mf.viewing_copy(records.db, next(f for f in mf.list_files(records.db, m["id"])
                                            if f.file_name == "_con.docx"))
    assert view.name == "_con.docx"
    empty = tmp_path / "пустой.docx"
    empty.write_bytes(b"")
    with pytest.raises(ServiceError, match="«пустой.docx» пустой \\(0 байт\\)"):
        attach_files(records, m["id"], [empty])
    assert records.count("material_files") == 3


def test_bytes_stored_under_a_path_like_name_never_leave_the_store(records, tmp_path):
    store = mf.store(records.db)
    stored = store.add_bytes(b"data", "../../evil.docx")
    assert stored.file_name == "evil.docx"
    assert not (tmp_path / "evil.docx").exists() and store.read_bytes(stored.sha256) == b"data"
