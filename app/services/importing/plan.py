"""Spreadsheet import, step one: the ImportPlan — the sheet, its header row and the column mapping.

The kinds and their targets are in targets.py, header matching in headers.py.

See app.services.importing.spreadsheet_import for the whole picture.
"""
from __future__ import annotations

import os
from pathlib import Path
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable

from app.domain import names
from app.domain.validators import format_date
from app.services.common.errors import ServiceError
from app.services.importing.reader import SheetData, SheetRow, column_letter, read_table
from app.services.importing.headers import guess_mapping, header_score
from app.services.importing.targets import (DIAGNOSTICS, EVENTS, FIO, ORGANIZATIONS, PROGRAMMES, SCORE_PREFIX,
                                            TEACHERS, header_key, target_label, targets_of)

HEADER_SCAN_ROWS = 100
PREVIEW_ROWS = 20
PROGRESS_EVERY = 100

ProgressFn = Callable[[float, str], None]
CancelFn = Callable[[], bool]


# ---------------------------------------------------------------- the plan

@dataclass
class PreviewRow:
    number: int                     # sheet row
    cells: list[str]                # one per column, as the user reads it


@dataclass
class ImportPlan:
    """What detect() found; the GUI shows and edits it, run_import() carries it out."""

    path: str
    kind: str                       # TEACHERS or ORGANIZATIONS
    sheet: str
    sheets: list[str]
    header_row: int | None          # 1-based sheet row of the column names
    headers: dict[int, str]         # column (1-based) → header text
    mapping: dict[int, str | None]  # column → target (see targets(kind)) or None = skip the column
    preview: list[PreviewRow] = field(default_factory=list)
    first_data_row: int | None = None
    warnings: list[str] = field(default_factory=list)
    # Diagnostics only: used for rows without a date / an instrument of their own.
    default_date: date | None = None
    default_instrument: str | None = None
    # Events only: the plan year of rows without one of their own (else the year of the start date).
    default_year: int | None = None
    # Header text → the columns that carry it, when it names a field: the user must choose one.
    duplicated: dict[str, list[int]] = field(default_factory=dict)

    def column_label(self, column: int) -> str:
        """«C (СНИЛС)»: the column letter and its header."""
        header = self.headers.get(column, "")
        header = names.collapse_spaces(header)
        return f"{column_letter(column)} ({header})" if header else column_letter(column)

    def column_of(self, target: str) -> int | None:
        return next((c for c, t in sorted(self.mapping.items()) if t == target), None)

    def set_target(self, column: int, target: str | None) -> None:
        """Maps a column to a target (or None); a target is used by one column only."""
        if column not in self.headers:
            raise ServiceError(f"В таблице нет столбца {column_letter(column)}.")
        if target is not None:
            if target not in {t.name for t in targets_of(self.kind)}:
                raise ServiceError(f"Неизвестное поле «{target}».")
            for col, t in self.mapping.items():
                if t == target and col != column:
                    self.mapping[col] = None
        self.mapping[column] = target
        # A column chosen by hand settles the doubt about the header it shares.
        self.duplicated = {text: cols for text, cols in self.duplicated.items() if column not in cols}

    def problems(self) -> list[str]:
        """Why this plan cannot run (empty when it can)."""
        out = []
        mapped = {t for t in self.mapping.values() if t}
        seen: dict[str, int] = {}
        for col, t in sorted(self.mapping.items()):
            if t is None:
                continue
            if t in seen:
                out.append(f"Поле «{target_label(self.kind, t)}» назначено двум столбцам: "
                           f"{column_letter(seen[t])} и {column_letter(col)}.")
            seen[t] = col
        for text, cols in self.duplicated.items():
            letters = " и ".join(column_letter(c) for c in cols)
            out.append(f"Столбец «{text}» встречается несколько раз: {letters}. Оставьте в файле один такой "
                       "столбец или выберите нужный столбец вручную.")
        if self.header_row is None:
            out.append("Не найдена строка с названиями столбцов.")
        if self.kind == TEACHERS:
            if FIO not in mapped and not {"last_name", "first_name"} <= mapped:
                out.append("Не указан столбец с ФИО: нужен столбец «ФИО» или столбцы «Фамилия» и «Имя».")
        elif self.kind == ORGANIZATIONS:
            if not mapped & {"full_name", "short_name"}:
                out.append("Не указан столбец с наименованием организации.")
        elif self.kind == PROGRAMMES:
            if "title" not in mapped:
                out.append("Не указан столбец с наименованием программы.")
            if "hours" not in mapped:
                out.append("Не указан столбец с объёмом программы в часах.")
        elif self.kind == DIAGNOSTICS:
            if FIO not in mapped and not {"last_name", "first_name"} <= mapped and "snils" not in mapped:
                out.append("Не указан столбец с ФИО или СНИЛС педагога.")
            if not any(t.startswith(SCORE_PREFIX) for t in mapped):
                out.append("Не найдено ни одного столбца с баллами по компетенциям: названия столбцов должны "
                           "содержать названия компетенций (например, «Цифровые образовательные технологии»).")
            if "held_on" not in mapped and self.default_date is None:
                out.append("Не указан столбец «Дата диагностики» и не задана дата по умолчанию.")
            if "instrument" not in mapped and not (self.default_instrument or "").strip():
                out.append("Не указан столбец с инструментом диагностики и не задан инструмент по умолчанию.")
        elif self.kind == EVENTS:
            if "title" not in mapped:
                out.append("Не указан столбец с названием мероприятия.")
            if "starts_on" not in mapped:
                out.append("Не указан столбец с датой (началом) мероприятия.")
        return out


