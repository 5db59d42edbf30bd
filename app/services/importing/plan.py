"""Spreadsheet import, step one: the import targets, header detection and the ImportPlan.

See app.services.importing.spreadsheet_import for the whole picture.
"""
from __future__ import annotations

import os
from pathlib import Path
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable

from app.domain import names
from app.domain.validators import format_date
from app.services.common.errors import ServiceError
from app.services.importing.reader import SheetData, SheetRow, column_letter, read_table

TEACHERS, ORGANIZATIONS = "teachers", "organizations"
PROGRAMMES, DIAGNOSTICS = "programmes", "diagnostics"
EVENTS = "events"                   # the year plan of events (import_events)
KINDS = (TEACHERS, ORGANIZATIONS, PROGRAMMES, DIAGNOSTICS, EVENTS)

# Targets that are not plain entity fields.
FIO = "fio"                         # «Фамилия Имя Отчество» in one column
ORGANIZATION = "organization"       # the teacher's organisation: name or ИНН
ORGANIZATION_INN = "organization_inn"
CONSENT = "consent"                 # a date, or «да» / «нет»
INN_KPP = "inn_kpp"                 # «7701234567/770101001» in one column
PROVIDER = "provider"               # a programme's provider: an organisation of the network or a name
SCORE_PREFIX = "score:"             # «score:digital»: a diagnostics column with the scores of one competence

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

PROGRAMME_TARGETS: tuple[Target, ...] = (
    _t("title", "Наименование программы", "наименованиепрограммы", "названиепрограммы", "программа",
       "наименование", "название", "наименованиедпп", "наименованиедоп", "темапрограммы", "тема",
       "наименованиекурса", "названиекурса", "курс", "наименованиепрограммыпк",
       "наименованиедополнительнойпрофессиональнойпрограммы"),
    _t(PROVIDER, "Организация-разработчик / провайдер", "организацияразработчик", "провайдер", "разработчик",
       "разработчикпрограммы", "организация", "поставщик", "поставщикуслуг", "организатор", "оператор",
       "организацияпровайдер", "организацияреализующаяпрограмму", "образовательнаяорганизация"),
    _t("hours", "Объём (часов)", "объемчасов", "объем", "часы", "часов", "количествочасов",
       "колвочасов", "объемпрограммы", "объемпрограммычасов", "объемвчасах", "трудоемкость", "трудоемкостьчасов",
       "ачасов", "академическихчасов"),
    _t("credits", "Зачётные единицы", "зе", "зачетныеединицы", "зачетныхединиц", "кредиты", "зет",
       "трудоемкостьзе", "объемзе"),
    _t("form", "Форма обучения", "формаобучения", "форма", "формареализации", "формапроведения",
       "формаобученияпрограммы"),
    _t("registry_number", "Номер в федеральном реестре", "номервфедеральномреестре", "реестровыйномер",
       "номервреестре", "номерреестра", "номерпрограммывреестре", "реестр", "федеральныйреестр",
       "номерфедеральногореестра", "регистрационныйномер"),
    _t("certification_status", "Статус экспертизы", "статусэкспертизы", "экспертиза", "статус", "сертификация",
       "результатэкспертизы", "статуспрограммы"),
    _t("certified_until", "Действует до", "действуетдо", "сертификатдействуетдо", "срокдействия",
       "срокдействиясертификата", "датаокончаниядействия", "действительнодо", "срокдействиядо", is_date=True),
    _t("competences", "Компетенции (дефициты)", "компетенции", "компетенция", "дефициты", "формируемыекомпетенции",
       "профессиональныедефициты", "направление"),
    _t("description", "Аннотация", "аннотация", "описание", "краткоеописание", "аннотацияпрограммы",
       "содержание", "краткоесодержание"),
)


def _competence_targets() -> tuple[Target, ...]:
    from app.domain.enums import COMPETENCES
    return tuple(Target(SCORE_PREFIX + code, f"Балл: {label}", (header_key(label),)) for code, label in COMPETENCES)


DIAGNOSTIC_TARGETS: tuple[Target, ...] = tuple(t for t in TEACHER_TARGETS if t.name in (
    FIO, "last_name", "first_name", "middle_name", "birth_date", "snils")) + (
    _t("held_on", "Дата диагностики", "датадиагностики", "датапроведения", "датапроведениядиагностики",
       "дата", "датаобследования", "датапрохождения", "датапрохождениядиагностики", "дататестирования",
       is_date=True),
    _t("instrument", "Инструмент диагностики", "инструмент", "инструментдиагностики", "методика",
       "диагностическийинструмент", "названиедиагностики", "наименованиедиагностики", "диагностика",
       "видиагностики", "тест", "названиетеста"),
    _t("notes", "Примечание", "примечание", "примечания", "комментарий", "комментарии"),
)

# The year plan's columns; organisers and the community are looked up by name, not stored as typed.
ORGANIZERS = "organizers"
COMMUNITY = "community"

