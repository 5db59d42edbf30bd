"""Reading .xlsx, .xls, .ods and .csv into sheet rows with their Excel row numbers."""
from __future__ import annotations

import zipfile
from datetime import date

import pytest

from app.services.importing.reader import column_letter, decode_text, read_table, sniff_delimiter
from app.services.common.errors import ServiceError
from tests.services.importing.builders import CSV_ROWS, FIXTURES, SNILS_IVANOVA, write_csv


def test_xlsx_title_rows_dates_numbers_and_merged_cells(teachers_xlsx):
    data = read_table(teachers_xlsx)
    assert data.sheet == "Педагоги"                      # the empty first sheet is passed over
    assert data.sheets == ["Пояснения", "Педагоги"]
    rows = {r.number: r.values for r in data.rows}
    assert sorted(rows) == [1, 2, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 16, 17]
    # A title merged across the table stays in its first cell only.
    assert rows[1] == ["Управление образования администрации городского округа Энск"]
    assert rows[4][:4] == ["№ п/п", "Ф.И.О. педагога", "Дата рождения", "СНИЛС"]
    assert rows[6][2] == date(1985, 3, 12)               # an Excel date
    assert rows[6][3] == SNILS_IVANOVA
    assert rows[6][5] == 7707083893 and isinstance(rows[6][5], int)    # not 7.7e9
    assert rows[7][2] == "05.11.1990"                    # a date typed as text stays text
    assert rows[7][4] == "МБОУ «СОШ № 1»"                # merged down from row 6
    assert rows[9][3] == 1234567819                      # the leading zero is gone in Excel already
    assert rows[16] == [None, "Директор ____________ Иванов И.И."]
    assert data.width == 12


@pytest.mark.parametrize("name", ["teachers.xls", "teachers.ods"])
def test_xls_and_ods_read_like_the_xlsx(teachers_xlsx, name):
    expected = read_table(teachers_xlsx)
    data = read_table(FIXTURES / name)
    assert data.sheet == "Педагоги" and data.sheets == expected.sheets
    assert [(r.number, r.values) for r in data.rows] == [(r.number, r.values) for r in expected.rows]
    assert sorted(data.merged, key=repr) == sorted(expected.merged, key=repr)


def test_a_sheet_by_name_and_a_missing_sheet(teachers_xlsx):
    assert read_table(teachers_xlsx, "Пояснения").rows == []
    with pytest.raises(ServiceError, match=r"нет листа «Итоги».*«Пояснения», «Педагоги»"):
        read_table(teachers_xlsx, "Итоги")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1251"])
def test_csv_in_utf8_and_cp1251(tmp_path, encoding):
    path = write_csv(tmp_path / "список.csv", CSV_ROWS, encoding)
    data = read_table(path)
    assert data.sheet == "список" and data.sheets == ["список"]
    rows = {r.number: r.values for r in data.rows}
    assert sorted(rows) == [1, 3, 4, 5, 7, 8]            # rows 2 and 6 are blank
    assert rows[3] == ["Фамилия", "Имя", "Отчество", "Дата рождения", "СНИЛС", "Место работы"]
    assert rows[4][0] == "Семёнова" and rows[4][3] == "14.02.1995"
    assert rows[5][:3] == ["ёлкин", "игорь", None]


def test_csv_comma_delimiter_and_a_line_break_inside_quotes(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('ФИО,Должность\n"Иванов Иван","учитель; завуч"\n"Петров\nПётр",директор\nСидоров Олег,\n',
                    encoding="utf-8")
    data = read_table(path)
    assert [(r.number, r.values) for r in data.rows] == [
        (1, ["ФИО", "Должность"]), (2, ["Иванов Иван", "учитель; завуч"]),
        (3, ["Петров\nПётр", "директор"]), (4, ["Сидоров Олег"])]


def test_delimiter_and_encoding_detection():
    assert sniff_delimiter("Список педагогов, 2024\nФИО;Дата;СНИЛС\nа;б;в\n") == ";"
    assert sniff_delimiter("ФИО\tДата\tСНИЛС\nа\tб\tв\n") == "\t"
    # Commas inside the values of a «;» file split each row differently: the consistent «;» wins.
    assert sniff_delimiter("Наименование;ИНН;Адрес\nСОШ № 1;5050900006;141100, г. Щёлково, ул. Ленина, д. 1\n"
                           "СОШ № 2;5050900013;141100, г. Щёлково, ул. Мира, д. 22, корп. 1\n") == ";"
    assert sniff_delimiter("ФИО,Предметы\nИванов И. И.,русский язык; литература\nПетров П. П.,физика\n"
                           "Сидоров С. С.,химия\n") == ","
    # Rows without their trailing empty fields and decimal commas: still «;».
    assert sniff_delimiter("ФИО;Часы;Дата;Примечание\nИванов;36,5\nПетров;72,0;01.02.2025\nСидоров;18,5\n") == ";"
    assert decode_text("Педагоги".encode("cp1251")) == "Педагоги"
    assert decode_text("\ufeffПедагоги".encode("utf-8")) == "Педагоги"
    assert decode_text("Педагоги".encode("utf-16")) == "Педагоги"


def test_unreadable_files_get_a_russian_message_naming_the_file(tmp_path):
    broken = tmp_path / "сломан.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ServiceError, match=r"«сломан\.xlsx».*повреждён"):
        read_table(broken)
    encrypted = tmp_path / "секрет.xlsx"          # Excel saves a password-protected book as an OLE container
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000      # with these streams
                          + "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le"))
    with pytest.raises(ServiceError, match=r"«секрет\.xlsx».*защищён паролем"):
        read_table(encrypted)
    html = tmp_path / "выгрузка.xls"
    html.write_text("<html><body><table><tr><td>ФИО</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(ServiceError, match=r"«выгрузка\.xls».*веб-страница"):
        read_table(html)
    empty = tmp_path / "пусто.ods"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    with pytest.raises(ServiceError, match=r"«пусто\.ods»"):
        read_table(empty)
    with pytest.raises(ServiceError, match=r"«отчёт\.pdf».*не поддерживается"):
        (tmp_path / "отчёт.pdf").write_bytes(b"%PDF-1.4")
        read_table(tmp_path / "отчёт.pdf")
    with pytest.raises(ServiceError, match=r"не найден"):
        read_table(tmp_path / "нет.xlsx")
    binary = tmp_path / "книга.csv"
    binary.write_bytes(b"PK\x03\x04\x00\x00\x00binary")
    with pytest.raises(ServiceError, match=r"«книга\.csv».*не текстовый"):
        read_table(binary)


def test_column_letters():
    assert [column_letter(i) for i in (1, 4, 26, 27, 52, 703)] == ["A", "D", "Z", "AA", "AZ", "AAA"]
