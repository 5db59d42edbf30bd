"""Importing teachers: what lands in the database, what is refused and why, and what is left alone."""
from __future__ import annotations

import json
import time
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.services.common.errors import ServiceError
from app.services.importing.spreadsheet_import import TEACHERS, detect, import_file, run_import
from app.storage.models import AuditLog, Organization, Teacher
from tests.services.importing.builders import (
    CSV_ROWS, DDT_INN, FIXTURES, LYCEUM, REJECTED, SCHOOL_INN, SIGNATURE_ROW, SNILS_PETROV, SNILS_SIDOROVA, SNILS_VOLKOV,
    TEACHER_ROWS, snils, teachers_workbook, write_csv,
)


def _teachers(db) -> dict[str, Teacher]:
    with db.session() as s:
        return {t.last_name: t for t in s.scalars(select(Teacher).where(Teacher.deleted_at.is_(None)))}


def _organizations(db) -> dict[str, Organization]:
    with db.session() as s:
        return {o.full_name: o for o in s.scalars(select(Organization))}


def _audit(db) -> list[tuple[str, str, str]]:
    with db.session() as s:
        return [(a.action, a.entity, a.record_id) for a in s.scalars(select(AuditLog).order_by(AuditLog.id))]


def _versions(db) -> dict[str, int]:
    with db.session() as s:
        rows = s.execute(select(Teacher.id, Teacher.row_version)).all()
        rows += s.execute(select(Organization.id, Organization.row_version)).all()
    return dict(rows)


def _rejected(result) -> list[tuple[int, str]]:
    return [(r.row_number, r.column) for r in result.rejected]


def test_the_office_spreadsheet_lands_in_the_database(db, school, teachers_xlsx):
    result = import_file(db, teachers_xlsx, TEACHERS)

    assert result.committed and not result.cancelled
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    assert _rejected(result) == [(row, column) for row, (column, _) in sorted(REJECTED.items())]
    for rejected in result.rejected:
        assert REJECTED[rejected.row_number][1] in rejected.reason
        assert rejected.sheet == "Педагоги"
    assert result.rejected_rows == 4
    assert result.created_organizations == ["МБДОУ «Детский сад № 5»",
                                            f"МАУ ДО «Дом детского творчества» (ИНН {DDT_INN})"]
    assert [s.row_number for s in result.skipped] == [SIGNATURE_ROW]    # the signature is not an error

    teachers = _teachers(db)
    assert sorted(teachers) == ["Волков", "Иванова", "Петров", "Сидорова"]
    ivanova = teachers["Иванова"]
    assert (ivanova.first_name, ivanova.middle_name) == ("Анна", "Петровна")
    assert ivanova.birth_date == date(1985, 3, 12)                      # an Excel date
    assert ivanova.snils == "112-233-445 95"
    assert ivanova.email == "ivanova@school1.ru" and ivanova.phone == "+79123456789"
    assert ivanova.qualification_category == "highest" and ivanova.subjects == "математика"
    assert ivanova.consent_on == date(2023, 9, 1)
    assert ivanova.organization_id == school["id"]                       # by ИНН, though the names differ
    petrov = teachers["Петров"]
    assert (petrov.first_name, petrov.middle_name) == ("Пётр", "Сергеевич")    # CAPITALS tidied
    assert petrov.birth_date == date(1990, 11, 5)                        # «05.11.1990» as text
    assert petrov.snils == SNILS_PETROV                                  # typed without separators
    assert petrov.organization_id == school["id"]                        # from the merged cell
    assert petrov.consent_basis and petrov.consent_on is None            # «да»
    sidorova = teachers["Сидорова"]
    assert sidorova.snils == SNILS_SIDOROVA == "012-345-678 19"           # a number that lost its leading zero
    assert sidorova.birth_date == date(1979, 7, 7)                       # «07.07.1979 г.»
    assert sidorova.qualification_category == "none"                     # «б/к»
    volkov = teachers["Волков"]
    assert volkov.snils == SNILS_VOLKOV and volkov.qualification_category == "conformity"

    orgs = _organizations(db)
    kindergarten = orgs["МБДОУ «Детский сад № 5»"]
    ddt = orgs["МАУ ДО «Дом детского творчества»"]
    assert kindergarten.kind == "kindergarten" and kindergarten.inn is None
    assert ddt.kind == "additional" and ddt.inn == DDT_INN
    assert sidorova.organization_id == kindergarten.id and volkov.organization_id == ddt.id
    assert len(orgs) == 3


