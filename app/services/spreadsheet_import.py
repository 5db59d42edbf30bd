"""Importing teachers and organisations from the spreadsheets offices really have.

Two steps, so that the GUI can show and correct what the program guessed:

1. ``detect(path, kind)`` reads the file, finds the header row among the
   title rows above it, maps each column to a field by its Russian name and
   returns an :class:`ImportPlan` (header row, mapping, sheet names, preview).
   The user may change the sheet (``detect(..., sheet=…)``), the header row
   (``detect(..., header_row=…)``) and any column's target
   (``plan.set_target``) and passes the plan on.
2. ``run_import(db, plan, ...)`` reads the rows below the header, validates
   every one through the same record services as the forms and writes all
   valid ones in ONE transaction: every rejected row is reported with its
   sheet row, column and reason; in all-or-nothing mode one rejected row
   leaves the database untouched, and so does Cancel.

Importing the same file again changes nothing: teachers are matched by СНИЛС,
then by ФИО and birth date; organisations by ИНН, then by name. A matched
record is updated only with the non-empty values of the file that differ.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import select

from app.domain import names
from app.domain.enums import OrganizationKind, QualificationCategory
from app.domain.validators import ValidationError, format_date, normalize_inn, normalize_snils, parse_date
from app.services.spreadsheet_reader import SheetData, SheetRow, column_letter, read_table
from app.services import audit
from app.services.actor import Actor
from app.services.entities import spec_for
from app.services.errors import FieldError, ServiceError, ValidationFailed
from app.services.fields import normalize
from app.services.records import Batch, RecordService
from app.storage.base import new_id
from app.storage.database import Database
from app.storage.models import Organization, Teacher

TEACHERS, ORGANIZATIONS = "teachers", "organizations"
KINDS = (TEACHERS, ORGANIZATIONS)

# Targets that are not plain entity fields.
FIO = "fio"                         # «Фамилия Имя Отчество» in one column
ORGANIZATION = "organization"       # the teacher's organisation: name or ИНН
ORGANIZATION_INN = "organization_inn"
CONSENT = "consent"                 # a date, or «да» / «нет»
INN_KPP = "inn_kpp"                 # «7701234567/770101001» in one column

HEADER_SCAN_ROWS = 30
PREVIEW_ROWS = 20
PROGRESS_EVERY = 100
CONSENT_GIVEN = "согласие получено (отметка в таблице импорта)"

ProgressFn = Callable[[float, str], None]
CancelFn = Callable[[], bool]


# ---------------------------------------------------------------- targets

@dataclass(frozen=True)
class Target:
    name: str
    label: str
    synonyms: tuple[str, ...]       # normalised header texts (see header_key)
    is_date: bool = False


def _t(name: str, label: str, *synonyms: str, is_date: bool = False) -> Target:
    return Target(name, label, tuple(synonyms), is_date)


TEACHER_TARGETS: tuple[Target, ...] = (
    _t(FIO, "ФИО (одной строкой)", "фио", "фиопедагога", "фамилияимяотчество", "фамилияимяотчествополностью",
       "фиополностью", "фиоработника", "фиосотрудника", "фиоучителя", "фиопедагогическогоработника",
       "фиоаттестуемого", "фиоучастника", "фиоспециалиста", "педагог", "работник", "сотрудник", "фамилияио"),
    _t("last_name", "Фамилия", "фамилия", "фамили"),
    _t("first_name", "Имя", "имя"),
    _t("middle_name", "Отчество", "отчество", "отчеств", "отчествоприналичии"),
    _t("birth_date", "Дата рождения", "датарождения", "деньрождения", "рождени", "др", is_date=True),
    _t("snils", "СНИЛС", "снилс", "страховойномер", "страховоесвидетельство", "номерснилс",
       "страховойномериндивидуальноголицевогосчета"),
    _t("email", "Электронная почта", "email", "емейл", "емайл", "эмейл", "электроннаяпочта", "элпочта",
       "адресэлектроннойпочты", "электронныйадрес", "mail", "почта", "еmail", "эпочта"),
    _t("phone", "Телефон", "телефон", "тел", "контактныйтелефон", "мобильныйтелефон", "номертелефона",
       "сотовыйтелефон", "телефонмобильный"),
    _t("position", "Должность", "должность", "должност", "занимаемаядолжность"),
    _t("subjects", "Предметы", "предмет", "предметы", "преподаваемыепредметы", "преподаваемыйпредмет",
       "дисциплина", "дисциплины", "преподаваемыедисциплины"),
    _t("qualification_category", "Квалификационная категория", "квалификационнаякатегория", "категория",
       "категори", "кк", "квкатегория", "квалификация"),
    _t("category_until", "Категория действует до", "категориядо", "категориядействуетдо",
       "срокдействиякатегории", "датаокончаниякатегории", "действиекатегориидо", "срокдействиякатегориидо",
       "категорияустановленадо", is_date=True),
    _t("career_start", "Начало педагогического стажа", "педагогическийстажс", "педстажс", "стажс",
       "началопедагогическогостажа", "датаначалапедагогическогостажа", "датаначалапедстажа",
       "началостажа", "стажработыс", is_date=True),
    _t("hired_on", "Дата приёма на работу", "датаприема", "датаприеманаработу", "принятнаработу",
       "датаприемавоо", "датаприемавучреждение", "принят", "работаетс", "вдолжностис", is_date=True),
    _t(CONSENT, "Согласие на обработку ПДн (дата или да/нет)", "согласиенаобработкупдн",
       "согласиенаобработкуперсональныхданных", "согласиепдн", "согласие", "согласиенаобработку",
       "датасогласия", "датасогласиянаобработкупдн"),
    _t("consent_basis", "Основание обработки ПДн", "основаниеобработкипдн", "основаниеобработкиперсональныхданных"),
    _t("last_pd_on", "Последнее повышение квалификации", "последнеепк", "датапоследнегопк",
       "последнееповышениеквалификации", "датапоследнегоповышенияквалификации", "пк",
       "курсыповышенияквалификации", "годпоследнихкурсов", is_date=True),
    _t("notes", "Примечание", "примечание", "примечания", "комментарий", "комментарии"),
    _t(ORGANIZATION, "Организация (название или ИНН)", "организация", "организаци", "оо", "оу", "ооо",
       "образовательнаяорганизация", "образовательноеучреждение", "местоработы", "местаработы",
       "учреждение", "школа", "наименованиеоо", "наименованиеоу", "наименованиеорганизации",
       "наименованиеобразовательнойорганизации", "наименованиеучреждения", "названиеоо",
       "названиеорганизации", "краткоенаименованиеоо", "сокращенноенаименованиеоо"),
    _t(ORGANIZATION_INN, "ИНН организации", "инноо", "инноу", "иннорганизации", "иннобразовательнойорганизации",
       "иннучреждения", "иннместаработы", "инншколы", "иннработодателя"),
)

ORGANIZATION_TARGETS: tuple[Target, ...] = (
    _t("full_name", "Полное наименование", "полноенаименование", "наименование", "названиеорганизации",
       "наименованиеорганизации", "наименованиеоо", "наименованиеоу", "полноенаименованиеорганизации",
       "полноенаименованиеоо", "полноенаименованиеучреждения", "наименованиеучреждения",
       "наименованиеобразовательнойорганизации", "организация", "оо", "оу", "образовательнаяорганизация",
       "образовательноеучреждение", "название", "учреждение", "полноеназвание", "полноенаименованиеюрлица"),
    _t("short_name", "Краткое наименование", "краткоенаименование", "сокращенноенаименование",
       "краткоеназвание", "сокращенноеназвание", "краткоенаименованиеоо", "сокращенноенаименованиеоо"),
    _t("kind", "Тип организации", "тип", "типорганизации", "видорганизации", "вид", "типоо", "типоу",
       "типучреждения", "видучреждения", "типобразовательнойорганизации", "уровеньобразования"),
    _t("inn", "ИНН", "инн", "инноо", "иннорганизации", "инноу"),
    _t("kpp", "КПП", "кпп"),
    _t(INN_KPP, "ИНН/КПП (в одном столбце)", "иннкпп"),
    _t("ogrn", "ОГРН", "огрн", "огрнюл"),
    _t("address", "Адрес", "адрес", "юридическийадрес", "фактическийадрес", "адресместонахождения",
       "почтовыйадрес", "местонахождение", "адресоо", "адресорганизации"),
    _t("phone", "Телефон", "телефон", "тел", "контактныйтелефон", "телефонприемной", "телефоноо",
       "номертелефона", "телефонфакс", "телефоны"),
    _t("email", "Электронная почта", "email", "емейл", "емайл", "эмейл", "электроннаяпочта", "элпочта",
       "адресэлектроннойпочты", "электронныйадрес", "mail", "почта", "эпочта"),
    _t("website", "Сайт", "сайт", "адрессайта", "официальныйсайт", "web", "www", "вебсайт", "сайторганизации"),
    _t("head_name", "Руководитель", "руководитель", "директор", "фиоруководителя", "заведующий",
       "руководительфио", "фиодиректора", "руководительоо", "фиоруководителяоо", "руководителя"),
    _t("joined_on", "Вступила в сеть", "датавступлениявсеть", "вступилавсеть", "всетис", "участниксетис",
       "датавключениявсеть", is_date=True),
    _t("left_on", "Вышла из сети", "вышлаизсети", "датавыходаизсети", "исключенаизсети", is_date=True),
)

TARGETS = {TEACHERS: TEACHER_TARGETS, ORGANIZATIONS: ORGANIZATION_TARGETS}
KIND_TITLES = {TEACHERS: "педагогов", ORGANIZATIONS: "организаций"}


def targets(kind: str) -> list[tuple[str, str]]:
    """(target, Russian label) pairs a mapping editor offers for this kind of import."""
    return [(t.name, t.label) for t in _targets(kind)]


def target_label(kind: str, name: str | None) -> str:
    if name is None:
        return "— не импортировать —"
    return next((t.label for t in _targets(kind) if t.name == name), name)


def _targets(kind: str) -> tuple[Target, ...]:
    try:
        return TARGETS[kind]
    except KeyError:
        raise ServiceError(f"Неизвестный вид импорта «{kind}»: ожидается teachers или organizations.") from None


def header_key(text: Any) -> str:
    """Header text for matching: lower case, ё → е, only letters and digits."""
    return "".join(ch for ch in str(text).casefold().replace("ё", "е") if ch.isalnum())


_NOT_A_DATE_HEADER = re.compile(r"^(дата|срок|год|число)")


def _match(target: Target, key: str) -> tuple[int, int] | None:
    """How well a normalised header names the target: (2 exact | 1 partial, length of the synonym)."""
    best = None
    for syn in target.synonyms:
        if key == syn:
            score = (2, len(syn))
        elif not target.is_date and _NOT_A_DATE_HEADER.match(key):
            continue
        elif len(syn) >= 5 and syn in key:
            score = (1, len(syn))
        elif 3 <= len(syn) <= 4 and key.startswith(syn) and len(key) <= len(syn) + 16:
            score = (1, len(syn))
        else:
            continue
        if best is None or score > best:
            best = score
    return best


def guess_mapping(kind: str, headers: dict[int, Any]) -> dict[int, str | None]:
    """{column: target} for one header row; each target goes to the column that names it best."""
    candidates = []
    for col, text in headers.items():
        if not isinstance(text, str):
            continue
        key = header_key(text)
        if not key:
            continue
        for target in _targets(kind):
            score = _match(target, key)
            if score is not None:
                candidates.append((score, -col, col, target.name))
    candidates.sort(reverse=True)
    mapping: dict[int, str | None] = {col: None for col in headers}
    used: set[str] = set()
    for _score, _neg, col, name in candidates:
        if name in used or mapping.get(col) is not None:
            continue
        mapping[col] = name
        used.add(name)
    return mapping


def _header_score(kind: str, row: SheetRow) -> int:
    mapping = guess_mapping(kind, dict(enumerate(row.values, start=1)))
    score = 0
    for col, name in mapping.items():
        if name is None:
            continue
        key = header_key(row.value(col))
        exact = any(key == s for t in _targets(kind) if t.name == name for s in t.synonyms)
        score += 2 if exact else 1
    return score


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
            if target not in {t.name for t in _targets(self.kind)}:
                raise ServiceError(f"Неизвестное поле «{target}».")
            for col, t in self.mapping.items():
                if t == target and col != column:
                    self.mapping[col] = None
        self.mapping[column] = target

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
        if self.header_row is None:
            out.append("Не найдена строка с названиями столбцов.")
        if self.kind == TEACHERS:
            if FIO not in mapped and not {"last_name", "first_name"} <= mapped:
                out.append("Не указан столбец с ФИО: нужен столбец «ФИО» или столбцы «Фамилия» и «Имя».")
        elif not mapped & {"full_name", "short_name"}:
            out.append("Не указан столбец с наименованием организации.")
        return out


def detect(path: str | os.PathLike, kind: str, sheet: str | None = None,
           header_row: int | None = None) -> ImportPlan:
    """Reads the file and guesses the header row and the meaning of each column."""
    _targets(kind)
    data = read_table(path, sheet)
    return _plan_from(data, kind, header_row)


def _plan_from(data: SheetData, kind: str, header_row: int | None) -> ImportPlan:
    warnings: list[str] = []
    if not data.rows:
        warnings.append(f"Лист «{data.sheet}» пуст.")
        return ImportPlan(str(data.path), kind, data.sheet, data.sheets, None, {}, {}, [], None, warnings)
    if header_row is None:
        header_row = _find_header_row(data, kind)
        if header_row is None:
            header_row = data.rows[0].number
            warnings.append("Не удалось найти строку с названиями столбцов; взята первая непустая строка "
                            f"({header_row}). Укажите строку заголовка и столбцы вручную.")
    header = data.row(header_row) or SheetRow(header_row, [])
    width = max(data.width, len(header.values))
    headers = {c: _display(header.value(c)) for c in range(1, width + 1)}
    mapping = guess_mapping(kind, {c: header.value(c) for c in range(1, width + 1)})
    plan = ImportPlan(str(data.path), kind, data.sheet, data.sheets, header_row, headers, mapping,
                      warnings=warnings)
    rows = _data_rows(data, plan)
    plan.first_data_row = rows[0].number if rows else None
    plan.preview = [PreviewRow(r.number, [_display(r.value(c)) for c in range(1, width + 1)])
                    for r in rows[:PREVIEW_ROWS]]
    plan.warnings.extend(plan.problems())
    return plan


def _find_header_row(data: SheetData, kind: str) -> int | None:
    best, best_score = None, 1
    for row in data.rows[:HEADER_SCAN_ROWS]:
        score = _header_score(kind, row)
        if score > best_score:
            best, best_score = row.number, score
    return best


def _data_rows(data: SheetData, plan: ImportPlan) -> list[SheetRow]:
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


def _display(value: Any) -> str:
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


# ---------------------------------------------------------------- the result

@dataclass(frozen=True)
class RejectedRow:
    sheet: str
    row_number: int
    column: str                     # «C (СНИЛС)», or "" when the problem is the whole row
    reason: str

    def __str__(self) -> str:
        where = f"Строка {self.row_number}" + (f", столбец {self.column}" if self.column else "")
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class SkippedRow:
    row_number: int
    reason: str


@dataclass
class ImportResult:
    kind: str
    path: str
    sheet: str
    all_or_nothing: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    created_organizations: list[str] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    rows_read: int = 0
    committed: bool = False
    cancelled: bool = False
    seconds: float = 0.0

    @property
    def rejected_rows(self) -> int:
        """How many sheet rows were rejected (a row may have several problems)."""
        return len({r.row_number for r in self.rejected})

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.created_organizations)

    def outcome(self) -> str:
        if self.cancelled:
            return "Импорт отменён: база данных не изменена."
        if self.committed:
            return "Изменения записаны в базу данных."
        if self.all_or_nothing and self.rejected:
            return "Режим «всё или ничего»: есть отклонённые строки, поэтому в базу ничего не записано."
        return "В базу ничего не записано: новых или изменённых данных нет."

    def summary_lines(self) -> list[str]:
        """The result in Russian, for the CLI, the dialog and the report.

        When nothing was committed the counts say what the import would have
        done, and the wording says so.
        """
        what = KIND_TITLES.get(self.kind, "")
        lines = [f"Импорт {what} из «{Path(self.path).name}», лист «{self.sheet}»."]
        if self.committed or not self.changed:
            lines.append(f"Создано: {self.created}; обновлено: {self.updated}; без изменений: {self.unchanged}; "
                         f"отклонено строк: {self.rejected_rows}.")
        else:
            lines.append(f"Не записано: было бы создано {self.created}, обновлено {self.updated}; "
                         f"без изменений: {self.unchanged}; отклонено строк: {self.rejected_rows}.")
        if self.created_organizations:
            verb = "Созданы организации" if self.committed else "Были бы созданы организации"
            lines.append(f"{verb} ({len(self.created_organizations)}): " + "; ".join(self.created_organizations))
        if self.skipped:
            numbers = [str(s.row_number) for s in self.skipped[:10]] + (["…"] if len(self.skipped) > 10 else [])
            lines.append(f"Пропущено строк: {len(self.skipped)} ({', '.join(numbers)}) — подзаголовки, повторы "
                         "заголовка, подписи под таблицей.")
        lines.append(self.outcome())
        return lines


class _Rollback(Exception):
    """Leaves the import's transaction without committing it."""


