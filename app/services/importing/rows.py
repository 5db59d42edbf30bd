"""Spreadsheet import: turning cell values into field values and recognising rows that are not data
(footers, repeated headers, captions).
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from app.domain import names
from app.domain.enums import OrganizationKind, QualificationCategory
from app.domain.validators import ValidationError, format_date, parse_date
from app.services.importing.plan import ImportPlan, display_value
from app.services.importing.targets import FIO, ORGANIZATION, TEACHERS, header_key
from app.services.importing.reader import SheetData, SheetRow

# ---------------------------------------------------------------- value conversion

_EXCEL_EPOCH = date(1899, 12, 30)
_DATE_SUFFIX = re.compile(r"\s*(г\.?|год[а]?)\s*$", re.IGNORECASE)
_TIME_SUFFIX = re.compile(r"^(\S+)[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
YES_WORDS = frozenset({"да", "есть", "+", "имеется", "получено", "v", "✓", "✔", "1", "true", "истина"})
NO_WORDS = frozenset({"нет", "-", "—", "отсутствует", "0", "false", "ложь", "неполучено"})
NAME_JUNK = re.compile(r"[\d.,;:!?()\"«»/\\№_@#]")


def text_value(value: Any) -> str:
    """A cell as text; control characters pasted from elsewhere dropped («01.01.1981\\x01» is a date)."""
    if isinstance(value, date):
        return format_date(value)
    return names.without_controls(display_value(value))


def date_value(value: Any) -> Any:
    """A date, or the text for the field normaliser to parse (and to refuse with a message)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 10_000 <= value <= 80_000:
        return _EXCEL_EPOCH + timedelta(days=int(value))        # an Excel date in a «General» cell
    text = _DATE_SUFFIX.sub("", text_value(value)).strip()
    m = _TIME_SUFFIX.match(text)
    text = m.group(1) if m else text
    try:
        return parse_date(text)
    except ValidationError:
        return text             # the field normaliser refuses it with its message


_YEAR = re.compile(r"(19[5-9]\d|20\d\d)")


def year_end_value(value: Any) -> Any:
    """A date, where a bare year («2021», «2021 г.») stands for its last day: a column «Год последних
    курсов» dates the course by its year, and the three-year term then runs to the end of the third year."""
    year = None
    if isinstance(value, int) and not isinstance(value, bool) and 1950 <= value <= 2099:
        year = value
    elif isinstance(value, str):
        m = _YEAR.fullmatch(_DATE_SUFFIX.sub("", value).strip())
        year = int(m.group(1)) if m else None
    if year is None:
        return date_value(value)
    # This year's course is dated today, not in the future (a later, dated course must still count as later).
    return min(date(year, 12, 31), date.today())


def digits_value(value: Any, length: int, shorter: tuple[int, ...]) -> str:
    """An identifier; a number that lost its leading zeros in Excel gets them back."""
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else text_value(value)
    compact = re.sub(r"\s+", "", text)
    if compact.isdigit() and (len(compact) in shorter or (isinstance(value, int) and len(compact) < length)):
        return compact.zfill(length)
    return text


def snils_value(value: Any) -> str:
    return digits_value(value, 11, (9, 10))


def inn_value(value: Any) -> str:
    text = digits_value(value, 10, (9,))
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


def enum_value(value: Any, enum, prefixes) -> str:
    """An enum code from its Russian label, or from the first key ``prefixes`` (key prefix, member) matches."""
    text = text_value(value)
    try:
        return enum.from_label(text).value
    except ValueError:
        pass
    key = header_key(text)
    for prefix, member in prefixes:
        if key.startswith(prefix):
            return member.value
    return text                     # the field normaliser refuses it, listing the allowed values


# Longest first, so «безкатегории» is tried before a shorter key it starts with.
_CATEGORY_PREFIXES = sorted(((k, v) for k, v in _CATEGORY_BY_KEY.items() if len(k) >= 5),
                            key=lambda kv: -len(kv[0]))


_EXPIRED = re.compile("истек|истёк|просроч|окончил|закончил|недействит")