def detect(path: str | os.PathLike, kind: str, sheet: str | None = None,
           header_row: int | None = None, *, default_date: date | None = None,
           default_instrument: str | None = None) -> ImportPlan:
    """Reads the file and guesses the header row and the meaning of each column.

    ``default_date`` and ``default_instrument`` (diagnostics) serve rows that
    have no date or instrument of their own.
    """
    targets_of(kind)
    data = read_table(path, sheet, fits=lambda d: _find_header_row(d, kind) is not None)
    if not data.rows and len(data.sheets) <= 1:
        # The same words whatever the format: a 0-byte csv, an empty workbook, a blank sheet.
        raise ServiceError(f"Не удалось прочитать файл «{Path(path).name}»: файл пуст.")
    return _plan_from(data, kind, header_row, default_date, default_instrument)


def _plan_from(data: SheetData, kind: str, header_row: int | None, default_date: date | None = None,
               default_instrument: str | None = None) -> ImportPlan:
    warnings: list[str] = []
    if not data.rows:
        warnings.append(f"Лист «{data.sheet}» пуст.")
        return ImportPlan(str(data.path), kind, data.sheet, data.sheets, None, {}, {}, [], None, warnings,
                          default_date, default_instrument)
    if header_row is None:
        header_row = _find_header_row(data, kind)
        if header_row is None:
            header_row = data.rows[0].number
            others = [n for n in data.sheets if n != data.sheet]
            elsewhere = (" Другие листы файла: "
                         + ", ".join(f"«{n}»" for n in others) + "." if others else "")
            warnings.append(f"Не удалось найти строку с названиями столбцов на листе «{data.sheet}»; взята первая "
                            f"непустая строка ({header_row}). Укажите строку заголовка и столбцы вручную.{elsewhere}")
    header = data.row(header_row) or SheetRow(header_row, [])
    width = max(data.width, len(header.values))
    headers = {c: display_value(header.value(c)) for c in range(1, width + 1)}
    mapping = guess_mapping(kind, {c: header.value(c) for c in range(1, width + 1)})
    plan = ImportPlan(str(data.path), kind, data.sheet, data.sheets, header_row, headers, mapping,
                      warnings=warnings, default_date=default_date, default_instrument=default_instrument,
                      duplicated=_duplicated_headers(headers, mapping))
    rows = data_rows(data, plan)
    plan.first_data_row = rows[0].number if rows else None
    plan.preview = [PreviewRow(r.number, [display_value(r.value(c)) for c in range(1, width + 1)])
                    for r in rows[:PREVIEW_ROWS]]
    plan.warnings.extend(plan.problems())
    return plan


def _duplicated_headers(headers: dict[int, str], mapping: dict[int, str | None]) -> dict[str, list[int]]:
    """Headers that name a field and stand over more than one column («Фамилия» twice)."""
    by_key: dict[str, list[int]] = {}
    for col, text in sorted(headers.items()):
        key = header_key(text)
        if key:
            by_key.setdefault(key, []).append(col)
    return {names.collapse_spaces(headers[cols[0]]): cols for cols in by_key.values()
            if len(cols) > 1 and any(mapping.get(c) for c in cols)}


def _find_header_row(data: SheetData, kind: str) -> int | None:
    best, best_score = None, 1
    for row in data.rows[:HEADER_SCAN_ROWS]:
        score = header_score(kind, row)
        if score > best_score:
            best, best_score = row.number, score
    return best


def data_rows(data: SheetData, plan: ImportPlan) -> list[SheetRow]:
    """Rows below the header, past the header's merged cells and a row of column numbers."""
    start = plan.header_row or 0
    for m in data.merged:
        if m.first_row <= start <= m.last_row:
            start = max(start, m.last_row)
    rows = [r for r in data.rows if r.number > start]
    if rows and _is_numbering_row(rows[0]):
        rows = rows[1:]
    return rows


def _is_numbering_row(row: SheetRow) -> bool:
    """A row of column numbers «1 2 3 …» under the header, as printed forms have."""
    values = [v for v in row.values if v is not None]
    if len(values) < 2:
        return False
    numbers = []
    for v in values:
        if isinstance(v, int) and not isinstance(v, bool):
            numbers.append(v)
        elif isinstance(v, str) and v.strip().isdigit() and len(v.strip()) <= 3:
            numbers.append(int(v))
        else:
            return False
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def display_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)
