"""What the network does: communities, events and certificates, materials and their review,
agreements, information requests and the network courses."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select

from app.domain import enums as E
from app.domain import deadlines, rules_courses
from app.services.common.fields import DATE, EMAIL, ENUM, FLOAT, INT, LONG_TEXT, PHONE, REF
from app.services.registry.spec_types import Derived, EntitySpec, F, NamedFilter, column, register
from app.storage import models as M


def _review_pending(m) -> ColumnElement:
    return or_(m.decision.is_(None), m.decision == E.ReviewDecision.PENDING.value)


def _review_deadline_clause(m, value: str, today: date, w: deadlines.Windows) -> ColumnElement:
    if value == "overdue":
        return and_(_review_pending(m), m.due_on < today)
    if value == "soon":
        return and_(_review_pending(m), m.due_on.between(today, today + timedelta(days=w.review_days)))
    return _review_pending(m)


def _request_deadline_clause(m, value: str, today: date, w: deadlines.Windows) -> ColumnElement:
    if value == "overdue":
        return and_(m.answered_on.is_(None), m.due_on < today)
    if value == "soon":
        return and_(m.answered_on.is_(None), m.due_on.between(today, today + timedelta(days=w.request_days)))
    return m.answered_on.is_(None)


def _live_members(m) -> ColumnElement:
    """Teachers and organisations in the community now: counted on read, so a package, a merge or a
    restore from the bin can never leave a stored total behind."""
    cm = M.CommunityMember
    return (select(func.count()).select_from(cm).where(cm.community_id == m.id, cm.deleted_at.is_(None))
            .correlate(m).scalar_subquery())


def _soon(days: int) -> str:
    return f"срок в ближайшие {deadlines.days_text(days)}"


def _expiring(days: int) -> str:
    return f"истекает в ближайшие {deadlines.days_text(days)}"


register(EntitySpec(
    "communities", M.Community, "Педагогические сообщества", "сообщество",
    (F("name", "Название", required=True, max_length=500),
     F("kind", "Вид", ENUM, required=True, enum=E.CommunityKind),
     F("problem", "Проблема", LONG_TEXT), F("expected_result", "Ожидаемый результат", LONG_TEXT),
     F("starts_on", "Начало работы", DATE), F("ends_on", "Срок работы до", DATE),
     F("decision_number", "Распоряжение №", max_length=64), F("decision_date", "Дата распоряжения", DATE),
     F("moderator_id", "Модератор", REF, ref="teachers"),
     F("base_organization_id", "Базовая организация", REF, ref="organizations"),
     F("subject", "Предметная область", max_length=255)),
    ("name", "kind", "moderator_id", "starts_on", "ends_on", "decision_number"), column("name"), ("name",),
    owns=(("community_members", "community_id"),), searchable=True,
    derived=(
        Derived("members", "Участников", (), lambda r, w: r.get("members") or 0, "id", sql=_live_members),
    ),
    filter_fields=("kind",),
))

register(EntitySpec(
    "community_members", M.CommunityMember, "Участники сообществ", "участник сообщества",
    (F("community_id", "Сообщество", REF, required=True, ref="communities"),
     F("teacher_id", "Педагог", REF, ref="teachers"), F("organization_id", "Организация", REF, ref="organizations"),
     F("role", "Роль", ENUM, enum=E.CommunityRole), F("joined_on", "Дата вступления", DATE)),
    ("community_id", "teacher_id", "organization_id", "role", "joined_on"), column("role"), ("joined_on",),
))

register(EntitySpec(
    "events", M.Event, "Мероприятия", "мероприятие",
    (F("title", "Название", required=True, max_length=500),
     F("kind", "Вид", ENUM, required=True, enum=E.EventKind),
     F("format", "Формат", ENUM, required=True, enum=E.EventFormat),
     F("starts_on", "Дата начала", DATE, required=True), F("ends_on", "Дата окончания", DATE),
     F("venue", "Место проведения", max_length=500), F("link", "Ссылка", max_length=500),
     F("audience", "Целевая аудитория", max_length=500),
     F("community_id", "Сообщество", REF, ref="communities"),
     F("plan_year", "План на год", INT, minimum=2000, maximum=2100), F("hours", "Часы", FLOAT),
     F("status", "Статус", ENUM, enum=E.EventStatus), F("description", "Описание", LONG_TEXT)),
    ("starts_on", "title", "kind", "format", "venue", "status"), column("title"), ("starts_on",),
    owns=(("event_organizers", "event_id"), ("participations", "event_id"), ("event_files", "event_id")),
    searchable=True,
    filters=(NamedFilter("period", "Период текущего года", deadlines.PERIOD_CHOICES,
                         lambda m, v, today, w: m.starts_on.between(*deadlines.period_bounds(v, today))),),
    filter_fields=("kind", "status", "plan_year", "community_id"),
))

register(EntitySpec(
    "event_files", M.EventFile, "Файлы мероприятий", "файл мероприятия",
    (F("event_id", "Мероприятие", REF, required=True, ref="events"),
     F("file_name", "Имя файла", required=True, max_length=255),
     F("sha256", "SHA-256", required=True, max_length=64), F("size", "Размер, байт", INT, required=True),
     F("kind", "Вид файла", max_length=16)),
    ("event_id", "file_name", "kind", "size"), column("file_name"), ("file_name",),
))

register(EntitySpec(
    "event_organizers", M.EventOrganizer, "Организаторы мероприятий", "организатор мероприятия",
    (F("event_id", "Мероприятие", REF, required=True, ref="events"),
     F("organization_id", "Организация", REF, required=True, ref="organizations")),
    ("event_id", "organization_id"), column("event_id"), ("event_id",),
))

register(EntitySpec(
    "participations", M.Participation, "Участие в мероприятиях", "участие",
    (F("event_id", "Мероприятие", REF, required=True, ref="events"),
     F("teacher_id", "Педагог", REF, ref="teachers"), F("organization_id", "Организация", REF, ref="organizations"),
     F("role", "Роль", ENUM, enum=E.ParticipationRole), F("attendance", "Посещение", ENUM, enum=E.Attendance),
     F("hours", "Часы", FLOAT), F("certificate_number", "Номер сертификата", max_length=64)),
    ("event_id", "teacher_id", "organization_id", "role", "attendance", "hours"), column("role"), ("event_id",),
    filter_fields=("role", "attendance"),
))

register(EntitySpec(
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
    ("number", "recipient_name", "event_title", "event_starts_on", "role", "hours"), column("number"), ("number",),
    searchable=True,
))

# The materials list and the bank of best practice edit the same record with the same form.
MATERIAL_FIELDS = (F("title", "Название", required=True, max_length=500),
    F("kind", "Вид", ENUM, required=True, enum=E.MaterialKind), F("description", "Описание", LONG_TEXT),
    F("organization_id", "Организация", REF, ref="organizations"),
    F("community_id", "Сообщество", REF, ref="communities"), F("event_id", "Мероприятие", REF, ref="events"),
    F("subject", "Предмет", max_length=255), F("level", "Уровень образования", ENUM, enum=E.EducationLevel),
    F("keywords", "Ключевые слова", max_length=500),
    F("status", "Статус", ENUM, enum=E.MaterialStatus), F("submitted_on", "Дата подачи", DATE))

register(EntitySpec(
    "materials", M.Material, "Методические материалы", "материал",
    MATERIAL_FIELDS,
    ("title", "kind", "organization_id", "subject", "level", "status"), column("title"), ("title",),
    owns=(("material_authors", "material_id"), ("material_files", "material_id"), ("reviews", "material_id"),
          ("material_decisions", "material_id")),
    searchable=True,
    filter_fields=("kind", "level", "subject", "status"),
))

register(EntitySpec(
    "material_authors", M.MaterialAuthor, "Авторы материалов", "автор материала",
    (F("material_id", "Материал", REF, required=True, ref="materials"),
     F("teacher_id", "Автор", REF, required=True, ref="teachers")),
    ("material_id", "teacher_id"), column("material_id"), ("material_id",),
))

register(EntitySpec(
    "material_files", M.MaterialFile, "Файлы материалов", "файл материала",
    (F("material_id", "Материал", REF, required=True, ref="materials"),
     F("file_name", "Имя файла", required=True, max_length=255),
     F("sha256", "SHA-256", required=True, max_length=64), F("size", "Размер, байт", INT, required=True),
     F("round", "Версия (раунд экспертизы)", INT)),
    ("material_id", "file_name", "size", "round"), column("file_name"), ("file_name",),
))

register(EntitySpec(
    "reviews", M.Review, "Экспертиза материалов", "экспертиза",
    (F("material_id", "Материал", REF, required=True, ref="materials"),
     F("round", "Раунд", INT), F("expert_id", "Эксперт", REF, required=True, ref="teachers"),
     F("assigned_on", "Назначена", DATE, required=True), F("due_on", "Срок", DATE),
     F("scores", "Баллы по критериям (JSON)", LONG_TEXT), F("total_score", "Итоговый балл", FLOAT),
     F("conclusion", "Заключение", LONG_TEXT),
     F("decision", "Решение", ENUM, enum=E.ReviewDecision), F("decided_on", "Дата решения", DATE),
     F("sheet_id", "Лист оценки", REF, ref="criteria_sheets")),
    ("material_id", "expert_id", "round", "assigned_on", "due_on", "decision", "total_score", "decided_on"),
    column("assigned_on"), ("assigned_on",),
    filters=(NamedFilter("deadline", "Срок экспертизы", (
        ("overdue", "срок истёк, заключения нет"), ("soon", _soon(deadlines.REVIEW_SOON_DAYS)),
        ("pending", "заключения нет")), _review_deadline_clause,
        window_labels=lambda w: {"soon": _soon(w.review_days)}),),
    filter_fields=("decision",),
))

register(EntitySpec(
    "agreements", M.Agreement, "Договоры и соглашения", "договор",
    (F("number", "Номер", required=True, max_length=64), F("signed_on", "Дата заключения", DATE),
     F("kind", "Вид", ENUM, required=True, enum=E.AgreementKind),
     F("subject", "Предмет", LONG_TEXT, required=True),
     F("valid_from", "Действует с", DATE), F("valid_to", "Действует по", DATE),
     F("status", "Статус", ENUM, required=True, enum=E.AgreementStatus), F("notes", "Примечание", LONG_TEXT)),
    ("number", "signed_on", "kind", "subject", "valid_to", "status"), column("number"), ("signed_on",),
    owns=(("agreement_parties", "agreement_id"),), searchable=True,
    filters=(
        NamedFilter("term", "Срок действия", (("expiring", _expiring(deadlines.AGREEMENT_EXPIRING_DAYS)),
                                              ("expired", "истёк")),
                    lambda m, v, today, w: (m.valid_to.between(today, today + timedelta(days=w.agreement_days))
                                            if v == "expiring" else m.valid_to < today),
                    window_labels=lambda w: {"expiring": _expiring(w.agreement_days)}),
    ),
    filter_fields=("status", "kind"),
))

register(EntitySpec(
    "agreement_parties", M.AgreementParty, "Стороны договоров", "сторона договора",
    (F("agreement_id", "Договор", REF, required=True, ref="agreements"),
     F("organization_id", "Организация", REF, required=True, ref="organizations"),
     F("party_role", "Роль стороны", max_length=64)),
    ("agreement_id", "organization_id", "party_role"), column("party_role"), ("agreement_id",),
))

register(EntitySpec(
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
    column("number"), ("sent_on",), searchable=True,
    filters=(
        NamedFilter("deadline", "Срок ответа", (
            ("overdue", "просрочен"), ("soon", _soon(deadlines.REQUEST_SOON_DAYS)),
            ("open", "ответ не дан")), _request_deadline_clause,
            window_labels=lambda w: {"soon": _soon(w.request_days)}),
    ),
    filter_fields=("status", "direction"),
))

register(EntitySpec(
    "courses", M.NetworkCourse, "Сетевые курсы", "сетевой курс",
    (F("title", "Название", required=True, max_length=500),
     F("host_organization_id", "Базовая организация", REF, required=True, ref="organizations"),
     F("teacher_id", "Преподаватель", REF, ref="teachers"),
     F("subject", "Предмет", max_length=255), F("profile", "Профиль", max_length=255),
     F("academic_year", "Учебный год", required=True, max_length=9), F("hours", "Часы", INT),
     F("form", "Форма", ENUM, enum=E.ProgrammeForm)),
    ("title", "host_organization_id", "teacher_id", "subject", "academic_year", "hours"), column("title"), ("title",),
    owns=(("enrolments", "course_id"),), searchable=True,
    derived=(
        Derived("pupils_total", "Обучающихся всего", ("pupils_total",), lambda r, w: r.get("pupils_total") or 0,
                "pupils_total"),
        Derived("enrolment_rule", "Набор не менее 10", ("pupils_total",),
                lambda r, w: "" if (r.get("pupils_total") or 0) >= rules_courses.MIN_PUPILS else "менее 10",
                "pupils_total"),
    ),
    filters=(
        NamedFilter("enrolment", "Набор (не менее 10 обучающихся)",
                    (("small", "менее 10 обучающихся"), ("enough", "10 и более")),
                    lambda m, v, today, w: (m.pupils_total < rules_courses.MIN_PUPILS if v == "small"
                                         else m.pupils_total >= rules_courses.MIN_PUPILS)),
    ),
    filter_fields=("academic_year", "subject"),
))

register(EntitySpec(
    "enrolments", M.CourseEnrolment, "Набор на сетевые курсы", "набор на курс",
    (F("course_id", "Курс", REF, required=True, ref="courses"),
     F("organization_id", "Школа", REF, required=True, ref="organizations"),
     F("pupils", "Обучающихся", INT, required=True)),
    ("course_id", "organization_id", "pupils"), column("course_id"), ("course_id",),
))