EVENT_TARGETS: tuple[Target, ...] = (
    _t("title", "Название мероприятия", "название", "наименование", "названиемероприятия",
       "наименованиемероприятия", "мероприятие", "тема", "темамероприятия", "содержание"),
    _t("kind", "Вид мероприятия", "вид", "видмероприятия", "типмероприятия", "тип", "формамероприятия"),
    _t("format", "Форма (очно / дистанционно / смешанно)", "форма", "формапроведения", "формат",
       "формаучастия", "форматпроведения"),
    _t("starts_on", "Дата начала", "датаначала", "дата", "датапроведения", "начало", "срокпроведения",
       "сроки", "срок", is_date=True),
    _t("ends_on", "Дата окончания", "датаокончания", "окончание", "датазавершения", is_date=True),
    _t(ORGANIZERS, "Организаторы (названия или ИНН)", "организаторы", "организатор", "ответственные",
       "ответственный", "ответственнаяорганизация", "организаторымероприятия", "организациюорганизатор"),
    _t("venue", "Место проведения (или ссылка)", "местоссылка", "местопроведения", "место",
       "площадка", "местопроведенияссылка", "адрес"),
    _t("link", "Ссылка", "ссылка", "ссылканатрансляцию", "ссылкадляподключения", "url"),
    _t("audience", "Целевая аудитория", "аудитория", "целеваяаудитория", "участники", "категорияучастников",
       "длякого"),
    _t(COMMUNITY, "Сообщество", "сообщество", "рмо", "педагогическоесообщество", "методическоеобъединение"),
    _t("hours", "Часы", "часы", "часов", "количествочасов", "объемчасов", "объем"),
    _t("plan_year", "План на год", "планнагод", "годплана", "год"),
    _t("status", "Статус", "статус", "состояние", "отметкаовыполнении"),
    _t("description", "Описание", "описание", "примечание", "примечания", "комментарий"),
)

TARGETS = {TEACHERS: TEACHER_TARGETS, ORGANIZATIONS: ORGANIZATION_TARGETS, PROGRAMMES: PROGRAMME_TARGETS,
           EVENTS: EVENT_TARGETS}
KIND_TITLES = {TEACHERS: "педагогов", ORGANIZATIONS: "организаций", PROGRAMMES: "программ",
               DIAGNOSTICS: "результатов диагностики", EVENTS: "плана мероприятий"}


def targets(kind: str) -> list[tuple[str, str]]:
    """(target, Russian label) pairs a mapping editor offers for this kind of import."""
    return [(t.name, t.label) for t in targets_of(kind)]


def target_label(kind: str, name: str | None) -> str:
    if name is None:
        return "— не импортировать —"
    return next((t.label for t in targets_of(kind) if t.name == name), name)


def targets_of(kind: str) -> tuple[Target, ...]:
    if kind == DIAGNOSTICS and kind not in TARGETS:
        TARGETS[DIAGNOSTICS] = DIAGNOSTIC_TARGETS + _competence_targets()
    try:
        return TARGETS[kind]
    except KeyError:
        raise ServiceError(f"Неизвестный вид импорта «{kind}»: ожидается {', '.join(KINDS)}.") from None


_MAX_IN_HEADER = re.compile(r"(?:\bиз|\bмакс\w*\.?|\bmax)\s*:?\s*(\d+(?:[.,]\d+)?)", re.IGNORECASE)


def max_score_in_header(text: Any) -> float | None:
    """The maximum a header names: «Цифровые технологии (из 10)» → 10.0; None when it names none."""
    if not isinstance(text, str):
        return None
    m = _MAX_IN_HEADER.search(text.casefold())
    if not m:
        return None
    value = float(m.group(1).replace(",", "."))
    return value if value > 0 else None


def header_key(text: Any) -> str:
    """Header text for matching: lower case, ё → е, only letters and digits."""
    return "".join(ch for ch in str(text).casefold().replace("ё", "е") if ch.isalnum())


_KEY_MAX_SUFFIX = re.compile(r"((из|макс\w*?|max)\d+|баллов|баллы|балл)$")
_NOT_A_DATE_HEADER = re.compile(r"^(дата|срок|год|число)")


def _match(target: Target, key: str) -> tuple[int, int] | None:
    """How well a normalised header names the target: (2 exact | 1 partial, length of the synonym)."""
    best = None
    if target.name.startswith(SCORE_PREFIX):
        short = _KEY_MAX_SUFFIX.sub("", key)
        if len(short) >= 8 and any(short in syn for syn in target.synonyms):
            best = (1, len(short))
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
        for target in targets_of(kind):
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
        exact = any(key == s for t in targets_of(kind) if t.name == name for s in t.synonyms)
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
    data = read_table(path, sheet)
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
            warnings.append("Не удалось найти строку с названиями столбцов; взята первая непустая строка "
                            f"({header_row}). Укажите строку заголовка и столбцы вручную.")
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
        score = _header_score(kind, row)
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
