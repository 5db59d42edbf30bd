"""Entities of expert review and of the bank of best practice.

Registered into spec_types.SPECS; importing app.services.registry.specs loads them
after the people and activity declarations.
"""
from __future__ import annotations

from app.domain import enums as E
from app.services.registry.specs_activity import MATERIAL_FIELDS
from app.services.registry.spec_types import EntitySpec, F, column, register
from app.services.common.fields import BOOL, DATE, ENUM, FLOAT, INT, LONG_TEXT, REF
from app.storage import models as M

# The bank of best practice (адреса передового педагогического опыта): the approved materials.
register(EntitySpec(
    "best_practices", M.Material, "Банк лучших практик", "материал",
    MATERIAL_FIELDS,
    ("title", "kind", "subject", "level", "keywords", "organization_id"), column("title"), ("title",),
    searchable=True,
    filter_fields=("kind", "level", "subject", "keywords"),
    scope=lambda m: m.status == E.MaterialStatus.APPROVED.value,
))

register(EntitySpec(
    "material_decisions", M.MaterialDecision, "Решения по материалам", "решение по материалу",
    (F("material_id", "Материал", REF, required=True, ref="materials"),
     F("round", "Раунд", INT, required=True),
     F("decision", "Решение", ENUM, required=True, enum=E.CouncilDecision),
     F("decided_on", "Дата решения", DATE, required=True),
     F("decided_by", "Кто принял решение", max_length=128),
     F("protocol_number", "Протокол №", max_length=64),
     F("comment", "Комментарий", LONG_TEXT)),
    ("material_id", "round", "decision", "decided_on", "decided_by", "protocol_number"),
    column("decided_on"), ("decided_on",),
    filter_fields=("decision",),
))

register(EntitySpec(
    "criteria_sheets", M.CriteriaSheet, "Листы экспертной оценки", "лист экспертной оценки",
    (F("title", "Название", required=True, max_length=255),
     F("description", "Пояснение", LONG_TEXT),
     F("is_default", "Используется по умолчанию", BOOL)),
    ("title", "is_default"), column("title"), ("title",),
    owns=(("review_criteria", "sheet_id"),),
))

register(EntitySpec(
    "review_criteria", M.ReviewCriterion, "Критерии экспертизы", "критерий экспертизы",
    (F("sheet_id", "Лист оценки", REF, required=True, ref="criteria_sheets"),
     F("position", "№ п/п", INT),
     F("code", "Код", required=True, max_length=32),
     F("title", "Критерий", required=True, max_length=500),
     F("max_score", "Максимальный балл", FLOAT, required=True)),
    ("sheet_id", "position", "code", "title", "max_score"), column("title"), ("sheet_id", "position"),
    filter_fields=("sheet_id",),
))