def test_the_rejection_reasons_read_well(db, school, teachers_xlsx):
    result = import_file(db, teachers_xlsx, TEACHERS)
    lines = [str(r) for r in result.rejected]
    assert lines[0] == "Строка 10, столбец D (СНИЛС): СНИЛС 123-456-789 00: неверная контрольная сумма (ожидается 64)"
    assert lines[1].startswith("Строка 11, столбец C (Дата рождения): Дата «31.02.1990» указана неверно")
    assert lines[2] == ("Строка 12, столбец D (СНИЛС): СНИЛС 112-233-445 95 уже встречался в строке 6; "
                        "повторная строка не импортируется")
    assert lines[3] == ("Строка 14, столбец B (Ф.И.О. педагога): «Орлова Е.В.»: "
                        "укажите имя и отчество полностью, а не инициалы")


def test_importing_the_same_file_again_changes_nothing(db, school, teachers_xlsx):
    first = import_file(db, teachers_xlsx, TEACHERS)
    assert first.committed
    versions, audit, orgs = _versions(db), _audit(db), len(_organizations(db))

    again = import_file(db, teachers_xlsx, TEACHERS)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert again.created_organizations == []
    assert not again.committed                                   # nothing to commit
    assert _rejected(again) == _rejected(first)
    assert _versions(db) == versions
    assert _audit(db) == audit
    assert len(_organizations(db)) == orgs


def test_a_match_is_updated_only_with_values_that_differ_and_are_filled(db, records, school, teachers_xlsx):
    # Пётр Петров is known without СНИЛС; the file has his СНИЛС but no e-mail or phone.
    known = records.create("teachers", {
        "last_name": "Петров", "first_name": "Пётр", "middle_name": "Сергеевич", "birth_date": "05.11.1990",
        "email": "petrov@mail.ru", "phone": "+79000000001", "subjects": "физика", "position": "учитель",
        "organization_id": school["id"], "qualification_category": "first"})
    result = import_file(db, teachers_xlsx, TEACHERS)
    assert (result.created, result.updated) == (3, 1)
    petrov = records.get("teachers", known["id"])
    assert petrov["snils"] == SNILS_PETROV                           # matched by ФИО and birth date
    assert petrov["email"] == "petrov@mail.ru" and petrov["phone"] == "+79000000001"   # blanks erase nothing
    assert petrov["row_version"] == known["row_version"] + 1
    updates = [a for a in _audit(db) if a[0] == "update"]
    assert updates == [("update", "teachers", known["id"])]
    with db.session() as s:
        entry = s.scalars(select(AuditLog).where(AuditLog.action == "update")).one()
    assert set(json.loads(entry.after)) == {"snils", "consent_basis"}


def test_a_snils_of_another_person_is_refused(db, records, school, teachers_xlsx):
    other = records.create("teachers", {"last_name": "Сергеев", "first_name": "Сергей", "snils": SNILS_VOLKOV,
                                        "birth_date": "01.01.1970"})
    result = import_file(db, teachers_xlsx, TEACHERS)
    rejected = {r.row_number: r for r in result.rejected}
    assert rejected[13].column == "D (СНИЛС)"
    assert rejected[13].reason == (f"СНИЛС {SNILS_VOLKOV} в базе принадлежит другому педагогу: "
                                   "Сергеев Сергей, дата рождения 01.01.1970")
    assert records.get("teachers", other["id"])["last_name"] == "Сергеев"
    # The organisation only row 13 named is not created for a refused row.
    assert all("Дом детского творчества" not in name for name in result.created_organizations)
    assert "МАУ ДО «Дом детского творчества»" not in _organizations(db)