# ---------------------------------------------------------------- value conversion

_EXCEL_EPOCH = date(1899, 12, 30)
_DATE_SUFFIX = re.compile(r"\s*(г\.?|год[а]?)\s*$", re.IGNORECASE)
_TIME_SUFFIX = re.compile(r"^(\S+)[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_YES = frozenset({"да", "есть", "+", "имеется", "получено", "v", "✓", "✔", "1", "true", "истина"})
_NO = frozenset({"нет", "-", "—", "отсутствует", "0", "false", "ложь", "неполучено"})
_NAME_JUNK = re.compile(r"[\d.,;:!?()\"«»/\\№_@#]")


def _text(value: Any) -> str:
    if isinstance(value, date):
        return format_date(value)
    return _display(value)


def _date_value(value: Any) -> Any:
    """A date, or the text for the field normaliser to parse (and to refuse with a message)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 10_000 <= value <= 80_000:
        return _EXCEL_EPOCH + timedelta(days=int(value))        # an Excel date in a «General» cell
    text = _DATE_SUFFIX.sub("", _text(value)).strip()
    m = _TIME_SUFFIX.match(text)
    text = m.group(1) if m else text
    try:
        return parse_date(text)
    except ValidationError:
        return text             # the field normaliser refuses it with its message


def _digits_value(value: Any, length: int, shorter: tuple[int, ...]) -> str:
    """An identifier; a number that lost its leading zeros in Excel gets them back."""
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else _text(value)
    compact = re.sub(r"\s+", "", text)
    if compact.isdigit() and (len(compact) in shorter or (isinstance(value, int) and len(compact) < length)):
        return compact.zfill(length)
    return text


def _snils_value(value: Any) -> str:
    return _digits_value(value, 11, (9, 10))


def _inn_value(value: Any) -> str:
    text = _digits_value(value, 10, (9,))
    compact = re.sub(r"\s+", "", text)
    return compact.zfill(12) if compact.isdigit() and len(compact) == 11 else text


_CATEGORY_SYNONYMS = {
    QualificationCategory.HIGHEST: ("высшая", "высшаякатегория", "вкк", "высш", "в", "высшаякк"),
    QualificationCategory.FIRST: ("первая", "перваякатегория", "1", "1кк", "1категория", "i", "перв", "перваякк",
                                  "iкатегория"),
    QualificationCategory.CONFORMITY: ("сзд", "соответствие", "соответствиезанимаемойдолжности",
                                       "соответствиедолжности", "сзанимаемойдолжности", "соотв"),
    QualificationCategory.NONE: ("бк", "безкатегории", "нет", "неимеет", "отсутствует", "без"),
    QualificationCategory.METHODIST: ("педагогметодист", "методист"),
    QualificationCategory.MENTOR: ("педагогнаставник", "наставник"),
}
_CATEGORY_BY_KEY = {k: m.value for m, keys in _CATEGORY_SYNONYMS.items() for k in keys}


def _category_value(value: Any) -> str:
    text = _text(value)
    return _CATEGORY_BY_KEY.get(header_key(text), text)


_KIND_SYNONYMS = {
    OrganizationKind.SCHOOL: ("школа", "сош", "оош", "нош", "лицей", "гимназия", "оо", "оу", "общеобразовательная",
                              "общеобразовательнаяорганизация", "общееобразование"),
    OrganizationKind.KINDERGARTEN: ("доу", "детскийсад", "дошкольная", "дошкольноеобразование",
                                    "дошкольнаяобразовательнаяорганизация"),
    OrganizationKind.ADDITIONAL: ("удо", "додо", "дополнительноеобразование", "оддо", "ддт", "цдт",
                                  "организациядополнительногообразования"),
    OrganizationKind.COLLEGE: ("спо", "колледж", "техникум", "поо", "профессиональнаяобразовательнаяорганизация"),
    OrganizationKind.UNIVERSITY: ("вуз", "университет", "высшееобразование"),
    OrganizationKind.DPO: ("дпо", "ипк", "иро"),
    OrganizationKind.METHODICAL: ("имц", "умц", "ммс", "методическаяслужба", "методическийцентр"),
}
_KIND_BY_KEY = {k: m.value for m, keys in _KIND_SYNONYMS.items() for k in keys if k}

_KIND_PATTERNS: tuple[tuple[OrganizationKind, re.Pattern], ...] = tuple(
    (kind, re.compile(pattern)) for kind, pattern in (
        (OrganizationKind.ADDITIONAL,
         r"\bдо\b|\b\w*удо\b|\bддт\b|\bцдт\b|\bцдо\b|\bдши\b|\bдхш\b|\bдмш\b|\bдюсш\b|\bсдюсшор\b|\bсюн\b|\bсют\b"
         r"|дополнительного образования|дом детского творчества|центр детского творчества|школа искусств"
         r"|музыкальная школа|художественная школа|спортивная школа|дворец (детского|творчества)"),
        (OrganizationKind.SCHOOL,
         r"\bсош\b|\bоош\b|\bнош\b|\bсш\b|(?<!до)школ|лице[йя]|гимнази|общеобразовательн|кадетск"),
        (OrganizationKind.KINDERGARTEN, r"детск\w* сад|\b\w*доу\b|\bд/с\b|дошкольн|\bясли"),
        (OrganizationKind.COLLEGE, r"колледж|техникум|училищ|\b\w*поу\b|\bспо\b"),
        (OrganizationKind.DPO, r"\bдпо\b|повышения квалификации|развития образования|\bиро\b|\bипк\b"),
        (OrganizationKind.UNIVERSITY, r"университет|\bвуз\b|институт|академи"),
        (OrganizationKind.METHODICAL, r"методическ|\bимц\b|\bумц\b|\bрмц\b"),
    ))


def guess_kind(name: str) -> str:
    """The organisation kind a name suggests («МБДОУ …» → kindergarten); a school when unsure."""
    kind = _guess_kind(name)
    return (kind or OrganizationKind.SCHOOL).value


def _guess_kind(name: str) -> OrganizationKind | None:
    text = names.search_key(re.sub(r"[«»\"“”„']", " ", name or ""))
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(text):
            return kind
    return None


def _kind_value(value: Any) -> str:
    text = _text(value)
    try:
        return OrganizationKind.from_label(text).value
    except ValueError:
        pass
    key = header_key(text)
    if key in _KIND_BY_KEY:
        return _KIND_BY_KEY[key]
    guessed = _guess_kind(text)
    return guessed.value if guessed else text


def org_key(name: str | None) -> str:
    """Organisation name for matching: case, ё, quotes, spaces, «№» and punctuation ignored."""
    return "".join(ch for ch in names.search_key(name or "") if ch.isalnum())


def _check_name_part(label: str, accusative: str, value: str) -> str | None:
    if _NAME_JUNK.search(value):
        if "." in value and len(value.replace(".", "").replace("-", "").strip()) <= 3:
            return f"«{value}»: укажите {accusative} полностью, а не инициалы"
        return f"«{value}»: недопустимые символы в поле «{label}»"
    return None


# ---------------------------------------------------------------- footer and odd rows

_FOOTER_WORDS = re.compile(
    r"(?<![а-яa-z])(директора?|и\.\s?о\.|заведующ(ий|ая|его|ей)|руководител(ь|я)|подпись|подписи|подписал[аи]?"
    r"|м\.\s?п\.?|мп|исполнитель|исполнил[аи]?|итого|всего|ответственн(ый|ая|ое|ые|ого|ой)|составил[аи]?"
    r"|начальник|председатель|специалист|согласовано|утверждаю|дата составления)(?![а-яa-z])")
_UNDERSCORES = re.compile(r"_{3,}")
# Columns whose values may legitimately contain «директор», «руководитель» …
_FOOTER_NEUTRAL = {"position", "subjects", ORGANIZATION, "head_name", "notes", "full_name", "short_name",
                   "kind", "address"}


def _non_empty(row: SheetRow) -> list[tuple[int, Any]]:
    return [(c, v) for c, v in enumerate(row.values, start=1) if v is not None]


def _is_footer(row: SheetRow, plan: ImportPlan) -> bool:
    cells = _non_empty(row)
    if not cells or len(cells) > 3:
        return False
    for col, value in cells:
        text = str(value).casefold().replace("ё", "е") if isinstance(value, str) else ""
        if _UNDERSCORES.search(text):
            return True
        if plan.mapping.get(col) in _FOOTER_NEUTRAL:
            continue
        if _FOOTER_WORDS.search(text):
            return True
    return False


def _is_repeated_header(row: SheetRow, plan: ImportPlan) -> bool:
    same = 0
    for col, header in plan.headers.items():
        value = row.value(col)
        if header and isinstance(value, str) and header_key(value) == header_key(header):
            same += 1
    return same >= 2


_ORG_CAPTION = re.compile(
    r"№|[«»\"]|(?<![а-яa-z])([мг][бак]?[дш]?оу|мб?[ак]?у|мк?[ау]?удо|сош|оош|нош|лицей|гимназия|детский сад|школа)"
    r"(?![а-яa-z])")


def _is_caption(row: SheetRow, data: SheetData, kind: str) -> bool:
    """A single text cell that is a section title: merged across columns, or an organisation in a teacher list."""
    cells = _non_empty(row)
    if len(cells) != 1 or not isinstance(cells[0][1], str):
        return False
    col = cells[0][0]
    if any(m.first_row == row.number and m.first_column == col and m.last_column > col for m in data.merged):
        return True
    text = cells[0][1]
    return kind == TEACHERS and _guess_kind(text) is not None and bool(_ORG_CAPTION.search(text.casefold()))


# ---------------------------------------------------------------- the import

@dataclass
class _Row:
    """One data row on its way in: the values by target and what went wrong."""

    number: int
    raw: dict[str, Any]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str | None, str]] = field(default_factory=list)      # (target or field, reason)

    def has_error(self, *keys: str) -> bool:
        return any(e[0] in keys for e in self.errors)


@dataclass
class _NewOrg:
    """An organisation a row names that is not in the database; created with its first valid row."""

    name: str
    inn: str | None
    id: str | None = None


@dataclass
class _Known:
    """A record in the database (or created by this import) as plain stored values."""

    id: str
    values: dict[str, Any]


# Entity fields reported under the column of a special target.
_FIELD_COLUMNS = {
    "last_name": (FIO,), "first_name": (FIO,), "middle_name": (FIO,),
    "organization_id": (ORGANIZATION, ORGANIZATION_INN),
    "consent_on": (CONSENT,), "consent_basis": (CONSENT,),
    "inn": (INN_KPP,), "kpp": (INN_KPP,),
    "full_name": ("short_name",),
}


class _Importer:
    # The session is flushed and emptied every so many rows: SQLAlchemy's
    # bulk UPDATE of the change counter scans the identity map, so a map that
    # grows with every row would make the import quadratic.
    SESSION_CHUNK = 200

    def __init__(self, db: Database, plan: ImportPlan, actor: Actor | None, all_or_nothing: bool,
                 progress: ProgressFn | None, is_cancelled: CancelFn | None):
        self.db = db
        self.plan = plan
        self.service = RecordService(db, actor)
        self.all_or_nothing = all_or_nothing
        self.progress = progress or (lambda fraction, message: None)
        self.is_cancelled = is_cancelled or (lambda: False)
        self.result = ImportResult(plan.kind, plan.path, plan.sheet, all_or_nothing)
        self.columns = {t: c for c, t in plan.mapping.items() if t}
        self.spec = spec_for(plan.kind)
        self.field_names = [f.name for f in self.spec.fields]
        self.batch: Batch | None = None
        self.touched: dict[str, int] = {}          # record id → the row that matched or created it

    # -- reporting ------------------------------------------------------
    def column_for(self, target: str | None) -> str:
        if target is None:
            return ""
        col = self.columns.get(target)
        if col is None:
            for alias in _FIELD_COLUMNS.get(target, ()):
                col = self.columns.get(alias)
                if col is not None:
                    break
        return self.plan.column_label(col) if col is not None else ""

    def reject(self, row: _Row) -> None:
        seen = set()
        for target, reason in row.errors:
            column = self.column_for(target)
            if not column and target and self.spec.has_field(target):
                reason = f"«{self.spec.field(target).label}»: {reason}"
            if (column, reason) in seen:
                continue
            seen.add((column, reason))
            self.result.rejected.append(RejectedRow(self.plan.sheet, row.number, column, reason))

    @staticmethod
    def field_errors(row: _Row, exc: ValidationFailed) -> None:
        for e in exc.errors:
            if not row.has_error(e.field):
                row.errors.append((e.field, e.message))

    # -- the run --------------------------------------------------------
    def run(self) -> ImportResult:
        problems = self.plan.problems()
        if problems:
            raise ServiceError("Импорт невозможен: " + " ".join(problems))
        started = datetime.now()
        self.progress(0.0, f"Чтение файла «{Path(self.plan.path).name}»…")
        data = read_table(self.plan.path, self.plan.sheet)
        rows = _data_rows(data, self.plan)
        total = max(len(rows), 1)
        try:
            with self.service.batch() as batch:
                self.batch = batch
                self.preload(batch.session)
                for i, sheet_row in enumerate(rows):
                    if self.is_cancelled():
                        self.result.cancelled = True
                        raise _Rollback
                    if i % PROGRESS_EVERY == 0:
                        self.progress(i / total, f"Строка {sheet_row.number} ({i} из {len(rows)})")
                    if i and i % self.SESSION_CHUNK == 0:
                        batch.session.flush()
                        batch.session.expunge_all()
                        self.hold_organizations(batch.session)
                    if self.classify(sheet_row, data) == "stop":
                        break
                if self.is_cancelled():
                    self.result.cancelled = True
                    raise _Rollback
                if self.all_or_nothing and self.result.rejected:
                    raise _Rollback
                if not self.result.changed:
                    raise _Rollback
                self.progress(1.0, "Запись в базу данных…")
        except _Rollback:
            self.result.committed = False
        else:
            self.result.committed = True
        finally:
            self.batch = None
        self.result.seconds = (datetime.now() - started).total_seconds()
        self.progress(1.0, "Готово")
        return self.result

    def classify(self, sheet_row: SheetRow, data: SheetData) -> str | None:
        if sheet_row.is_blank():
            return None
        if _is_footer(sheet_row, self.plan):
            self.result.skipped.append(SkippedRow(sheet_row.number, "подпись или итоговая строка под таблицей; "
                                                                    "строки ниже не импортируются"))
            return "stop"
        if _is_repeated_header(sheet_row, self.plan):
            self.result.skipped.append(SkippedRow(sheet_row.number, "повтор строки заголовка"))
            return None
        if _is_caption(sheet_row, data, self.plan.kind):
            self.result.skipped.append(SkippedRow(sheet_row.number, "подзаголовок внутри таблицы"))
            return None
        raw = {t: sheet_row.value(c) for t, c in self.columns.items()}
        if all(v is None for v in raw.values()):
            self.result.skipped.append(SkippedRow(sheet_row.number, "нет значений в импортируемых столбцах"))
            return None
        row = _Row(sheet_row.number, raw)
        if not self.has_name(row) and len(_non_empty(sheet_row)) <= 2:
            self.result.skipped.append(SkippedRow(sheet_row.number, "нет ФИО или наименования"))
            return None
        self.result.rows_read += 1
        self.import_row(row)
        return None

    # -- subclass hooks -------------------------------------------------
    def preload(self, s) -> None:
        raise NotImplementedError

    def has_name(self, row: _Row) -> bool:
        raise NotImplementedError

    def import_row(self, row: _Row) -> None:
        raise NotImplementedError

    # -- shared steps ---------------------------------------------------
    def load_known(self, s, model) -> list[_Known]:
        cols = [getattr(model, n) for n in self.field_names_of(model)]
        stmt = select(model.id, *cols).where(model.deleted_at.is_(None))
        return [_Known(r[0], dict(zip(self.field_names_of(model), r[1:]))) for r in s.execute(stmt)]

    @staticmethod
    def field_names_of(model) -> list[str]:
        entity = ORGANIZATIONS if model is Organization else TEACHERS
        return [f.name for f in spec_for(entity).fields]

    def normalized(self, values: dict[str, Any]) -> dict[str, Any]:
        """The stored form of the row's values, as the forms normalise them; ValidationFailed if any is wrong."""
        clean, errors = {}, []
        for k, v in values.items():
            f = self.spec.field(k)
            try:
                clean[k] = normalize(f, v)
            except ValidationError as exc:
                errors.append(FieldError(k, f.label, str(exc)))
        if errors:
            raise ValidationFailed(errors)
        return clean

    def more_errors(self, row: _Row, creating: bool) -> None:
        """Adds the field problems of a row rejected for another reason, so one pass shows them all."""
        for k, v in row.values.items():
            if row.has_error(k, *(_FIELD_COLUMNS.get(k, ()))):
                continue
            f = self.spec.field(k)
            try:
                normalize(f, v)
            except ValidationError as exc:
                row.errors.append((k, str(exc)))
        if creating:
            for f in self.spec.fields:
                if f.required and f.name not in row.values and f.name != "kind" \
                        and not row.has_error(f.name, *(_FIELD_COLUMNS.get(f.name, ()))):
                    row.errors.append((f.name, "обязательное поле не заполнено"))

    def changes_for(self, known: _Known, clean: dict[str, Any]) -> dict[str, Any]:
        """The non-empty values of the file that differ from the stored ones."""
        return {k: v for k, v in clean.items() if v not in (None, "") and known.values.get(k) != v}

    # -- organisations, shared by both kinds ------------------------------
    def hold_organizations(self, s) -> None:
        """Keeps the organisations in the session, so that reference checks need no query per row."""
        self._held = list(s.scalars(select(Organization).where(Organization.deleted_at.is_(None))))

    def preload_organizations(self, s) -> None:
        self.hold_organizations(s)
        self.orgs: dict[str, _Known] = {}
        self.orgs_by_inn: dict[str, str] = {}
        self.orgs_by_name: dict[str, list[str]] = {}
        for known in self.load_known(s, Organization):
            self.remember_org(known)

    def remember_org(self, known: _Known) -> None:
        old = self.orgs.get(known.id)
        if old is not None:
            for ids in self.orgs_by_name.values():
                if known.id in ids:
                    ids.remove(known.id)
            if old.values.get("inn") and self.orgs_by_inn.get(old.values["inn"]) == known.id:
                del self.orgs_by_inn[old.values["inn"]]
        self.orgs[known.id] = known
        inn = known.values.get("inn")
        if inn:
            self.orgs_by_inn.setdefault(inn, known.id)
        for key in {org_key(known.values.get("full_name")), org_key(known.values.get("short_name"))}:
            if key:
                ids = self.orgs_by_name.setdefault(key, [])
                if known.id not in ids:
                    ids.append(known.id)

    def org_display(self, org_id: str) -> str:
        v = self.orgs[org_id].values
        return v.get("short_name") or v.get("full_name") or ""

    def known_from(self, record: dict[str, Any]) -> _Known:
        return _Known(record["id"], {n: record.get(n) for n in self.field_names})

    def validated(self, entity: str, values: dict[str, Any]) -> dict[str, Any]:
        """Batch.validate for a new record, without flushing the rows added so far."""
        with self.batch.session.no_autoflush:
            return self.batch.validate(entity, values)

    def insert(self, entity: str, clean: dict[str, Any]) -> _Known:
        """Adds a validated new record and its audit entry; written with the next flush.

        Batch.create would flush and read every row back (about 2 ms a row);
        adding them and flushing every SESSION_CHUNK rows writes 5,000 rows
        in a fraction of that. The session's flush hook stamps origin, change
        sequence, timestamps and search key exactly as for Batch.create.
        """
        spec = spec_for(entity)
        record_id = new_id()
        self.batch.session.add(spec.model(id=record_id, **clean))
        if entity == TEACHERS:
            summary = names.format_fio(clean.get("last_name"), clean.get("first_name"), clean.get("middle_name"))
        else:
            summary = clean.get("short_name") or clean.get("full_name") or ""
        audit.write(self.batch.session, self.service.actor, "create", entity, record_id, None, clean, summary)
        return _Known(record_id, {n: clean.get(n) for n in (f.name for f in spec.fields)})


class _TeacherImporter(_Importer):
    DATE_FIELDS = ("birth_date", "category_until", "career_start", "hired_on", "last_pd_on")
    TEXT_FIELDS = ("last_name", "first_name", "middle_name", "email", "phone", "position", "subjects",
                   "consent_basis", "notes")

    def preload(self, s) -> None:
        self.preload_organizations(s)
        self.new_orgs: dict[str, _NewOrg] = {}
        self.by_snils: dict[str, _Known] = {}
        self.by_fio: dict[str, list[_Known]] = {}
        self.seen_snils: dict[str, int] = {}
        self.seen_person: dict[tuple[str, date | None], tuple[int, str | None]] = {}
        for known in self.load_known(s, Teacher):
            self.remember_teacher(known)

    def remember_teacher(self, known: _Known) -> None:
        v = known.values
        if v.get("snils"):
            self.by_snils[v["snils"]] = known
        bucket = self.by_fio.setdefault(names.search_key(v["last_name"], v["first_name"], v["middle_name"]), [])
        if known not in bucket:
            bucket.append(known)

    def has_name(self, row: _Row) -> bool:
        return any(row.raw.get(t) is not None for t in (FIO, "last_name", "first_name"))

    def name_column(self) -> str:
        return "last_name" if "last_name" in self.columns else FIO

    # -- one row ----------------------------------------------------------
    def import_row(self, row: _Row) -> None:
        self.convert(row)
        if row.values.get("last_name") and not row.has_error(FIO, "last_name", "first_name", "middle_name"):
            self.check_duplicates(row)
        org_ref = self.resolve_organization(row)
        known = self.match(row) if not row.errors else None
        if row.errors:
            self.more_errors(row, creating=known is None)
            self.reject(row)
            return
        try:
            if known is None:
                self.create(row, org_ref)
            else:
                self.update(row, known, org_ref)
        except ValidationFailed as exc:
            self.field_errors(row, exc)
            self.reject(row)

    def convert(self, row: _Row) -> None:
        raw, values = row.raw, row.values
        for name in self.TEXT_FIELDS:
            if raw.get(name) is not None:
                values[name] = _text(raw[name])
        if raw.get("snils") is not None:
            values["snils"] = _snils_value(raw["snils"])
        for name in self.DATE_FIELDS:
            if raw.get(name) is not None:
                values[name] = _date_value(raw[name])
        if raw.get("qualification_category") is not None:
            values["qualification_category"] = _category_value(raw["qualification_category"])
        if raw.get(CONSENT) is not None:
            self.convert_consent(raw[CONSENT], values)
        split_from = None
        if raw.get(FIO) is not None and not values.get("last_name"):
            split_from = names.collapse_spaces(_text(raw[FIO]))
            try:
                last, first, middle = names.split_fio(split_from)
            except ValidationError as exc:
                row.errors.append((FIO, str(exc)))
            else:
                values["last_name"], values["first_name"] = last, first
                if middle:
                    values["middle_name"] = middle
        if not values.get("last_name") and not row.has_error(FIO):
            row.errors.append(("last_name", "не указана фамилия"))
        self.check_name(row, split_from)

    def check_name(self, row: _Row, split_from: str | None) -> None:
        """Names are letters, spaces, hyphens and apostrophes: no initials, numbers or notes."""
        values = row.values
        if split_from is not None:
            parts = [values.get(n, "") for n in ("last_name", "first_name", "middle_name")]
            if any(_NAME_JUNK.search(p) for p in parts if p):
                given = [p for p in parts[1:] if p]
                if given and all(len(re.sub(r"[.\-\s]", "", p)) <= 2 for p in given) and "." in "".join(given):
                    problem = f"«{split_from}»: укажите имя и отчество полностью, а не инициалы"
                else:
                    problem = f"«{split_from}»: в ФИО допустимы только буквы, пробелы, дефисы и апострофы"
                row.errors.append((FIO, problem))
            return
        for name, label, accusative in (("last_name", "Фамилия", "фамилию"), ("first_name", "Имя", "имя"),
                                        ("middle_name", "Отчество", "отчество")):
            text = values.get(name)
            if text:
                problem = _check_name_part(label, accusative, text)
                if problem:
                    row.errors.append((name, problem))

    @staticmethod
    def convert_consent(value: Any, values: dict[str, Any]) -> None:
        if isinstance(value, (date, datetime)) or (isinstance(value, (int, float)) and not isinstance(value, bool)
                                                   and 10_000 <= value <= 80_000):
            values["consent_on"] = _date_value(value)
            return
        if isinstance(value, bool):
            if value:
                values["consent_basis"] = CONSENT_GIVEN
            return
        key = _text(value).strip().casefold()
        if key in _YES:
            values["consent_basis"] = CONSENT_GIVEN
        elif key not in _NO:
            values["consent_on"] = _date_value(value)

    @staticmethod
    def person_key(values: dict[str, Any]) -> str:
        parts = [names.normalize_name_part(values.get(n, "")) for n in ("last_name", "first_name", "middle_name")]
        return names.search_key(*parts)

    @staticmethod
    def birth(values: dict[str, Any]) -> date | None:
        b = values.get("birth_date")
        return b if isinstance(b, date) else None

    @staticmethod
    def canonical_snils(values: dict[str, Any]) -> str | None:
        if not values.get("snils"):
            return None
        try:
            return normalize_snils(values["snils"])
        except ValidationError:
            return None

    def check_duplicates(self, row: _Row) -> None:
        """The second row of the same person in the file is refused, naming the first."""
        snils = self.canonical_snils(row.values)
        person = (self.person_key(row.values), self.birth(row.values))
        first = self.seen_person.get(person)
        if snils and snils in self.seen_snils:
            row.errors.append(("snils", f"СНИЛС {snils} уже встречался в строке {self.seen_snils[snils]}; "
                                        "повторная строка не импортируется"))
        elif first is not None and not (snils and first[1] and snils != first[1]):
            # Same name and birth date with two different СНИЛС are two people.
            what = "те же ФИО и дата рождения" if person[1] else "те же ФИО"
            row.errors.append((self.name_column(), f"{what}, что в строке {first[0]}; "
                                                   "повторная строка не импортируется"))
        if snils:
            self.seen_snils.setdefault(snils, row.number)
        self.seen_person.setdefault(person, (row.number, snils))

    def match(self, row: _Row) -> _Known | None:
        """The teacher in the database: by СНИЛС, then by ФИО and birth date."""
        snils = self.canonical_snils(row.values)
        found = self.by_snils.get(snils) if snils else None
        if found is not None:
            problem = self.someone_else(found, row.values, snils)
            if problem:
                row.errors.append(("snils", problem))
                return None
        else:
            found = self.match_by_name(row, snils)
        if found is not None and found.id in self.touched:
            row.errors.append((self.name_column(), f"тот же педагог, что в строке {self.touched[found.id]}; "
                                                   "повторная строка не импортируется"))
            return None
        if found is not None:
            self.touched[found.id] = row.number
        return found

    @staticmethod
    def someone_else(known: _Known, values: dict[str, Any], snils: str) -> str | None:
        """Why the teacher stored with this СНИЛС is not the person of the row (None if they may be).

        A new surname is allowed (marriage); another first name, patronymic or
        birth date means the СНИЛС was taken from someone else's line.
        """
        v = known.values
        birth, stored_birth = values.get("birth_date"), v.get("birth_date")
        given = [names.search_key(names.normalize_name_part(values.get(n) or ""))
                 for n in ("first_name", "middle_name")]
        stored = [names.search_key(v.get(n) or "") for n in ("first_name", "middle_name")]
        differs = (isinstance(birth, date) and stored_birth is not None and birth != stored_birth) \
            or given[0] != stored[0] or (given[1] and stored[1] and given[1] != stored[1])
        if not differs:
            return None
        who = names.format_fio(v.get("last_name"), v.get("first_name"), v.get("middle_name"))
        born = f", дата рождения {format_date(stored_birth)}" if stored_birth else ""
        return f"СНИЛС {snils} в базе принадлежит другому педагогу: {who}{born}"

    def match_by_name(self, row: _Row, snils: str | None) -> _Known | None:
        candidates = self.by_fio.get(self.person_key(row.values), [])
        if snils:
            # A stored СНИЛС that differs means another person.
            candidates = [t for t in candidates if not t.values.get("snils")]
        if not candidates:
            return None
        birth = self.birth(row.values)
        exact = [t for t in candidates if t.values.get("birth_date") == birth]
        # A record or a row without a birth date may still be the same person.
        loose = [t for t in candidates if t not in exact and (birth is None or t.values.get("birth_date") is None)]
        for group in (exact, loose):
            if len(group) == 1:
                return group[0]
            if len(group) > 1:
                v = group[0].values
                who = names.format_fio(v["last_name"], v["first_name"], v["middle_name"])
                same_birth = " с этой датой рождения" if birth and group is exact else ""
                hint = "" if birth else "; укажите дату рождения или СНИЛС"
                row.errors.append((self.name_column(), f"в базе несколько педагогов «{who}»{same_birth}{hint}"))
                return None
        return None

    def resolve_organization(self, row: _Row):
        """The row's organisation: an id, a _NewOrg to create, or None; problems go to row.errors."""
        name_value = row.raw.get(ORGANIZATION)
        inn_value = row.raw.get(ORGANIZATION_INN)
        name = names.collapse_spaces(_text(name_value)) if name_value is not None else ""
        inn, inn_target = None, ORGANIZATION_INN
        if inn_value is not None:
            try:
                inn = normalize_inn(_inn_value(inn_value))
            except ValidationError as exc:
                row.errors.append((ORGANIZATION_INN, str(exc)))
                return None
        compact = re.sub(r"\s+", "", name)
        if compact.isdigit() and len(compact) in (9, 10, 11, 12):
            # The organisation column holds an ИНН.
            try:
                inn_in_name = normalize_inn(_inn_value(name_value))
            except ValidationError as exc:
                row.errors.append((ORGANIZATION, str(exc)))
                return None
            if inn and inn != inn_in_name:
                row.errors.append((ORGANIZATION, f"ИНН {inn_in_name} не совпадает с ИНН организации {inn}"))
                return None
            inn, name, inn_target = inn_in_name, "", ORGANIZATION
        if not name and not inn:
            return None
        if inn and inn in self.orgs_by_inn:
            return self.orgs_by_inn[inn]
        if name:
            ids = self.orgs_by_name.get(org_key(name), [])
            if len(ids) == 1:
                known_inn = self.orgs[ids[0]].values.get("inn")
                if inn and known_inn and known_inn != inn:
                    row.errors.append((ORGANIZATION_INN, (
                        f"в базе организация «{self.org_display(ids[0])}» имеет ИНН {known_inn}, "
                        f"а в строке указан {inn}")))
                    return None
                return ids[0]
            if len(ids) > 1:
                row.errors.append((ORGANIZATION, f"в базе несколько организаций «{name}»; укажите ИНН"))
                return None
        if not name:
            row.errors.append((inn_target, (f"организация с ИНН {inn} не найдена в базе; "
                                            "укажите её наименование, чтобы создать её")))
            return None
        pending = self.new_orgs.get(inn or "") or self.new_orgs.get(org_key(name))
        if pending is None:
            pending = _NewOrg(name, inn)
            if inn:
                self.new_orgs[inn] = pending
            self.new_orgs[org_key(name)] = pending
        return pending

    def organization_id(self, org_ref) -> str | None:
        """The id of the row's organisation, creating it now if it is new."""
        if not isinstance(org_ref, _NewOrg):
            return org_ref
        if org_ref.id is None:
            values = {"full_name": org_ref.name, "kind": guess_kind(org_ref.name)}
            if org_ref.inn:
                values["inn"] = org_ref.inn
            try:
                created = self.insert(ORGANIZATIONS, self.validated(ORGANIZATIONS, values))
            except ValidationFailed as exc:
                raise ValidationFailed([FieldError("organization_id", "Организация", e.message)
                                        for e in exc.errors]) from None
            org_ref.id = created.id
            self.batch.session.flush()          # the teacher's reference check looks the organisation up
            self.remember_org(created)
            self.result.created_organizations.append(
                org_ref.name + (f" (ИНН {org_ref.inn})" if org_ref.inn else ""))
        return org_ref.id

    def create(self, row: _Row, org_ref) -> None:
        values = dict(row.values)
        if isinstance(org_ref, _NewOrg) and org_ref.id is None:
            clean = self.validated(TEACHERS, values)     # no organisation is created for a bad row
            clean["organization_id"] = self.organization_id(org_ref)
        else:
            if org_ref is not None:
                values["organization_id"] = self.organization_id(org_ref)
            clean = self.validated(TEACHERS, values)
        known = self.insert(TEACHERS, clean)
        self.remember_teacher(known)
        self.touched[known.id] = row.number
        self.result.created += 1

    def update(self, row: _Row, known: _Known, org_ref) -> None:
        changes = self.changes_for(known, self.normalized(row.values))
        if org_ref is not None and (isinstance(org_ref, _NewOrg) or org_ref != known.values.get("organization_id")):
            if isinstance(org_ref, _NewOrg) and org_ref.id is None:
                self.batch.validate(TEACHERS, changes, known.id)
            changes["organization_id"] = self.organization_id(org_ref)
        if not changes:
            self.result.unchanged += 1
            return
        old_snils = known.values.get("snils")
        updated = self.known_from(self.batch.update(TEACHERS, known.id, changes))
        if old_snils and old_snils != updated.values.get("snils"):
            self.by_snils.pop(old_snils, None)
        known.values = updated.values
        self.remember_teacher(known)
        self.result.updated += 1


class _OrganizationImporter(_Importer):
    TEXT_FIELDS = ("full_name", "short_name", "address", "phone", "email", "website", "head_name")

    def preload(self, s) -> None:
        self.preload_organizations(s)
        self.seen_inn: dict[str, int] = {}
        self.seen_name: dict[str, int] = {}

    def has_name(self, row: _Row) -> bool:
        return any(row.raw.get(t) is not None for t in ("full_name", "short_name"))

    def convert(self, row: _Row) -> None:
        raw, values = row.raw, row.values
        for name in self.TEXT_FIELDS:
            if raw.get(name) is not None:
                values[name] = _text(raw[name])
        if not values.get("full_name") and values.get("short_name"):
            values["full_name"] = values["short_name"]
        if not values.get("full_name"):
            row.errors.append(("full_name", "не указано наименование организации"))
        if raw.get("inn") is not None:
            values["inn"] = _inn_value(raw["inn"])
        if raw.get("kpp") is not None:
            values["kpp"] = _digits_value(raw["kpp"], 9, (8,))
        if raw.get(INN_KPP) is not None:
            parts = [p for p in re.split(r"[/\\|,;\s]+", _text(raw[INN_KPP])) if p]
            if parts:
                values.setdefault("inn", _inn_value(parts[0]))
            if len(parts) > 1:
                values.setdefault("kpp", _digits_value(parts[1], 9, (8,)))
        if raw.get("ogrn") is not None:
            values["ogrn"] = _text(raw["ogrn"])
        for name in ("joined_on", "left_on"):
            if raw.get(name) is not None:
                values[name] = _date_value(raw[name])
        if raw.get("kind") is not None:
            values["kind"] = _kind_value(raw["kind"])

    def import_row(self, row: _Row) -> None:
        self.convert(row)
        inn = None
        if row.values.get("inn"):
            try:
                inn = normalize_inn(row.values["inn"])
            except ValidationError as exc:
                row.errors.append(("inn", str(exc)))
        keys = {org_key(row.values.get("full_name")), org_key(row.values.get("short_name"))} - {""}
        if keys and not row.has_error("full_name"):
            self.check_duplicates(row, inn, keys)
        known = self.match(row, inn, keys) if not row.errors else None
        if row.errors:
            self.more_errors(row, creating=known is None)
            self.reject(row)
            return
        try:
            if known is None:
                values = dict(row.values)
                values.setdefault("kind", guess_kind(f"{values.get('full_name', '')} {values.get('short_name', '')}"))
                created = self.insert(ORGANIZATIONS, self.validated(ORGANIZATIONS, values))
                self.remember_org(created)
                self.touched[created.id] = row.number
                self.result.created += 1
            else:
                self.update(row, known)
        except ValidationFailed as exc:
            self.field_errors(row, exc)
            self.reject(row)

    def check_duplicates(self, row: _Row, inn: str | None, keys: set[str]) -> None:
        if inn and inn in self.seen_inn:
            row.errors.append(("inn", f"ИНН {inn} уже встречался в строке {self.seen_inn[inn]}; "
                                      "повторная строка не импортируется"))
        elif not inn:
            first = next((self.seen_name[k] for k in sorted(keys) if k in self.seen_name), None)
            if first is not None:
                row.errors.append(("full_name", f"та же организация, что в строке {first}; "
                                                "повторная строка не импортируется"))
        if inn:
            self.seen_inn.setdefault(inn, row.number)
        for k in keys:
            self.seen_name.setdefault(k, row.number)

    def match(self, row: _Row, inn: str | None, keys: set[str]) -> _Known | None:
        """The organisation in the database: by ИНН, then by full or short name."""
        found_id = self.orgs_by_inn.get(inn) if inn else None
        if found_id is None:
            ids: list[str] = []
            for k in sorted(keys):
                ids.extend(i for i in self.orgs_by_name.get(k, []) if i not in ids)
            if inn:
                # The same name with another ИНН is another organisation (a namesake, a branch).
                ids = [i for i in ids if not self.orgs[i].values.get("inn")]
            if len(ids) > 1:
                row.errors.append(("full_name", "в базе несколько организаций с таким наименованием; укажите ИНН"))
                return None
            found_id = ids[0] if ids else None
        if found_id is None:
            return None
        if found_id in self.touched:
            row.errors.append(("full_name", f"та же организация, что в строке {self.touched[found_id]}; "
                                            "повторная строка не импортируется"))
            return None
        self.touched[found_id] = row.number
        return self.orgs[found_id]

    def update(self, row: _Row, known: _Known) -> None:
        changes = self.changes_for(known, self.normalized(row.values))
        if not changes:
            self.result.unchanged += 1
            return
        self.remember_org(self.known_from(self.batch.update(ORGANIZATIONS, known.id, changes)))
        self.result.updated += 1


def run_import(db: Database, plan: ImportPlan, *, actor: Actor | None = None, all_or_nothing: bool = False,
               progress: ProgressFn | None = None, is_cancelled: CancelFn | None = None) -> ImportResult:
    """Imports the rows of ``plan`` in one transaction; see the module docstring.

    ``progress(fraction, message)`` is called every hundred rows;
    ``is_cancelled()`` is polled before every row — when it returns True the
    transaction is rolled back and the result says ``cancelled``. Raises
    ServiceError when the plan cannot run (see ``ImportPlan.problems``) or
    the file cannot be read.
    """
    importer_class = {TEACHERS: _TeacherImporter, ORGANIZATIONS: _OrganizationImporter}.get(plan.kind)
    if importer_class is None:
        _targets(plan.kind)
    return importer_class(db, plan, actor, all_or_nothing, progress, is_cancelled).run()


def import_file(db: Database, path: str | os.PathLike, kind: str, *, sheet: str | None = None,
                actor: Actor | None = None, all_or_nothing: bool = False,
                progress: ProgressFn | None = None, is_cancelled: CancelFn | None = None) -> ImportResult:
    """detect() and run_import() with the guessed mapping (what the command line does)."""
    plan = detect(path, kind, sheet)
    return run_import(db, plan, actor=actor, all_or_nothing=all_or_nothing, progress=progress,
                      is_cancelled=is_cancelled)
