"""How long forms are divided into titled sections; fields not named here go to «Прочее».

Entities not listed get one plain form in the order of their fields.
"""
from __future__ import annotations

from app.services.registry.specs import spec_for

OTHER_SECTION = "Прочее"

FORM_SECTIONS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "teachers": (
        ("Личные данные", ("last_name", "first_name", "middle_name", "birth_date", "snils", "email", "phone")),
        ("Работа", ("organization_id", "position", "subjects", "qualification_category", "category_until",
                    "career_start", "hired_on", "last_pd_on")),
        ("Согласие на обработку ПДн", ("consent_on", "consent_basis")),
        ("Примечание", ("notes",)),
    ),
    "requests": (
        ("Запрос", ("number", "direction", "sent_on", "sender_id", "addressee_id", "subject", "content")),
        ("Исполнитель и контакт для ответа", ("prepared_by_name", "prepared_by_position", "prepared_by_phone",
                                              "prepared_by_email", "reply_contact")),
        ("Срок и ответ", ("due_on", "status", "answered_on", "answer")),
    ),
    "organizations": (
        ("Наименование", ("full_name", "short_name", "kind", "head_name")),
        ("Реквизиты", ("inn", "kpp", "ogrn")),
        ("Контакты", ("address", "phone", "email", "website")),
        ("Участие в сети", ("joined_on", "left_on")),
    ),
    "communities": (
        ("Сообщество", ("name", "kind", "subject", "moderator_id", "base_organization_id")),
        ("Замысел", ("problem", "expected_result")),
        ("Срок и решение о создании", ("starts_on", "ends_on", "decision_number", "decision_date")),
    ),
    "events": (
        ("Мероприятие", ("title", "kind", "format", "status", "community_id", "plan_year")),
        ("Дата и место", ("starts_on", "ends_on", "venue", "link", "hours")),
        ("Для кого и о чём", ("audience", "description")),
    ),
    "trajectory_items": (
        ("Элемент маршрута", ("trajectory_id", "kind", "formality", "title", "status")),
        ("Связи", ("programme_id", "event_id", "organization_id", "mentorship_id")),
        ("Сроки", ("planned_start", "planned_end", "actual_start", "actual_end")),
        ("Результат", ("hours", "credits", "document_number", "document_date", "score")),
    ),
}


# Inside a titled section a field's full label would repeat the title.
FORM_LABELS: dict[str, dict[str, str]] = {
    "teachers": {"consent_on": "Дата согласия", "consent_basis": "Основание обработки"},
}


def field_label(entity: str, name: str) -> str:
    return FORM_LABELS.get(entity, {}).get(name) or spec_for(entity).field(name).label


def form_sections(entity: str) -> list[tuple[str, list[str]]]:
    """[(title, field names)]; a single untitled section ("") for a short form."""
    spec = spec_for(entity)
    names = [f.name for f in spec.fields]
    layout = FORM_SECTIONS.get(entity)
    if layout is None:
        return [("", names)]
    placed = {n for _title, fields in layout for n in fields}
    sections = [(title, [n for n in fields if spec.has_field(n)]) for title, fields in layout]
    rest = [n for n in names if n not in placed]
    if rest:
        sections.append((OTHER_SECTION, rest))
    return [(title, fields) for title, fields in sections if fields]