def test_a_new_surname_with_the_same_snils_is_an_update(db, records, school, tmp_path):
    known = records.create("teachers", {"last_name": "Петрова", "first_name": "Анна", "middle_name": "Петровна",
                                        "snils": "112-233-445 95", "birth_date": "12.03.1985"})
    path = teachers_workbook(tmp_path / "t.xlsx", rows={6: TEACHER_ROWS[6]})
    result = import_file(db, path, TEACHERS)
    assert (result.created, result.updated) == (0, 1)
    assert records.get("teachers", known["id"])["last_name"] == "Иванова"


def test_duplicates_inside_the_file_name_the_first_row(db, tmp_path):
    rows = {
        6: [1, "Зайцева Инна Олеговна", date(1980, 1, 2), None, "МБОУ «Гимназия № 3»"],
        7: [2, "ЗАЙЦЕВА ИННА ОЛЕГОВНА", "02.01.1980", None, "МБОУ «Гимназия № 3»"],
        8: [3, "Зайцева Инна Олеговна", "03.01.1980", None, "МБОУ «Гимназия № 3»"],     # another birth date
    }
    result = import_file(db, teachers_workbook(tmp_path / "t.xlsx", rows=rows), TEACHERS)
    assert result.created == 2
    assert [(r.row_number, r.column, r.reason) for r in result.rejected] == [
        (7, "B (Ф.И.О. педагога)",
         "те же ФИО и дата рождения, что в строке 6; повторная строка не импортируется")]
    assert result.created_organizations == ["МБОУ «Гимназия № 3»"]
    assert _organizations(db)["МБОУ «Гимназия № 3»"].kind == "school"


def test_a_row_with_several_problems_reports_each_column(db, school, tmp_path):
    rows = {6: [1, "Носов Н Н", "32.13.1990", "12345", "МБОУ «СОШ № 1»", 1234567890, None, None, "вторая",
                "не почта", "12-34"]}
    result = import_file(db, teachers_workbook(tmp_path / "t.xlsx", rows=rows), TEACHERS)
    assert result.created == 0 and not result.committed
    columns = {r.column: r.reason for r in result.rejected}
    assert set(columns) == {"C (Дата рождения)", "D (СНИЛС)", "F (ИНН организации)",
                            "I (Квалификационная категория)", "J (E-mail)", "K (Телефон)"}
    assert "должно быть 11 цифр" in columns["D (СНИЛС)"]
    assert "неверная контрольная сумма" in columns["F (ИНН организации)"]
    assert "нет в списке допустимых значений" in columns["I (Квалификационная категория)"]


def test_an_organisation_named_by_inn_alone(db, school, tmp_path):
    unknown_inn = "7728168971"
    rows = {6: [1, "Белов Игорь Ильич", date(1970, 5, 5), None, SCHOOL_INN],
            7: [2, "Белова Ирина Ильинична", date(1972, 5, 5), None, unknown_inn]}
    result = import_file(db, teachers_workbook(tmp_path / "t.xlsx", rows=rows), TEACHERS)
    assert result.created == 1
    assert _teachers(db)["Белов"].organization_id == school["id"]
    assert [(r.row_number, r.column) for r in result.rejected] == [(7, "E (Образовательная организация)")]
    assert f"организация с ИНН {unknown_inn} не найдена" in result.rejected[0].reason


def test_all_or_nothing_commits_nothing_when_a_row_is_bad(db, school, teachers_xlsx):
    audit, versions = _audit(db), _versions(db)
    result = import_file(db, teachers_xlsx, TEACHERS, all_or_nothing=True)
    assert not result.committed and result.all_or_nothing
    assert result.created == 4 and result.rejected_rows == 4           # what it would have done
    assert _teachers(db) == {}
    assert len(_organizations(db)) == 1
    assert _audit(db) == audit and _versions(db) == versions
    assert "ничего не записано" in result.outcome()


def test_all_or_nothing_commits_a_clean_file(db, school, tmp_path):
    rows = {n: TEACHER_ROWS[n] for n in (6, 7, 9)}
    result = import_file(db, teachers_workbook(tmp_path / "t.xlsx", rows=rows), TEACHERS, all_or_nothing=True)
    assert result.committed and result.created == 3
    assert len(_teachers(db)) == 3