def category_value(value: Any) -> str:
    """The category code from what registries write: «высшая», «1 кк», «Высшая квалификационная категория»,
    «первая (приказ № 12 от 01.03.2023)»; otherwise the text itself, for the field to refuse."""
    text = text_value(value)
    key = header_key(text)
    if key in _CATEGORY_BY_KEY:
        return _CATEGORY_BY_KEY[key]
    short = key.replace("квалификационная", "").replace("категория", "")
    if short in _CATEGORY_BY_KEY:
        return _CATEGORY_BY_KEY[short]
    if _EXPIRED.search(key):
        return text             # «первая, истекла в 2022»: not a category the teacher has; refused with the list
    return next((code for prefix, code in _CATEGORY_PREFIXES if key.startswith(prefix)), text)


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


def kind_value(value: Any) -> str:
    text = text_value(value)
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


def check_name_part(label: str, accusative: str, value: str) -> str | None:
    if NAME_JUNK.search(value):
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
                   "kind", "address", "title", "provider", "description", "competences", "instrument",
                   "audience", "venue", "organizers", "community"}


def non_empty(row: SheetRow) -> list[tuple[int, Any]]:
    return [(c, v) for c, v in enumerate(row.values, start=1) if v is not None]


# Columns that name the row's record: a signature line never holds a person's full name there.
_NAME_FIELDS = {FIO, "last_name", "first_name", "full_name", "short_name", "title"}
_INITIALS = re.compile(r"(?<![а-яa-z])[а-яa-z]\.\s?[а-яa-z]\.")


def is_footer(row: SheetRow, plan: ImportPlan) -> bool:
    """A signature or total line under the table («Директор ____ И.И. Иванов», «Итого: 25»).

    A footer word in a column that is read («молодой специалист» as a category) does not make a
    row with a record's own name a footer: that row is data and is imported or refused."""
    cells = non_empty(row)
    if not cells or len(cells) > 3:
        return False
    texts = {col: str(value).casefold().replace("ё", "е") if isinstance(value, str) else ""
             for col, value in cells}
    if any(_UNDERSCORES.search(text) for text in texts.values()):
        return True
    hits = [col for col, text in texts.items()
            if plan.mapping.get(col) not in _FOOTER_NEUTRAL and _FOOTER_WORDS.search(text)]
    if not hits:
        return False
    if any(plan.mapping.get(col) is None for col in hits):
        return True         # «Директор школы» beside a name, in a column nothing is read from: a signature
    named = any(plan.mapping.get(col) in _NAME_FIELDS and text.strip() and not _FOOTER_WORDS.search(text)
                and not _INITIALS.search(text) for col, text in texts.items())
    return not named


def is_repeated_header(row: SheetRow, plan: ImportPlan) -> bool:
    same = 0
    for col, header in plan.headers.items():
        value = row.value(col)
        if header and isinstance(value, str) and header_key(value) == header_key(header):
            same += 1
    return same >= 2


_ORG_CAPTION = re.compile(
    r"№|[«»\"]|(?<![а-яa-z])([мг][бак]?[дш]?оу|мб?[ак]?у|мк?[ау]?удо|сош|оош|нош|лицей|гимназия|детский сад|школа)"
    r"(?![а-яa-z])")


def is_caption(row: SheetRow, data: SheetData, kind: str) -> bool:
    """A single text cell that is a section title: merged across columns, or an organisation in a teacher list."""
    cells = non_empty(row)
    if len(cells) != 1 or not isinstance(cells[0][1], str):
        return False
    col = cells[0][0]
    if any(m.first_row == row.number and m.first_column == col and m.last_column > col for m in data.merged):
        return True
    text = cells[0][1]
    return kind == TEACHERS and _guess_kind(text) is not None and bool(_ORG_CAPTION.search(text.casefold()))


def split_fio_cell(raw: dict[str, Any], values: dict[str, Any], errors: list) -> str | None:
    """A «ФИО одной строкой» cell into last, first and middle name, unless the surname has a column of its own.

    The parts go into ``values``, a ФИО that cannot be split into ``errors``;
    returns the text that was split (None when there was none to split).
    """
    if raw.get(FIO) is None or values.get("last_name"):
        return None
    split_from = names.collapse_spaces(text_value(raw[FIO]))
    try:
        last, first, middle = names.split_fio(split_from)
    except ValidationError as exc:
        errors.append((FIO, str(exc)))
    else:
        values["last_name"], values["first_name"] = last, first
        if middle:
            values["middle_name"] = middle
    return split_from
