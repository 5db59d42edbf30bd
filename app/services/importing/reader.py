"""Reading the spreadsheets offices really have: .xlsx, .xls, .ods and .csv.

One sheet comes out as plain Python values with their 1-based sheet row
numbers: text (trimmed, empty → None), ``int`` for whole numbers (so a СНИЛС
or an ИНН stored as a number is not read as ``1.12e10``), ``float``,
``datetime.date`` for Excel dates (``datetime`` only when there is a time of
day), ``bool``. A merged range shows its top-left value in every cell of the
range when it spans several rows (a header cell merged over a second header
row, an organisation merged over its teachers); a range inside one row (a
title over the table, a section caption) keeps the value in its first cell
only, so it does not turn into a row of copies.

Excel-like files are read with python-calamine (one Rust reader for xlsx,
xls and ods, fast enough for 100,000 rows); merged ranges of .ods files,
which calamine does not report, are read from the file's content.xml. CSV is
decoded as UTF-8 (with or without BOM), UTF-16 with BOM, or cp1251, and its
delimiter is chosen among «;», «,» and tab.
"""
from __future__ import annotations

import codecs
import csv
import io
import os
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from typing import Any, Callable, Iterator
from xml.etree import ElementTree

from app.services.common.errors import ServiceError, describe_os_error

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
SUPPORTED = "xlsx, xls, ods или csv"
CSV_DELIMITERS = (";", ",", "\t")

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_WHOLE = 10 ** 15          # floats above this are not exact integers anyway


@dataclass(frozen=True)
class SheetRow:
    number: int                 # 1-based row number as the user sees it in Excel
    values: list[Any]           # cell values, index 0 = column A

    def value(self, column: int) -> Any:
        """The value in a 1-based column, or None."""
        return self.values[column - 1] if 0 < column <= len(self.values) else None

    def is_blank(self) -> bool:
        return all(v is None for v in self.values)


@dataclass(frozen=True)
class MergedRange:
    first_row: int              # 1-based, inclusive
    first_column: int
    last_row: int
    last_column: int

    def contains(self, row: int, column: int) -> bool:
        return self.first_row <= row <= self.last_row and self.first_column <= column <= self.last_column


@dataclass
class SheetData:
    path: Path
    sheet: str                  # the sheet read (the file name without extension for CSV)
    sheets: list[str]           # every sheet of the file, in order
    rows: list[SheetRow]        # non-blank rows only, in sheet order
    width: int                  # number of columns
    merged: list[MergedRange] = field(default_factory=list)

    def row(self, number: int) -> SheetRow | None:
        for r in self.rows:
            if r.number == number:
                return r
        return None


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_table(path: str | os.PathLike, sheet: str | None = None, *,
               fits: Callable[[SheetData], bool] | None = None) -> SheetData:
    """One sheet of a spreadsheet file: ``sheet`` by name, or else the first non-empty one
    that ``fits`` (has the header the import looks for: an instructions sheet before the
    data is passed over), or else the first non-empty one.

    Raises ServiceError with a Russian message naming the file when the file
    cannot be read (missing, encrypted, corrupt, of another format).
    """
    p = Path(path)
    if not p.is_file():
        raise ServiceError(f"Файл «{p}» не найден.")
    suffix = p.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _read_csv(p)
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(p, sheet, fits)
    raise ServiceError(f"Формат файла «{p.name}» не поддерживается: ожидается {SUPPORTED}.")


def sheet_names(path: str | os.PathLike) -> list[str]:
    return read_table(path).sheets


# ---------------------------------------------------------------- values