def test_cancel_leaves_the_database_as_it_was(db, school, tmp_path):
    path = _big_workbook(tmp_path / "big.xlsx", 450)
    audit, versions = _audit(db), _versions(db)
    seen = []
    calls = iter(range(10**6))

    result = run_import(db, detect(path, TEACHERS), progress=lambda f, m: seen.append((f, m)),
                        is_cancelled=lambda: next(calls) >= 300)
    assert result.cancelled and not result.committed
    assert result.created >= 250                                        # it got that far before Cancel
    assert _teachers(db) == {} and _audit(db) == audit and _versions(db) == versions
    assert len(_organizations(db)) == 1
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and 0 < fractions[-2] < 1
    assert "отменён" in result.outcome()


def test_progress_is_reported_every_hundred_rows(db, tmp_path):
    path = _big_workbook(tmp_path / "big.xlsx", 450)
    seen = []
    result = run_import(db, detect(path, TEACHERS), progress=lambda f, m: seen.append((round(f, 2), m)))
    assert result.created == 450 and result.committed
    row_messages = [m for _, m in seen if m.startswith("Строка")]
    assert len(row_messages) == 5 and row_messages[1] == "Строка 103 (100 из 450)"
    assert seen[-1] == (1.0, "Готово")


@pytest.mark.parametrize("encoding", ["cp1251", "utf-8-sig"])
def test_csv_with_three_name_columns(db, tmp_path, encoding):
    path = write_csv(tmp_path / "лицей.csv", CSV_ROWS, encoding)
    plan = detect(path, TEACHERS)
    assert plan.header_row == 3
    assert list(plan.mapping.values()) == ["last_name", "first_name", "middle_name", "birth_date", "snils",
                                           "organization"]
    result = run_import(db, plan)
    assert (result.created, result.rejected) == (3, [])
    assert result.created_organizations == [LYCEUM]
    assert [s.row_number for s in result.skipped] == [8]               # «Исполнитель: …»
    teachers = _teachers(db)
    assert set(teachers) == {"Гасанов", "Ёлкин", "Семёнова"}
    assert (teachers["Ёлкин"].first_name, teachers["Ёлкин"].birth_date) == ("Игорь", date(1987, 3, 1))
    assert teachers["Ёлкин"].snils == snils("567890123")
    assert teachers["Гасанов"].middle_name == "Гасан оглы"
    assert teachers["Семёнова"].snils == snils("456789012")
    again = import_file(db, path, TEACHERS)
    assert (again.created, again.updated, again.unchanged, again.committed) == (0, 0, 3, False)


@pytest.mark.parametrize("name", ["teachers.xls", "teachers.ods"])
def test_xls_and_ods_import_like_the_xlsx(db, school, name):
    result = import_file(db, FIXTURES / name, TEACHERS)
    assert (result.created, result.updated) == (4, 0)
    assert _rejected(result) == [(row, column) for row, (column, _) in sorted(REJECTED.items())]
    teachers = _teachers(db)
    assert teachers["Сидорова"].snils == SNILS_SIDOROVA
    assert teachers["Иванова"].birth_date == date(1985, 3, 12)
    assert teachers["Петров"].organization_id == school["id"]


def test_a_plan_that_cannot_run_is_refused(db, teachers_xlsx):
    plan = detect(teachers_xlsx, TEACHERS)
    plan.set_target(2, None)
    with pytest.raises(ServiceError, match="Импорт невозможен: Не указан столбец с ФИО"):
        run_import(db, plan)


def test_the_user_mapping_is_what_runs(db, school, teachers_xlsx):
    plan = detect(teachers_xlsx, TEACHERS)
    plan.set_target(8, None)          # do not import «Предмет(ы)»
    plan.set_target(1, "notes")       # keep the list number as a note
    run_import(db, plan)
    ivanova = _teachers(db)["Иванова"]
    assert ivanova.subjects == "" and ivanova.notes == "1"


