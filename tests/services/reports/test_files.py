"""The saved files themselves: Excel layout and formats, PDF text, LibreOffice, cancelling."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date

import openpyxl
import pytest
from pypdf import PdfReader

from app.export.report_xlsx import sheet_title
from app.services.common.errors import ServiceError
from app.export.report_files import save_report
from app.services.reports import REPORTS, ReportParams
from app.services.reports.base import ReportCancelled
from tests.services.reports.conftest import DAY, START
from tests.services.reports.readback import read_xlsx

PERIOD = ReportParams(date_from=START, date_to=DAY)


def test_xlsx_layout_formats_and_print_setup(db, network, tmp_path):
    path = save_report(db, "pk-credits", PERIOD, tmp_path / "credits.xlsx")
    sheet = read_xlsx(path)
    ws = sheet.ws
    assert ws.title == "Зачётные единицы"
    assert ws["A1"].value == "Зачётные единицы и часы по педагогам, организациям и годам"
    assert ws["A1"].font.b
    assert sheet.lines[0] == "За период с 01.01.2026 по 30.06.2026"
    assert sheet.header == ["Организация", "ФИО", "СНИЛС", "Год", "Элементов", "Часов", "Зачётных единиц"]
    h = sheet.header_row
    assert ws.freeze_panes == f"A{h + 1}"
    assert ws.auto_filter.ref == f"A{h}:G{h + len(sheet.rows)}"
    assert ws.print_title_rows == f"${h}:${h}"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9          # A4
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["A"].width == pytest.approx(34, abs=1)
    first = h + 1
    assert ws.cell(first, 4).number_format == "#,##0"
    assert ws.cell(first, 6).number_format == "#,##0.00"
    total_row = h + len(sheet.rows) + 1
    assert ws.cell(total_row, 1).value.startswith("Итого")
    assert ws.cell(total_row, 1).font.b
    assert ws.cell(total_row, 7).number_format == "#,##0.00"
    assert ws.cell(h, 1).font.b


def test_dates_and_percents_keep_their_formats(db, network, tmp_path):
    ws = read_xlsx(save_report(db, "pk-due", ReportParams(date_to=DAY), tmp_path / "due.xlsx")).ws
    header_row = int(ws.freeze_panes[1:]) - 1
    assert ws.cell(header_row + 1, 7).number_format == "DD.MM.YYYY"
    ws = read_xlsx(save_report(db, "pk-coverage", ReportParams(date_to=DAY), tmp_path / "c.xlsx")).ws
    header_row = int(ws.freeze_panes[1:]) - 1
    assert ws.cell(header_row + 1, 7).number_format == "0.0%"


def test_every_report_saves_with_a_russian_sheet_name_of_at_most_31_characters(db, network, tmp_path):
    for name, cls in REPORTS.items():
        path = save_report(db, name, PERIOD, tmp_path / f"{name}.xlsx")
        ws = openpyxl.load_workbook(path).worksheets[0]
        assert ws.title == cls.sheet and len(ws.title) <= 31, name
        assert ws["A1"].value == cls.title


def test_sheet_title_drops_what_excel_refuses():
    assert sheet_title("Отчёт: [итоги]/2026*") == "Отчёт   итоги  2026"
    assert len(sheet_title("Очень длинное название листа отчёта для региона")) == 31


def test_pdf_has_the_title_the_figures_and_the_totals(db, network, tmp_path):
    path = save_report(db, "pk-coverage", ReportParams(date_to=DAY), tmp_path / "coverage.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    assert "Охват педагогов повышением квалификации по организациям" in text
    assert "По состоянию на 30.06.2026" in text
    assert "Школа № 1" in text and "Итого" in text
    sheet = read_xlsx(save_report(db, "pk-coverage", ReportParams(date_to=DAY), tmp_path / "coverage.xlsx"))
    lines = [line.strip() for line in text.splitlines()]
    after = lines[lines.index("Итого") + 1:]
    assert after[:2] == [str(sheet.totals[1]), str(sheet.totals[2])]
    assert after[5].replace("\u00a0", " ") == f"{sheet.totals[6] * 100:.1f}".replace(".", ",").replace(",0", "") + " %"
    reader = PdfReader(path)
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height                          # landscape


def test_events_pdf_lists_the_events_of_the_period(db, network, tmp_path):
    path = save_report(db, "events", PERIOD, tmp_path / "events.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    assert "Семинар А" in text and "Вебинар Б" in text
    assert "Семинар прошлого года" not in text


def test_pdf_is_refused_for_a_report_without_it(db, network, tmp_path):
    with pytest.raises(ServiceError, match="только в Excel"):
        save_report(db, "young", PERIOD, tmp_path / "young.pdf")
    assert not (tmp_path / "young.pdf").exists()


def test_cancelling_leaves_no_file(db, network, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(ReportCancelled):
        save_report(db, "pk-credits", PERIOD, out / "credits.xlsx", cancelled=lambda: True)
    assert list(out.iterdir()) == []


def test_a_period_that_ends_before_it_starts_is_refused(db, tmp_path):
    with pytest.raises(ServiceError, match="позже"):
        save_report(db, "events", ReportParams(date_from=date(2026, 5, 1), date_to=date(2026, 4, 1)),
                    tmp_path / "e.xlsx")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) не установлен")
def test_libreoffice_opens_the_file_without_repair(db, network, tmp_path):
    path = save_report(db, "pk-coverage", ReportParams(date_to=DAY), tmp_path / "coverage.xlsx")
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
                    "--outdir", str(tmp_path / "csv"), str(path)], check=True, capture_output=True, timeout=120)
    text = (tmp_path / "csv" / "coverage.csv").read_text(encoding="utf-8", errors="replace")
    sheet = read_xlsx(path)
    assert "Охват педагогов повышением квалификации по организациям" in text
    assert "Школа № 1" in text
    assert any(line.startswith("Итого") and f",{sheet.totals[1]}," in line for line in text.splitlines())


def test_control_characters_pasted_into_a_title_do_not_break_the_file(db, network, tmp_path):
    from app.storage.models import Event

    with db.session() as s:
        s.get(Event, network["e1"]).title = "Семинар\x0bА"
    sheet = read_xlsx(save_report(db, "events", PERIOD, tmp_path / "e.xlsx"))
    assert "Семинар А" in [r[2] for r in sheet.rows]


def test_header_words_never_break_and_the_header_row_is_tall_enough(db, network, tmp_path):
    ws = read_xlsx(save_report(db, "materials", PERIOD, tmp_path / "m.xlsx")).ws
    header_row = int(ws.freeze_panes[1:]) - 1
    for cell in next(ws.iter_rows(min_row=header_row, max_row=header_row)):
        longest = max(len(word) for word in cell.value.split())
        assert ws.column_dimensions[cell.column_letter].width >= longest + 2, cell.value
        assert cell.alignment.wrap_text
    assert ws.row_dimensions[header_row].height >= 30      # «Средний балл» and «На доработку» take two lines
