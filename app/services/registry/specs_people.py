"""The network and its people: municipalities, organisations, teachers, mentoring,
programmes, diagnostics and the individual routes."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select

from app.domain import enums as E
from app.domain import deadlines, rules
from app.services.common.fields import (
    BOOL, DATE, EMAIL, ENUM, FLOAT, INN, INT, KPP, LONG_TEXT, NAME, OGRN, PHONE, REF, SNILS,
)
from app.services.registry.spec_types import Derived, EntitySpec, F, NamedFilter, column, organization_name, register
from app.storage import models as M
from app.storage.portable_sql import contains_text


def _person(m) -> ColumnElement:
    return func.trim(m.last_name + " " + m.first_name + " " + m.middle_name)


def _pd_base(m) -> ColumnElement:
    return func.coalesce(m.last_pd_on, m.career_start, m.hired_on)


def _due_soon(months: int) -> str:
    return f"срок подходит ({deadlines.months_text(months)})"


def _pd_status_clause(m, value: str, today: date, warn_months: int) -> ColumnElement:
    """The three-year rule in SQL, with the same boundaries as ``rules.pd_status``."""
    overdue_by, soon_by = deadlines.pd_limits(today, warn_months)
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


CERTIFICATE_WARN_DAYS = 90


def _certificate_clause(m, value: str, today: date) -> ColumnElement:
    """A certified programme whose certificate is in force, ends within 90 days, or has ended."""
    certified = and_(m.certification_status == E.CertificationStatus.CERTIFIED.value, m.certified_until.is_not(None))
    return {
        "valid": and_(certified, m.certified_until >= today),
        "expiring": and_(certified, m.certified_until.between(today, today + timedelta(days=CERTIFICATE_WARN_DAYS))),
        "expired": and_(certified, m.certified_until < today),
    }[value]


register(EntitySpec(
    "municipalities", M.Municipality, "Муниципальные образования", "муниципальное образование",
    (F("code", "Код", required=True, max_length=16), F("name", "Наименование", required=True, max_length=255),
     F("region", "Субъект РФ", max_length=255)),
    ("code", "name", "region"), column("name"), ("name",),
))

register(EntitySpec(
    "organizations", M.Organization, "Организации", "организация",
    (F("full_name", "Полное наименование", required=True, max_length=500),
     F("short_name", "Краткое наименование", max_length=255),
     F("kind", "Тип организации", ENUM, required=True, enum=E.OrganizationKind),
     F("inn", "ИНН", INN), F("kpp", "КПП", KPP), F("ogrn", "ОГРН", OGRN),
     F("address", "Адрес", max_length=500), F("phone", "Телефон", PHONE), F("email", "Электронная почта", EMAIL),
     F("website", "Сайт", max_length=255), F("head_name", "Руководитель", max_length=255),
     F("joined_on", "Вступила в сеть", DATE), F("left_on", "Вышла из сети", DATE)),
    ("short_name", "kind", "inn", "address", "phone", "joined_on"), organization_name, ("short_name", "full_name"),
    owns=(("organization_roles", "organization_id"),), searchable=True,
    filters=(
        NamedFilter("network_role", "Роль в сети", tuple(E.NetworkRole.choices()),
                    lambda m, v, today, w: m.id.in_(
                        select(M.OrganizationRole.organization_id).where(
                            M.OrganizationRole.role == v, M.OrganizationRole.deleted_at.is_(None)))),
        NamedFilter("membership", "Участие в сети", (("member", "в сети"), ("left", "вышли из сети")),
                    lambda m, v, today, w: m.left_on.is_(None) if v == "member" else m.left_on.is_not(None)),
    ),
    filter_fields=("kind",),
))

register(EntitySpec(
    "organization_roles", M.OrganizationRole, "Роли в сети", "роль организации в сети",
    (F("organization_id", "Организация", REF, required=True, ref="organizations"),
     F("role", "Роль", ENUM, required=True, enum=E.NetworkRole),
     F("since", "С", DATE), F("until", "По", DATE), F("order_number", "Приказ", max_length=64)),
    ("organization_id", "role", "since", "until", "order_number"), column("role"), ("since",),
))

register(EntitySpec(
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
                lambda r, w: rules.next_pd_due(r.get("last_pd_on"), r.get("career_start") or r.get("hired_on")),
                "last_pd_on"),
        Derived("pd_status", "Повышение квалификации", ("last_pd_on", "career_start", "hired_on"),
                lambda r, w: rules.pd_status(rules.next_pd_due(r.get("last_pd_on"),
                                                            r.get("career_start") or r.get("hired_on")),
                                          date.today(), w.pd_warn_months).label,
                "last_pd_on"),
        Derived("young", "Молодой педагог", ("birth_date", "career_start"),
                lambda r, w: "да" if rules.is_young_teacher(r.get("birth_date"), r.get("career_start"),
                                                         date.today()) else "",
                "birth_date"),
    ),
    filters=(
        NamedFilter("pd_status", "Повышение квалификации", (
            ("overdue", "просрочено"), ("due_soon", _due_soon(deadlines.PD_WARN_MONTHS)),
            ("ok", "в норме"), ("unknown", "нет данных")),
            lambda m, v, today, w: _pd_status_clause(m, v, today, w.pd_warn_months),
            window_labels=lambda w: {"due_soon": _due_soon(w.pd_warn_months)}),
        NamedFilter("young", "Молодые педагоги", (("yes", "только молодые"), ("no", "кроме молодых")),
                    lambda m, v, today, w: _young_clause(m, today) if v == "yes" else ~_young_clause(m, today)),
    ),
    filter_fields=("organization_id", "position", "subjects", "qualification_category"),
))

register(EntitySpec(
    "mentorships", M.Mentorship, "Наставничество", "пара наставничества",
    (F("mentor_id", "Наставник", REF, required=True, ref="teachers"),
     F("mentee_id", "Наставляемый", REF, required=True, ref="teachers"),
     F("form", "Форма", ENUM, required=True, enum=E.MentorshipForm),
     F("starts_on", "Начало", DATE, required=True), F("ends_on", "Окончание", DATE),
     F("order_number", "Приказ", max_length=64), F("goals", "Цели", LONG_TEXT)),
    ("mentor_id", "mentee_id", "form", "starts_on", "ends_on"), column("starts_on"), ("starts_on",),
))

register(EntitySpec(
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
    column("title"), ("title",),
    searchable=True,
    filters=(
        NamedFilter("certificate_term", "Срок сертификата", (
            ("valid", "действует"), ("expiring", "истекает в ближайшие 90 дней"), ("expired", "истёк")),
            lambda m, v, today, w: _certificate_clause(m, v, today)),
        # «,digital,» inside «,fgos,digital,»: a whole code, never a part of a longer one.
        NamedFilter("competence", "Компетенция (дефицит)", tuple(E.COMPETENCES),
                    lambda m, v, today, w: contains_text("," + m.competences + ",", f",{v},")),
    ),
    filter_fields=("form", "certification_status", "provider_id"),
))

register(EntitySpec(
    "diagnostics", M.Diagnostic, "Диагностики профессиональных дефицитов", "диагностика",
    (F("teacher_id", "Педагог", REF, required=True, ref="teachers"),
     F("held_on", "Дата", DATE, required=True), F("instrument", "Инструмент", required=True, max_length=255),
     F("notes", "Примечание", LONG_TEXT)),
    ("teacher_id", "held_on", "instrument"), column("instrument"), ("held_on",),
    owns=(("diagnostic_results", "diagnostic_id"),),
    filters=(
        NamedFilter("deficit", "Выявлен дефицит", (("any", "любой"),) + tuple(E.COMPETENCES),
                    lambda m, v, today, w: m.id.in_(
                        select(M.DiagnosticResult.diagnostic_id).where(
                            M.DiagnosticResult.is_deficit.is_(True), M.DiagnosticResult.deleted_at.is_(None),
                            *(() if v == "any" else (M.DiagnosticResult.competence == v,))))),
    ),
))

register(EntitySpec(
    "diagnostic_results", M.DiagnosticResult, "Результаты диагностики", "результат диагностики",
    (F("diagnostic_id", "Диагностика", REF, required=True, ref="diagnostics"),
     F("competence", "Компетенция", required=True, max_length=32), F("score", "Балл", FLOAT, required=True),
     F("max_score", "Максимум", FLOAT), F("is_deficit", "Дефицит", BOOL),
     F("proposed_programme_id", "Предложенная программа", REF, ref="programmes")),
    ("diagnostic_id", "competence", "score", "is_deficit"), column("competence"), ("competence",),
))

register(EntitySpec(
    "trajectories", M.Trajectory, "Индивидуальные образовательные маршруты", "маршрут",
    (F("teacher_id", "Педагог", REF, required=True, ref="teachers"),
     F("diagnostic_id", "Диагностика", REF, ref="diagnostics"),
     F("period_start", "Начало периода", DATE, required=True), F("period_end", "Конец периода", DATE, required=True),
     F("goals", "Цели", LONG_TEXT), F("deficits", "Дефициты", max_length=500),
     F("status", "Статус", ENUM, enum=E.TrajectoryStatus)),
    ("teacher_id", "period_start", "period_end", "status", "deficits"), column("period_start"), ("period_start",),
    owns=(("trajectory_items", "trajectory_id"),),
))

register(EntitySpec(
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
    column("title"), ("planned_start",),
))
