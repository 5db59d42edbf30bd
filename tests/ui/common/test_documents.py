"""File dialogs: Russian dated names, Documents the first time, then the folder last used for that kind of file."""
from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from app.export.pdf_certificates import suggested_zip_name
from app.ui.accounts import audit_page
from app.ui.common import documents
from app.ui.common.documents import choose_pdf_path, clean_file_name, dated_name, suggested_pdf_path
from app.ui.events import certificates_dialog
from app.ui.events.files_tab import EventFilesTab
from app.ui.importing.dialog import ImportDialog
from app.ui.maintenance import backups_page
from app.ui.materials import material_files_panel

APP = Path(__file__).resolve().parents[3] / "app"
# Every file dialog of the program goes through documents.py: none is allowed elsewhere.
ALLOWED_ELSEWHERE: set[str] = set()


def _today() -> str:
    return f"{date.today():%Y-%m-%d}"


def test_suggested_names_are_dated_and_free_of_what_windows_forbids():
    assert dated_name("Охват ПК", "xlsx", date(2026, 12, 5)) == "Охват ПК 2026-12-05.xlsx"
    assert dated_name("План: «ФОП» 1/2 <черновик>?", ".pdf", date(2026, 1, 2)) == "План «ФОП» 1 2 черновик 2026-01-02.pdf"
    assert clean_file_name('a\\b/c:d*e?f"g<h>i|j\tk.') == "a b c d e f g h i j k"
    assert clean_file_name(' :?* ') == "файл"
    long = dated_name("Сертификаты — " + "очень длинное название " * 20, "zip", date(2026, 12, 5))
    assert len(long) <= documents.TITLE_LENGTH + len(" 2026-12-05.zip") and long.endswith(" 2026-12-05.zip")


# name: what the save dialog proposes ({today} filled in), None for a dialog that opens; extension: what is added
CASES = {
    "audit log": (lambda: audit_page.ask_save_path(None), "Журнал изменений {today}.xlsx", ".xlsx"),
    "backup": (lambda: backups_page.ask_backup_path(None), "МетодСеть — копия {today}.sqlite", ".sqlite"),
    "certificates zip": (lambda: certificates_dialog.ask_file(None, suggested_zip_name("Семинар: ФОП"), "zip"),
                         "Сертификаты — Семинар ФОП {today}.zip", ".zip"),
    "certificates pdf": (lambda: certificates_dialog.ask_file(None, "Сертификаты — Семинар.pdf", "pdf"),
                         "Сертификаты — Семинар {today}.pdf", ".pdf"),
    "certificates folder": (lambda: certificates_dialog.ask_folder(None), None, ""),
    "teacher card pdf": (lambda: choose_pdf_path(None, suggested_pdf_path("Карточка педагога", "Иванова Анна")),
                         "Карточка педагога — Иванова Анна {today}.pdf", ".pdf"),
    "material copy": (lambda: material_files_panel.choose_save_path(None, "Открытый урок.docx"), "Открытый урок.docx", ""),
    "material files": (lambda: material_files_panel.choose_files(None), None, ""),
    "event file": (lambda: EventFilesTab.choose_file(None), None, ""),
    "import table": (lambda: ImportDialog.choose_file(None), None, ""),
}


@pytest.mark.parametrize("case", CASES)
def test_a_dialog_starts_in_documents_then_in_the_folder_chosen_last(case, documents_home, file_dialogs, tmp_path):
    ask, name, extension = CASES[case]
    assert not ask()                                                    # cancelled
    [(function, title, start, _filter)] = file_dialogs.calls
    assert title
    name = name.format(today=_today()) if name else None
    assert start == str(documents_home / name if name else documents_home)

    other = tmp_path / "Другая папка"
    other.mkdir()
    chosen = {"folder": other, "open many": [other / "план.docx", other / "фото.jpg"]}.get(function, other / "мой файл")
    file_dialogs.answers = [chosen]
    got = ask()
    assert got == ([str(p) for p in chosen] if function == "open many" else str(chosen) + extension)

    assert not ask()
    assert file_dialogs.calls[-1][2] == str(other / name if name else other)
    # another kind of file still starts in Documents
    elsewhere = audit_page.ask_save_path if case != "audit log" else backups_page.ask_backup_path
    elsewhere(None)
    assert Path(file_dialogs.calls[-1][2]).parent == documents_home


def test_without_a_documents_folder_the_dialog_starts_at_home(documents_home, file_dialogs):
    documents_home.rmdir()
    audit_page.ask_save_path(None)
    assert file_dialogs.calls[-1][2] == str(documents_home.parent / f"Журнал изменений {_today()}.xlsx")


def test_a_folder_remembered_but_gone_is_not_where_the_dialog_starts(documents_home, file_dialogs, tmp_path):
    gone = tmp_path / "флешка"
    gone.mkdir()
    file_dialogs.answers = [gone / "копия.sqlite"]
    backups_page.ask_backup_path(None)
    gone.rmdir()
    backups_page.ask_backup_path(None)
    assert file_dialogs.calls[-1][2] == str(documents_home / f"МетодСеть — копия {_today()}.sqlite")


def _file_dialog_calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "QFileDialog":
            yield node


def test_every_file_dialog_goes_through_documents_and_none_starts_in_the_current_folder():
    outside, bare = [], []
    for path in sorted(APP.rglob("*.py")):
        where = path.relative_to(APP).as_posix()
        for call in _file_dialog_calls(ast.parse(path.read_text(encoding="utf-8"))):
            if where != "ui/common/documents.py" and where not in ALLOWED_ELSEWHERE:
                outside.append(f"{where}:{call.lineno}")
            start = call.args[2] if len(call.args) > 2 else next((k.value for k in call.keywords if k.arg == "dir"), None)
            # "" is the current folder, and so is a bare file name: the start must be computed, never a literal
            if start is None or isinstance(start, ast.Constant):
                bare.append(f"{where}:{call.lineno}")
    assert outside == [], "file dialogs outside app/ui/common/documents.py"
    assert bare == [], "file dialogs starting in the current folder"


def test_a_title_that_is_a_windows_device_name_still_names_a_file():
    assert clean_file_name("CON") == "_CON" and clean_file_name("nul.txt") == "_nul.txt"
    assert len(clean_file_name("Отчёт " * 100)) <= 255


def test_opening_another_database_starts_beside_the_open_one_then_where_one_was_opened(
        documents_home, file_dialogs, tmp_path):
    from app.ui.shell.help_menu import ask_database_path

    here, there = tmp_path / "здесь", tmp_path / "там"
    here.mkdir()
    there.mkdir()
    file_dialogs.answers = [there / "другая.sqlite"]
    assert ask_database_path(None, here / "база.sqlite") == str(there / "другая.sqlite")
    assert ask_database_path(None, here / "база.sqlite") is None          # cancelled
    assert [start for _f, _t, start, _filter in file_dialogs.calls] == [str(here), str(there)]
