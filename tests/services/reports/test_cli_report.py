"""`report --list` and `report NAME …` through app.cli.main, as a user types them."""
from __future__ import annotations

from app.cli import main
from app.services.reports import REPORTS
from tests.services.reports.readback import column, read_xlsx


def test_list_prints_each_report_name_then_its_russian_title(capsys):
    assert main(["report", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(REPORTS) == 11
    for line, (name, cls) in zip(lines, REPORTS.items()):
        assert line.split()[0] == name
        assert cls.title in line
    assert lines[0].startswith("pk-coverage ")


def test_report_to_xlsx_with_period_and_organisation_by_inn(db_path, network, tmp_path, capsys):
    out = tmp_path / "agreements.xlsx"
    code = main(["--db", str(db_path), "report", "agreements", "--to", "30.06.2026",
                 "--organization", "5050000005", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert f"Отчёт сохранён: {out}" in capsys.readouterr().out
    sheet = read_xlsx(out)
    assert column(sheet, "Номер") == ["1/2025"]
    assert "По состоянию на 30.06.2026" in sheet.lines
    assert "Организация: Школа № 1" in sheet.lines


def test_report_to_pdf(db_path, network, tmp_path):
    out = tmp_path / "events.pdf"
    assert main(["--db", str(db_path), "report", "events", "--from", "01.01.2026", "--to", "30.06.2026",
                 "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_unmasked_option(db_path, network, tmp_path):
    out = tmp_path / "due.xlsx"
    assert main(["--db", str(db_path), "report", "pk-due", "--to", "30.06.2026", "--unmasked",
                 "--out", str(out)]) == 0
    assert "123-456-789 64" in column(read_xlsx(out), "СНИЛС")


def test_errors_are_russian_with_exit_codes(db_path, network, tmp_path, capsys):
    db = ["--db", str(db_path)]
    assert main(db + ["report", "nosuch", "--out", str(tmp_path / "x.xlsx")]) == 1
    assert "Отчёт «nosuch» не найден" in capsys.readouterr().err
    assert main(db + ["report", "young", "--out", str(tmp_path / "y.pdf")]) == 1
    assert "только в Excel" in capsys.readouterr().err
    assert main(db + ["report", "events", "--from", "31.02.2026", "--out", str(tmp_path / "e.xlsx")]) == 2
    assert "--from: Дата «31.02.2026» указана неверно" in capsys.readouterr().err
    assert main(db + ["report", "events", "--from", "02.02.2026", "--to", "01.02.2026",
                      "--out", str(tmp_path / "e.xlsx")]) == 2
    assert "позже" in capsys.readouterr().err
    assert main(db + ["report", "events"]) == 2
    assert "не указан файл" in capsys.readouterr().err
    assert main(db + ["report", "events", "--organization", "Нет такой", "--out", str(tmp_path / "e.xlsx")]) == 1
    assert "Организация не найдена" in capsys.readouterr().err
    assert main(db + ["report", "events", "--out", str(tmp_path / "e.csv")]) == 1
    assert ".xlsx" in capsys.readouterr().err
    assert not any(tmp_path.glob("*.xlsx")) and not any(tmp_path.glob("*.pdf"))