def clean_value(value: Any) -> Any:
    """A cell value as the import wants it (see the module docstring)."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.replace("\u00a0", " ").strip()
        return text or None
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        if value != value:          # NaN
            return None
        if value.is_integer() and abs(value) < _MAX_WHOLE:
            return int(value)
        return value
    if isinstance(value, datetime):
        return value.date() if value.time() == time(0, 0) else value
    return value


def _rows_from(values: Iterator[list[Any]]) -> tuple[list[SheetRow], int]:
    rows, width = [], 0
    for number, raw in enumerate(values, start=1):
        cells = [clean_value(v) for v in raw]
        while cells and cells[-1] is None:
            cells.pop()
        if cells:
            rows.append(SheetRow(number, cells))
            width = max(width, len(cells))
    return rows, width


def _fill_merged(rows: list[SheetRow], merged: list[MergedRange]) -> list[SheetRow]:
    """Copies the top-left value of every multi-row merged range into the cells it covers."""
    tall = [m for m in merged if m.last_row > m.first_row]
    if not tall:
        return rows
    by_number = {r.number: r for r in rows}
    for m in tall:
        top = by_number.get(m.first_row)
        value = top.value(m.first_column) if top else None
        if value is None:
            continue
        for number in range(m.first_row, m.last_row + 1):
            row = by_number.get(number)
            if row is None:
                row = by_number[number] = SheetRow(number, [])
            if len(row.values) < m.last_column:
                row.values.extend([None] * (m.last_column - len(row.values)))
            for col in range(m.first_column, m.last_column + 1):
                if row.values[col - 1] is None:
                    row.values[col - 1] = value
    return [by_number[n] for n in sorted(by_number)]


# ---------------------------------------------------------------- Excel, ODS

def _unreadable(p: Path, reason: str) -> ServiceError:
    return ServiceError(f"Не удалось прочитать файл «{p.name}»: {reason}.")


def _holds_encryption_info(p: Path) -> bool:
    """An Office file encrypted with a password is an OLE container with an «EncryptionInfo» stream."""
    try:
        return "EncryptionInfo".encode("utf-16-le") in p.read_bytes()
    except OSError:
        return False


def _by_content(p: Path):
    """The workbook read by what the file holds rather than its extension (an .xls saved as «.xlsx»,
    an .xlsx renamed «.xls»), or None when its content is no workbook either."""
    import python_calamine

    try:
        data = p.read_bytes()
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - the Rust reader raises its own (even BaseException) errors
        return None


def _diagnose(p: Path, exc: BaseException) -> ServiceError:
    try:
        with p.open("rb") as fh:
            head = fh.read(512)
    except OSError as os_exc:
        return _unreadable(p, f"нет доступа к файлу ({describe_os_error(os_exc, with_path=False)})")
    name = type(exc).__name__
    suffix = p.suffix.lower()
    if "Password" in name or (suffix in (".xlsx", ".xlsm", ".xlsb", ".ods") and head.startswith(_OLE_SIGNATURE)
                              and _holds_encryption_info(p)):
        return _unreadable(p, "файл защищён паролем (зашифрован). Снимите пароль в Excel или LibreOffice "
                              "и сохраните файл заново")
    if head.startswith(_OLE_SIGNATURE):     # a book of Excel 97–2003 that even its content did not open
        return _unreadable(p, "книга Excel 97–2003 не читается: она защищена паролем или повреждена. Снимите "
                              "пароль в Excel или LibreOffice и сохраните файл как «Книга Excel (.xlsx)»")
    if not head.strip():
        return _unreadable(p, "файл пуст")
    stripped = head.removeprefix(codecs.BOM_UTF8).lstrip().lower()
    if stripped.startswith((b"<html", b"<!doctype", b"<table", b"<?xml")):
        return _unreadable(p, "это не книга Excel, а веб-страница или XML с расширением "
                              f"«{p.suffix}». Откройте его в Excel и сохраните как «Книга Excel (.xlsx)»")
    return _unreadable(p, "файл повреждён или не является таблицей " + SUPPORTED.replace(" или ", ", "))


def _read_excel(p: Path, wanted: str | None, fits: Callable[[SheetData], bool] | None = None) -> SheetData:
    try:
        import python_calamine
    except ImportError:  # pragma: no cover - a dependency of the project
        raise ServiceError("Не установлен модуль python-calamine, нужный для чтения таблиц Excel и ODS.") from None
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(p))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - the Rust reader raises its own (even BaseException) errors
        workbook = _by_content(p)
        if workbook is None:
            raise _diagnose(p, exc) from None
    try:
        names = list(workbook.sheet_names)
        visible = _visible_worksheets(workbook, names)
        if not names:
            raise _unreadable(p, "в книге нет ни одного листа")
        if wanted is not None:
            if wanted not in names:
                raise ServiceError(f"В файле «{p.name}» нет листа «{wanted}». Листы: "
                                   + ", ".join(f"«{n}»" for n in names) + ".")
            candidates = [wanted]
        else:
            candidates = visible + [n for n in names if n not in visible]
        first_empty: tuple[str, list[SheetRow], int, list[MergedRange]] | None = None
        first_filled: SheetData | None = None
        for name in candidates:
            sheet = workbook.get_sheet_by_name(name)
            rows, width = _rows_from(sheet.to_python(skip_empty_area=False))
            merged = _merged_ranges(p, sheet, name)
            if rows or wanted is not None:
                data = SheetData(p, name, names, _fill_merged(rows, merged), width, merged)
                if fits is None or wanted is not None or fits(data):
                    return data
                first_filled = first_filled or data
            elif first_empty is None:
                first_empty = (name, rows, width, merged)
        if first_filled is not None:
            return first_filled
        name, rows, width, merged = first_empty
        return SheetData(p, name, names, rows, width, merged)
    except ServiceError:
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001
        raise _diagnose(p, exc) from None
    finally:
        try:
            workbook.close()
        except Exception:  # noqa: BLE001 - closing a read-only handle
            pass


def _visible_worksheets(workbook, names: list[str]) -> list[str]:
    try:
        meta = workbook.sheets_metadata
    except Exception:  # noqa: BLE001 - older readers have no metadata
        return names
    out = []
    for m in meta:
        kind = str(getattr(m, "typ", "WorkSheet"))
        vis = str(getattr(m, "visible", "Visible"))
        if "WorkSheet" in kind and vis.endswith("Visible") and "Hidden" not in vis:
            out.append(m.name)
    return out or names


def _merged_ranges(p: Path, sheet, name: str) -> list[MergedRange]:
    ranges = None
    try:
        ranges = sheet.merged_cell_ranges
    except Exception:  # noqa: BLE001 - not supported for this format
        ranges = None
    if ranges is None:
        return _ods_merged_ranges(p, name) if p.suffix.lower() == ".ods" else []
    return [MergedRange(r0 + 1, c0 + 1, r1 + 1, c1 + 1) for (r0, c0), (r1, c1) in ranges]


_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_T = "{%s}" % _TABLE_NS


def _ods_merged_ranges(p: Path, sheet_name: str) -> list[MergedRange]:
    """Spanned cells of one table of an .ods file (calamine does not report them)."""
    try:
        with zipfile.ZipFile(p) as z, z.open("content.xml") as fh:
            return _scan_ods_spans(fh, sheet_name)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError):
        return []


def _scan_ods_spans(fh, sheet_name: str) -> list[MergedRange]:
    merged: list[MergedRange] = []
    in_table = False
    row = 0
    col = 0
    row_repeat = 1
    depth = 0           # nesting of tables (sub-tables are rare but legal)
    for event, el in ElementTree.iterparse(fh, events=("start", "end")):
        tag = el.tag
        if event == "start":
            if tag == _T + "table":
                depth += 1
                if depth == 1:
                    in_table = el.get(_T + "name") == sheet_name
                    row = 0
            elif in_table and tag == _T + "table-row":
                row_repeat = int(el.get(_T + "number-rows-repeated", "1"))
                col = 0
            continue
        # end events
        if tag == _T + "table":
            depth -= 1
            if in_table and depth == 0:
                return merged
        elif in_table and tag == _T + "table-row":
            row += row_repeat
            el.clear()
        elif in_table and tag in (_T + "table-cell", _T + "covered-table-cell"):
            repeat = int(el.get(_T + "number-columns-repeated", "1"))
            rows_span = int(el.get(_T + "number-rows-spanned", "1"))
            cols_span = int(el.get(_T + "number-columns-spanned", "1"))
            if tag == _T + "table-cell" and (rows_span > 1 or cols_span > 1):
                merged.append(MergedRange(row + 1, col + 1, row + rows_span, col + cols_span))
            col += repeat
            el.clear()
    return merged


# ---------------------------------------------------------------- CSV

def decode_text(data: bytes) -> str:
    """UTF-8 (BOM or not), UTF-16 with BOM, otherwise cp1251 (Excel's «CSV» in Russian Windows)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace")


def sniff_delimiter(text: str) -> str:
    """The delimiter among «;», «,», tab that the first lines are written with.

    «;» or tab wins when it splits at least half of the lines: neither turns up in
    ordinary text, while commas do (addresses «141100, г. Щёлково, …», decimal
    «36,5»), and Excel in a Russian Windows writes «;». Otherwise the delimiter that
    splits the lines most consistently (the same width most often), then the wider."""
    lines = [line for line in text.splitlines() if line.strip()][:50]
    widths_by = {d: [len(r) for r in csv.reader(lines, delimiter=d)] for d in CSV_DELIMITERS}
    for delimiter in (";", "\t"):
        if sum(1 for w in widths_by[delimiter] if w > 1) * 2 >= len(lines) > 0:
            return delimiter
    best, best_score = ";", (0, 0)
    for delimiter, counts in widths_by.items():
        widths = Counter(c for c in counts if c > 1)
        if not widths:
            continue
        width, frequency = max(widths.items(), key=lambda kv: (kv[1], kv[0]))
        if (frequency, width) > best_score:
            best, best_score = delimiter, (frequency, width)
    return best


def _read_csv(p: Path) -> SheetData:
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise _unreadable(p, f"нет доступа к файлу ({describe_os_error(exc, with_path=False)})") from None
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _unreadable(p, "это не текстовый файл CSV (возможно, книга Excel с расширением .csv)")
    text = decode_text(data)
    delimiter = "\t" if p.suffix.lower() == ".tsv" else sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # Rows are numbered as Excel numbers them when it opens the file: one per
    # record, so a quoted value with a line break does not shift the numbers.
    try:
        rows, width = _rows_from(reader)
    except csv.Error as exc:
        raise _unreadable(p, f"ошибка в строке {reader.line_num}: {exc}") from None
    return SheetData(p, p.stem, [p.stem], rows, width, [])