def test_five_hundred_rows_import_quickly(db, tmp_path):
    path = _big_workbook(tmp_path / "big.xlsx", 500)
    started = time.perf_counter()
    result = import_file(db, path, TEACHERS)
    elapsed = time.perf_counter() - started
    assert result.created == 500 and len(result.created_organizations) == 20
    assert elapsed < 5, f"500 строк за {elapsed:.1f} с"
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Teacher)) == 500
        assert s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "create")) == 520


def _big_workbook(path, n: int):
    wb = Workbook()
    ws = wb.active
    ws.append(["Сводный список"])
    ws.append(["ФИО", "Дата рождения", "СНИЛС", "Организация"])
    for i in range(n):
        ws.append([f"Педагогов{i:04d} Иван Иванович".replace("0", "о").replace("1", "а").replace("2", "б")
                   .replace("3", "в").replace("4", "г").replace("5", "д").replace("6", "е").replace("7", "ж")
                   .replace("8", "з").replace("9", "и"),
                   date(1960 + i % 40, 1 + i % 12, 1 + i % 28), snils(f"{200000000 + i * 7919:09d}"),
                   f"МБОУ СОШ № {i % 20 + 1}"])
    wb.save(path)
    return path


def test_captions_repeated_headers_and_totals_are_skipped_not_rejected(db, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Педагоги образовательных организаций округа"])                    # 1
    ws.append(["№", "ФИО", "Дата рождения", "Должность"])                         # 2
    ws.append([1, 2, 3, 4])                                                        # 3 column numbers
    ws.append(["МБОУ «СОШ № 4»"])                                                  # 4 a section caption
    ws.merge_cells("A4:D4")
    ws.append([1, "Лебедев Артём Романович", "01.02.1983", "учитель"])            # 5
    ws.append(["№", "ФИО", "Дата рождения", "Должность"])                         # 6 header on the next page
    ws.append([None, "МАДОУ «Детский сад № 12»"])                                  # 7 a caption, not merged
    ws.append([2, "Лебедева Вера Павловна", "02.03.1984", "воспитатель"])          # 8
    ws.append([None, "Директорова Нина Ивановна", None, "директор"])              # 9 a real person
    ws.append(["Итого: 3 педагога"])                                               # 10
    ws.append([3, "Позднов Пётр Петрович", "03.04.1985", "учитель"])              # 11 below the total
    path = tmp_path / "разделы.xlsx"
    wb.save(path)
    plan = detect(path, TEACHERS)
    assert plan.header_row == 2 and plan.first_data_row == 4
    result = run_import(db, plan)
    assert result.rejected == []
    assert result.created == 3
    assert [(s.row_number, s.reason.split(";")[0]) for s in result.skipped] == [
        (4, "подзаголовок внутри таблицы"), (6, "повтор строки заголовка"), (7, "подзаголовок внутри таблицы"),
        (10, "подпись или итоговая строка под таблицей")]
    assert set(_teachers(db)) == {"Лебедев", "Лебедева", "Директорова"}
    assert "Пропущено строк: 4 (4, 6, 7, 10)" in "\n".join(result.summary_lines())


def test_namesakes_without_birth_dates_are_not_guessed(db, records, tmp_path):
    for birth in ("01.01.1970", "02.02.1980"):
        records.create("teachers", {"last_name": "Иванов", "first_name": "Иван", "middle_name": "Иванович",
                                    "birth_date": birth})
    rows = {6: [1, "Иванов Иван Иванович", None, None, None, None, "учитель"],
            7: [2, "Иванов Иван Иванович", "02.02.1980", None, None, None, "директор"]}
    result = import_file(db, teachers_workbook(tmp_path / "t.xlsx", rows=rows), TEACHERS)
    assert [(r.row_number, r.column, r.reason) for r in result.rejected] == [
        (6, "B (Ф.И.О. педагога)",
         "в базе несколько педагогов «Иванов Иван Иванович»; укажите дату рождения или СНИЛС")]
    assert (result.created, result.updated) == (0, 1)
    assert sorted(t["position"] for t in records.list("teachers").rows) == ["", "директор"]
