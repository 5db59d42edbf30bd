"""Every entity the services serve: its fields, labels, list columns and ownership.

One declaration per entity drives create/update validation, lists, the CLI
and the GUI tables, so a field's Russian label is written once.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from datetime import date, timedelta
from typing import Callable

from sqlalchemy import ColumnElement, and_, func, or_, select

from app.domain import enums as E
from app.domain import deadlines, rules, rules_courses
from app.services.common.fields import (
    BOOL, DATE, EMAIL, ENUM, FLOAT, INN, INT, KPP, LONG_TEXT, NAME, OGRN, PHONE, REF, SNILS, TEXT,
    Field,
)
from app.storage import models as M


@dataclass(frozen=True)
class Derived:
    """A column computed from stored fields by a domain rule (e.g. the PD due date)."""

    name: str
    label: str
    needs: tuple[str, ...]
    compute: Callable[[dict], object]
    sort_by: str                    # the stored column that orders the same way


@dataclass(frozen=True)
class NamedFilter:
    """A filter that is not a plain field comparison (a rule, a related table)."""

    name: str
    label: str
    choices: tuple[tuple[str, str], ...]          # (value, Russian label)
    build: Callable[[type, str, date], ColumnElement]


@dataclass(frozen=True)
class EntitySpec:
    name: str                       # CLI and API name, plural latin: "teachers"
    model: type
    title: str                      # «Педагоги»
    singular: str                   # «педагог» (for messages)
    fields: tuple[Field, ...]
    list_columns: tuple[str, ...]
    display: Callable[[type], ColumnElement]
    order_by: tuple[str, ...]
    # (entity, fk field): rows of these entities belong to this one and are
    # deleted and restored with it.
    owns: tuple[tuple[str, str], ...] = ()
    searchable: bool = dc_field(default=False)
    derived: tuple[Derived, ...] = ()
    filters: tuple[NamedFilter, ...] = ()
    # Plain fields offered as filters in lists (enum, reference, text choices).
    filter_fields: tuple[str, ...] = ()
    # A fixed condition of a view over a model (the bank of best practice: approved materials only).
    scope: Callable[[type], ColumnElement] | None = None

    def named_filter(self, name: str) -> NamedFilter | None:
        return next((f for f in self.filters if f.name == name), None)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def has_field(self, name: str) -> bool:
        return any(f.name == name for f in self.fields)


def _col(name: str) -> Callable[[type], ColumnElement]:
    return lambda m: getattr(m, name)


def _person(m) -> ColumnElement:
    return func.trim(m.last_name + " " + m.first_name + " " + m.middle_name)


def _organization(m) -> ColumnElement:
    return func.coalesce(func.nullif(m.short_name, ""), m.full_name)


def _pd_base(m) -> ColumnElement:
    return func.coalesce(m.last_pd_on, m.career_start, m.hired_on)


def _pd_status_clause(m, value: str, today: date) -> ColumnElement:
    """The three-year rule in SQL, with the same boundaries as ``rules.pd_status``."""
    overdue_by = rules.last_base_due_by(today - timedelta(days=1))
    soon_by = rules.last_base_due_by(rules.add_months(today, 6))
    base = _pd_base(m)
    return {
        "overdue": base <= overdue_by,
        "due_soon": and_(base > overdue_by, base <= soon_by),
        "ok": base > soon_by,
        "unknown": base.is_(None),
    }[value]


def _young_clause(m, today: date) -> ColumnElement:
    # Explicit IS NOT NULL keeps the clause two-valued, so that NOT(young) is right for unknown dates.
    return or_(and_(m.birth_date.is_not(None), m.birth_date > rules.add_years(today, -rules.YOUNG_AGE_LIMIT)),
               and_(m.career_start.is_not(None),
                    m.career_start > rules.add_years(today, -rules.YOUNG_EXPERIENCE_YEARS)))


def _review_pending(m) -> ColumnElement:
    return or_(m.decision.is_(None), m.decision == E.ReviewDecision.PENDING.value)


def _review_deadline_clause(m, value: str, today: date) -> ColumnElement:
    if value == "overdue":
        return and_(_review_pending(m), m.due_on < today)
    if value == "soon":
        return and_(_review_pending(m), m.due_on.between(today, today + timedelta(days=deadlines.REVIEW_SOON_DAYS)))
    return _review_pending(m)


def _request_deadline_clause(m, value: str, today: date) -> ColumnElement:
    if value == "overdue":
        return and_(m.answered_on.is_(None), m.due_on < today)
    if value == "soon":
        return and_(m.answered_on.is_(None),
                    m.due_on.between(today, today + timedelta(days=deadlines.REQUEST_SOON_DAYS)))
    return m.answered_on.is_(None)


CERTIFICATE_WARN_DAYS = 90


def _certificate_clause(m, value: str, today: date) -> ColumnElement:
    """A certified programme whose certificate is in force, ends within 90 days, or has ended."""
    certified = and_(m.certification_status == E.CertificationStatus.CERTIFIED.value, m.certified_until.is_not(None))
    return {
        "valid": and_(certified, m.certified_until >= today),
        "expiring": and_(certified, m.certified_until.between(today, today + timedelta(days=CERTIFICATE_WARN_DAYS))),
        "expired": and_(certified, m.certified_until < today),
    }[value]


def F(name, label, kind=TEXT, **kw) -> Field:  # noqa: N802 - reads like a table row
    return Field(name, label, kind, **kw)


SPECS: dict[str, EntitySpec] = {}


def _register(spec: EntitySpec) -> EntitySpec:
    SPECS[spec.name] = spec
    return spec


_register(EntitySpec(
    "municipalities", M.Municipality, "Муниципальные образования", "муниципальное образование",
    (F("code", "Код", required=True, max_length=16), F("name", "Наименование", required=True, max_length=255),
     F("region", "Субъект РФ", max_length=255)),
    ("code", "name", "region"), _col("name"), ("name",),
))

_register(EntitySpec(
    "organizations", M.Organization, "Организации", "организация",
    (F("full_name", "Полное наименование", required=True, max_length=500),
     F("short_name", "Краткое наименование", max_length=255),
     F("kind", "Тип организации", ENUM, required=True, enum=E.OrganizationKind),
     F("inn", "ИНН", INN), F("kpp", "КПП", KPP), F("ogrn", "ОГРН", OGRN),
     F("address", "Адрес", max_length=500), F("phone", "Телефон", PHONE), F("email", "Электронная почта", EMAIL),
     F("website", "Сайт", max_length=255), F("head_name", "Руководитель", max_length=255),
     F("joined_on", "Вступила в сеть", DATE), F("left_on", "Вышла из сети", DATE)),
    ("short_name", "kind", "inn", "address", "phone", "joined_on"), _organization, ("short_name", "full_name"),
    owns=(("organization_roles", "organization_id"),), searchable=True,
    filters=(
        NamedFilter("network_role", "Роль в сети", tuple(E.NetworkRole.choices()),
                    lambda m, v, today: m.id.in_(
                        select(M.OrganizationRole.organization_id).where(
                            M.OrganizationRole.role == v, M.OrganizationRole.deleted_at.is_(None)))),
        NamedFilter("membership", "Участие в сети", (("member", "в сети"), ("left", "вышли из сети")),
                    lambda m, v, today: m.left_on.is_(None) if v == "member" else m.left_on.is_not(None)),
    ),
    filter_fields=("kind",),
))

_register(EntitySpec(
    "organization_roles", M.OrganizationRole, "Роли в сети", "роль организации в сети",
    (F("organization_id", "Организация", REF, required=True, ref="organizations"),
     F("role", "Роль", ENUM, required=True, enum=E.NetworkRole),
     F("since", "С", DATE), F("until", "По", DATE), F("order_number", "Приказ", max_length=64)),
    ("organization_id", "role", "since", "until", "order_number"), _col("role"), ("since",),
))

_register(EntitySpec(
    "teachers", M.Teacher, "Педагоги", "педагог",
    (F("last_name", "Фамилия", NAME, required=True, max_length=100),
     F("first_name", "Имя", NAME, required=True, max_length=100),
     F("middle_name", "Отчество", NAME, max_length=100),
     F("birth_date", "Дата рождения", DATE), F("snils", "СНИЛС", SNILS),
     F("email", "Электронная почта", EMAIL), F("phone", "Телефон", PHONE),
     F("organization_id", "Организация", REF, ref="organizations"),
     F("position", "Должность", max_length=255), F("subjects", "Предметы", max_length=500),
     F("qualification_category", "Квалификационная категория", ENUM, enum=E.QualificationCategory),
     F("category_until", "Категория действует до", DATE),
     F("career_start", "Начало педагогического стажа", DATE), F("hired_on", "Дата приёма на работу", DATE),
     F("consent_on", "Согласие на обработку ПДн (дата)", DATE),
     F("consent_basis", "Основание обработки ПДн", max_length=255),
     F("last_pd_on", "Последнее повышение квалификации", DATE),
     F("notes", "Примечание", LONG_TEXT)),
    ("last_name", "first_name", "middle_name", "snils", "organization_id", "position", "qualification_category",
     "last_pd_on"),
    _person, ("last_name", "first_name", "middle_name"),
    owns=(("diagnostics", "teacher_id"), ("trajectories", "teacher_id")), searchable=True,
    derived=(
        Derived("pd_due", "Следующее ПК — не позднее", ("last_pd_on", "career_start", "hired_on"),
                lambda r: rules.next_pd_due(r.get("last_pd_on"), r.get("career_start") or r.get("hired_on")),
                "last_pd_on"),
        Derived("pd_status", "Повышение квалификации", ("last_pd_on", "career_start", "hired_on"),
                lambda r: rules.pd_status(rules.next_pd_due(r.get("last_pd_on"),
                                                            r.get("career_start") or r.get("hired_on")),
                                          date.today()).label,
                "last_pd_on"),
        Derived("young", "Молодой педагог", ("birth_date", "career_start"),
                lambda r: "да" if rules.is_young_teacher(r.get("birth_date"), r.get("career_start"),
                                                         date.today()) else "",
                "birth_date"),
    ),
    filters=(
        NamedFilter("pd_status", "Повышение квалификации", (
            ("overdue", "просрочено"), ("due_soon", "срок подходит (6 месяцев)"),
            ("ok", "в норме"), ("unknown", "нет данных")), lambda m, v, today: _pd_status_clause(m, v, today)),
        NamedFilter("young", "Молодые педагоги", (("yes", "только молодые"), ("no", "кроме молодых")),
                    lambda m, v, today: _young_clause(m, today) if v == "yes" else ~_young_clause(m, today)),
    ),
    filter_fields=("organization_id", "position", "subjects", "qualification_category"),
))

_register(EntitySpec(
    "mentorships", M.Mentorship, "Наставничество", "пара наставничества",
    (F("mentor_id", "Наставник", REF, required=True, ref="teachers"),
     F("mentee_id", "Наставляемый", REF, required=True, ref="teachers"),
     F("form", "Форма", ENUM, required=True, enum=E.MentorshipForm),
     F("starts_on", "Начало", DATE, required=True), F("ends_on", "Окончание", DATE),
     F("order_number", "Приказ", max_length=64), F("goals", "Цели", LONG_TEXT)),
    ("mentor_id", "mentee_id", "form", "starts_on", "ends_on"), _col("starts_on"), ("starts_on",),
))

_register(EntitySpec(
    "programmes", M.Programme, "Программы повышения квалификации", "программа",
    (F("title", "Название", required=True, max_length=500),
     F("provider_id", "Организация-разработчик", REF, ref="organizations"),
     F("provider_name", "Провайдер (если не в сети)", max_length=500),
     F("hours", "Часы", INT, required=True), F("credits", "Зачётные единицы", FLOAT),
     F("form", "Форма обучения", ENUM, required=True, enum=E.ProgrammeForm),
     F("registry_number", "Номер в федеральном реестре", max_length=64),
     F("certification_status", "Сертификация", ENUM, enum=E.CertificationStatus),
     F("certified_until", "Сертификат действует до", DATE),
     F("competences", "Компетенции (дефициты)", max_length=500), F("description", "Аннотация", LONG_TEXT)),
    ("title", "provider_name", "hours", "credits", "form", "certification_status", "certified_until"),
    _col("title"), ("title",),
    searchable=True,
    filters=(
        NamedFilter("certificate_term", "Срок сертификата", (
            ("valid", "действует"), ("expiring", "истекает в ближайшие 90 дней"), ("expired", "истёк")),
            lambda m, v, today: _certificate_clause(m, v, today)),
        # «,digital,» inside «,fgos,digital,»: a whole code, never a part of a longer one.
        NamedFilter("competence", "Компетенция (дефицит)", tuple(E.COMPETENCES),
                    lambda m, v, today: func.instr("," + m.competences + ",", f",{v},") > 0),
    ),
    filter_fields=("form", "certification_status", "provider_id"),
))

_register(EntitySpec(
    "diagnostics", M.Diagnostic, "Диагностики профессиональных дефицитов", "диагностика",
    (F("teacher_id", "Педагог", REF, required=True, ref="teachers"),
     F("held_on", "Дата", DATE, required=True), F("instrument", "Инструмент", required=True, max_length=255),
     F("notes", "Примечание", LONG_TEXT)),
    ("teacher_id", "held_on", "instrument"), _col("instrument"), ("held_on",),
    owns=(("diagnostic_results", "diagnostic_id"),),
    filters=(
        NamedFilter("deficit", "Выявлен дефицит", (("any", "любой"),) + tuple(E.COMPETENCES),
                    lambda m, v, today: m.id.in_(
                        select(M.DiagnosticResult.diagnostic_id).where(
                            M.DiagnosticResult.is_deficit.is_(True), M.DiagnosticResult.deleted_at.is_(None),
                            *(() if v == "any" else (M.DiagnosticResult.competence == v,))))),
    ),
))

_register(EntitySpec(
    "diagnostic_results", M.DiagnosticResult, "Результаты диагностики", "результат диагностики",
    (F("diagnostic_id", "Диагностика", REF, required=True, ref="diagnostics"),
     F("competence", "Компетенция", required=True, max_length=32), F("score", "Балл", FLOAT, required=True),
     F("max_score", "Максимум", FLOAT), F("is_deficit", "Дефицит", BOOL),
     F("proposed_programme_id", "Предложенная программа", REF, ref="programmes")),
    ("diagnostic_id", "competence", "score", "is_deficit"), _col("competence"), ("competence",),
))

_register(EntitySpec(
    "trajectories", M.Trajectory, "Индивидуальные образовательные маршруты", "маршрут",
    (F("teacher_id", "Педагог", REF, required=True, ref="teachers"),
     F("diagnostic_id", "Диагностика", REF, ref="diagnostics"),
     F("period_start", "Начало периода", DATE, required=True), F("period_end", "Конец периода", DATE, required=True),
     F("goals", "Цели", LONG_TEXT), F("deficits", "Дефициты", max_length=500),
     F("status", "Статус", ENUM, enum=E.TrajectoryStatus)),
    ("teacher_id", "period_start", "period_end", "status", "deficits"), _col("period_start"), ("period_start",),
    owns=(("trajectory_items", "trajectory_id"),),
))

_register(EntitySpec(
    "trajectory_items", M.TrajectoryItem, "Элементы маршрутов", "элемент маршрута",
    (F("trajectory_id", "Маршрут", REF, required=True, ref="trajectories"),
     F("kind", "Вид", ENUM, required=True, enum=E.ItemKind),
     F("formality", "Форма образования", ENUM, required=True, enum=E.Formality),
     F("title", "Наименование", required=True, max_length=500),
     F("programme_id", "Программа", REF, ref="programmes"), F("event_id", "Мероприятие", REF, ref="events"),
     F("organization_id", "Организация (площадка)", REF, ref="organizations"),
     F("mentorship_id", "Наставничество", REF, ref="mentorships"),
     F("status", "Состояние", ENUM, enum=E.ItemStatus),
     F("planned_start", "План: начало", DATE), F("planned_end", "План: окончание", DATE),
     F("actual_start", "Факт: начало", DATE), F("actual_end", "Факт: окончание", DATE),
     F("hours", "Часы", FLOAT), F("credits", "Зачётные единицы", FLOAT),
     F("document_number", "Номер документа", max_length=64), F("document_date", "Дата документа", DATE),
     F("score", "Оценка", FLOAT)),
    ("trajectory_id", "kind", "title", "status", "planned_end", "actual_end", "hours", "credits"),
    _col("title"), ("planned_start",),
))

_register(EntitySpec(
    "communities", M.Community, "Педагогические сообщества", "сообщество",
    (F("name", "Название", required=True, max_length=500),
     F("kind", "Вид", ENUM, required=True, enum=E.CommunityKind),
     F("problem", "Проблема", LONG_TEXT), F("expected_result", "Ожидаемый результат", LONG_TEXT),
     F("starts_on", "Начало работы", DATE), F("ends_on", "Срок работы до", DATE),
     F("decision_number", "Распоряжение №", max_length=64), F("decision_date", "Дата распоряжения", DATE),
     F("moderator_id", "Модератор", REF, ref="teachers"),
     F("base_organization_id", "Базовая организация", REF, ref="organizations"),
     F("subject", "Предметная область", max_length=255)),
    ("name", "kind", "moderator_id", "starts_on", "ends_on", "decision_number"), _col("name"), ("name",),
    owns=(("community_members", "community_id"),), searchable=True,
    filter_fields=("kind",),
))

_register(EntitySpec(
    "community_members", M.CommunityMember, "Участники сообществ", "участник сообщества",
    (F("community_id", "Сообщество", REF, required=True, ref="communities"),
     F("teacher_id", "Педагог", REF, ref="teachers"), F("organization_id", "Организация", REF, ref="organizations"),
     F("role", "Роль", ENUM, enum=E.CommunityRole), F("joined_on", "Дата вступления", DATE)),
    ("community_id", "teacher_id", "organization_id", "role", "joined_on"), _col("role"), ("joined_on",),
))

_register(EntitySpec(
    "events", M.Event, "Мероприятия", "мероприятие",
    (F("title", "Название", required=True, max_length=500),
     F("kind", "Вид", ENUM, required=True, enum=E.EventKind),
     F("format", "Формат", ENUM, required=True, enum=E.EventFormat),
     F("starts_on", "Дата начала", DATE, required=True), F("ends_on", "Дата окончания", DATE),
     F("venue", "Место проведения", max_length=500), F("link", "Ссылка", max_length=500),
     F("audience", "Целевая аудитория", max_length=500),
     F("community_id", "Сообщество", REF, ref="communities"),
     F("plan_year", "План на год", INT), F("hours", "Часы", FLOAT),
     F("status", "Статус", ENUM, enum=E.EventStatus), F("description", "Описание", LONG_TEXT)),
    ("starts_on", "title", "kind", "format", "venue", "status"), _col("title"), ("starts_on",),
    owns=(("event_organizers", "event_id"), ("participations", "event_id"), ("event_files", "event_id")),
    searchable=True,
    filters=(NamedFilter("period", "Период текущего года", deadlines.PERIOD_CHOICES,
                         lambda m, v, today: m.starts_on.between(*deadlines.period_bounds(v, today))),),
    filter_fields=("kind", "status", "plan_year", "community_id"),
))

_register(EntitySpec(
    "event_files", M.EventFile, "Файлы мероприятий", "файл мероприятия",
    (F("event_id", "Мероприятие", REF, required=True, ref="events"),
     F("file_name", "Имя файла", required=True, max_length=255),
     F("sha256", "SHA-256", required=True, max_length=64), F("size", "Размер, байт", INT, required=True),
     F("kind", "Вид файла", max_length=16)),
    ("event_id", "file_name", "kind", "size"), _col("file_name"), ("file_name",),
))

_register(EntitySpec(
    "event_organizers", M.EventOrganizer, "Организаторы мероприятий", "организатор мероприятия",
    (F("event_id", "Мероприятие", REF, required=True, ref="events"),
     F("organization_id", "Организация", REF, required=True, ref="organizations")),
    ("event_id", "organization_id"), _col("event_id"), ("event_id",),
))

_register(EntitySpec(
    "participations", M.Participation, "Участие в мероприятиях", "участие",
    (F("event_id", "Мероприятие", REF, required=True, ref="events"),
     F("teacher_id", "Педагог", REF, ref="teachers"), F("organization_id", "Организация", REF, ref="organizations"),
     F("role", "Роль", ENUM, enum=E.ParticipationRole), F("attendance", "Посещение", ENUM, enum=E.Attendance),
     F("hours", "Часы", FLOAT), F("certificate_number", "Номер сертификата", max_length=64)),
    ("event_id", "teacher_id", "organization_id", "role", "attendance", "hours"), _col("role"), ("event_id",),
    filter_fields=("role", "attendance"),
))

_register(EntitySpec(
    "certificates", M.Certificate, "Сертификаты участников", "сертификат",
    (F("number", "Номер", required=True, max_length=32),
     F("verification_code", "Код проверки", required=True, max_length=16),
     F("recipient_name", "Кому выдан", required=True, max_length=500),
     F("organization_name", "Организация", max_length=500),
     F("event_title", "Мероприятие", required=True, max_length=500), F("event_kind", "Вид", max_length=100),
     F("event_starts_on", "Дата начала", DATE, required=True), F("event_ends_on", "Дата окончания", DATE),
     F("hours", "Часы", FLOAT), F("role", "Роль", max_length=100), F("organizer", "Организатор", max_length=1000),
     F("participation_id", "Участие", REF, required=True, ref="participations"),
     F("event_id", "Мероприятие (запись)", REF, required=True, ref="events"),
     F("teacher_id", "Педагог", REF, ref="teachers"), F("organization_id", "Организация (запись)", REF,
                                                         ref="organizations"),
     F("revoked_reason", "Причина отзыва", LONG_TEXT)),
    ("number", "recipient_name", "event_title", "event_starts_on", "role", "hours"), _col("number"), ("number",),
    searchable=True,
))

_register(EntitySpec(
    "materials", M.Material, "Методические материалы", "материал",
    (F("title", "Название", required=True, max_length=500),
     F("kind", "Вид", ENUM, required=True, enum=E.MaterialKind), F("description", "Описание", LONG_TEXT),
     F("organization_id", "Организация", REF, ref="organizations"),
     F("community_id", "Сообщество", REF, ref="communities"), F("event_id", "Мероприятие", REF, ref="events"),
     F("subject", "Предмет", max_length=255), F("level", "Уровень образования", ENUM, enum=E.EducationLevel),
     F("keywords", "Ключевые слова", max_length=500),
     F("status", "Статус", ENUM, enum=E.MaterialStatus), F("submitted_on", "Дата подачи", DATE)),
    ("title", "kind", "organization_id", "subject", "level", "status"), _col("title"), ("title",),
    owns=(("material_authors", "material_id"), ("material_files", "material_id"), ("reviews", "material_id"),
          ("material_decisions", "material_id")),
    searchable=True,
    filter_fields=("kind", "level", "subject", "status"),
))

_register(EntitySpec(
    "material_authors", M.MaterialAuthor, "Авторы материалов", "автор материала",
    (F("material_id", "Материал", REF, required=True, ref="materials"),
     F("teacher_id", "Автор", REF, required=True, ref="teachers")),
    ("material_id", "teacher_id"), _col("material_id"), ("material_id",),
))

_register(EntitySpec(
    "material_files", M.MaterialFile, "Файлы материалов", "файл материала",
    (F("material_id", "Материал", REF, required=True, ref="materials"),
     F("file_name", "Имя файла", required=True, max_length=255),
     F("sha256", "SHA-256", required=True, max_length=64), F("size", "Размер, байт", INT, required=True),
     F("round", "Версия (раунд экспертизы)", INT)),
    ("material_id", "file_name", "size", "round"), _col("file_name"), ("file_name",),
))

_register(EntitySpec(
    "reviews", M.Review, "Экспертиза материалов", "экспертиза",
    (F("material_id", "Материал", REF, required=True, ref="materials"),
     F("round", "Раунд", INT), F("expert_id", "Эксперт", REF, required=True, ref="teachers"),
     F("assigned_on", "Назначена", DATE, required=True), F("due_on", "Срок", DATE),
     F("scores", "Баллы по критериям (JSON)", LONG_TEXT), F("total_score", "Итоговый балл", FLOAT),
     F("conclusion", "Заключение", LONG_TEXT),
     F("decision", "Решение", ENUM, enum=E.ReviewDecision), F("decided_on", "Дата решения", DATE),
     F("sheet_id", "Лист оценки", REF, ref="criteria_sheets")),
    ("material_id", "expert_id", "round", "assigned_on", "due_on", "decision", "total_score", "decided_on"),
    _col("assigned_on"), ("assigned_on",),
    filters=(NamedFilter("deadline", "Срок экспертизы", (
        ("overdue", "срок истёк, заключения нет"),
        ("soon", f"срок в ближайшие {deadlines.REVIEW_SOON_DAYS} дней"),
        ("pending", "заключения нет")), _review_deadline_clause),),
    filter_fields=("decision",),
))

_register(EntitySpec(
    "agreements", M.Agreement, "Договоры и соглашения", "договор",
    (F("number", "Номер", required=True, max_length=64), F("signed_on", "Дата заключения", DATE),
     F("kind", "Вид", ENUM, required=True, enum=E.AgreementKind),
     F("subject", "Предмет", LONG_TEXT, required=True),
     F("valid_from", "Действует с", DATE), F("valid_to", "Действует по", DATE),
     F("status", "Статус", ENUM, required=True, enum=E.AgreementStatus), F("notes", "Примечание", LONG_TEXT)),
    ("number", "signed_on", "kind", "subject", "valid_to", "status"), _col("number"), ("signed_on",),
    owns=(("agreement_parties", "agreement_id"),), searchable=True,
    filters=(
        NamedFilter("term", "Срок действия", (("expiring", "истекает в ближайшие 30 дней"), ("expired", "истёк")),
                    lambda m, v, today: (m.valid_to.between(today, today + timedelta(days=30))
                                         if v == "expiring" else m.valid_to < today)),
    ),
    filter_fields=("status", "kind"),
))

_register(EntitySpec(
    "agreement_parties", M.AgreementParty, "Стороны договоров", "сторона договора",
    (F("agreement_id", "Договор", REF, required=True, ref="agreements"),
     F("organization_id", "Организация", REF, required=True, ref="organizations"),
     F("party_role", "Роль стороны", max_length=64)),
    ("agreement_id", "organization_id", "party_role"), _col("party_role"), ("agreement_id",),
))

_register(EntitySpec(
    "requests", M.InfoRequest, "Запросы", "запрос",
    (F("number", "Номер", required=True, max_length=64),
     F("direction", "Направление", ENUM, required=True, enum=E.RequestDirection),
     F("sender_id", "Отправитель", REF, required=True, ref="organizations"),
     F("addressee_id", "Адресат", REF, required=True, ref="organizations"),
     F("reply_contact", "Контакт для ответа", required=True, max_length=255),
     F("sent_on", "Дата отправки", DATE, required=True),
     F("prepared_by_name", "ФИО исполнителя", required=True, max_length=255),
     F("prepared_by_position", "Должность исполнителя", required=True, max_length=255),
     F("prepared_by_phone", "Телефон исполнителя", PHONE, required=True),
     F("prepared_by_email", "Почта исполнителя", EMAIL, required=True),
     F("subject", "Тема", required=True, max_length=500), F("content", "Содержание", LONG_TEXT),
     F("due_on", "Срок ответа", DATE), F("answered_on", "Дата ответа", DATE),
     F("status", "Статус", ENUM, required=True, enum=E.RequestStatus), F("answer", "Ответ", LONG_TEXT)),
    ("number", "sent_on", "sender_id", "addressee_id", "subject", "due_on", "answered_on", "status"),
    _col("number"), ("sent_on",), searchable=True,
    filters=(
        NamedFilter("deadline", "Срок ответа", (
            ("overdue", "просрочен"), ("soon", f"срок в ближайшие {deadlines.REQUEST_SOON_DAYS} дней"),
            ("open", "ответ не дан")), _request_deadline_clause),
    ),
    filter_fields=("status", "direction"),
))

_register(EntitySpec(
    "courses", M.NetworkCourse, "Сетевые курсы", "сетевой курс",
    (F("title", "Название", required=True, max_length=500),
     F("host_organization_id", "Базовая организация", REF, required=True, ref="organizations"),
     F("teacher_id", "Преподаватель", REF, ref="teachers"),
     F("subject", "Предмет", max_length=255), F("profile", "Профиль", max_length=255),
     F("academic_year", "Учебный год", required=True, max_length=9), F("hours", "Часы", INT),
     F("form", "Форма", ENUM, enum=E.ProgrammeForm)),
    ("title", "host_organization_id", "teacher_id", "subject", "academic_year", "hours"), _col("title"), ("title",),
    owns=(("enrolments", "course_id"),), searchable=True,
    derived=(
        Derived("pupils_total", "Обучающихся всего", ("pupils_total",), lambda r: r.get("pupils_total") or 0,
                "pupils_total"),
        Derived("enrolment_rule", "Набор не менее 10", ("pupils_total",),
                lambda r: "" if (r.get("pupils_total") or 0) >= rules_courses.MIN_PUPILS else "менее 10",
                "pupils_total"),
    ),
    filters=(
        NamedFilter("enrolment", "Набор (не менее 10 обучающихся)",
                    (("small", "менее 10 обучающихся"), ("enough", "10 и более")),
                    lambda m, v, today: (m.pupils_total < rules_courses.MIN_PUPILS if v == "small"
                                         else m.pupils_total >= rules_courses.MIN_PUPILS)),
    ),
    filter_fields=("academic_year", "subject"),
))

_register(EntitySpec(
    "enrolments", M.CourseEnrolment, "Набор на сетевые курсы", "набор на курс",
    (F("course_id", "Курс", REF, required=True, ref="courses"),
     F("organization_id", "Школа", REF, required=True, ref="organizations"),
     F("pupils", "Обучающихся", INT, required=True)),
    ("course_id", "organization_id", "pupils"), _col("course_id"), ("course_id",),
))

# The entities `stats` reports, in its documented key order.
STATS_KEYS: dict[str, str] = {
    "organizations": "organizations", "teachers": "teachers", "programmes": "programmes",
    "diagnostics": "diagnostics", "trajectories": "trajectories", "mentorships": "mentorships",
    "communities": "communities", "events": "events", "participations": "participations",
    "materials": "materials", "reviews": "reviews", "agreements": "agreements", "requests": "requests",
    "courses": "courses",
}


# Other names the command line accepts for an entity.
ALIASES: dict[str, str] = {"network_courses": "courses", "course_enrolments": "enrolments"}


def spec_for(name: str) -> EntitySpec:
    try:
        return SPECS[ALIASES.get(name, name)]
    except KeyError:
        known = ", ".join(sorted(SPECS))
        from app.services.common.errors import ServiceError

        raise ServiceError(f"Неизвестный вид записей «{name}». Доступны: {known}.") from None


def spec_for_model(model: type) -> EntitySpec:
    return next(s for s in SPECS.values() if s.model is model)


# Criteria sheets, decisions on materials, the bank of best practice.
from app.services.registry import specs_review as entities_review  # noqa: E402,F401 - registers its entities
