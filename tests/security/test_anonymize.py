"""Обезличивание: personal data gone (row and audit log), every count and total unchanged."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app.services.access import audit
from app.services.accounts.anonymize import ERASED, anonymize_teacher
from app.services.demo.generator import generate_demo
from app.services.development.ledger import credits_ledger
from app.services.common.errors import ServiceError
from app.services.registry.overview import stats
from app.services.access.permissions import METHODIST
from app.services.registry.service import RecordService
from app.storage.models import AuditLog, Participation, Teacher, Trajectory
from tests.security.conftest import as_role


def _busiest_teacher(db) -> str:
    with db.read() as s:
        return s.scalar(select(Participation.teacher_id).where(Participation.teacher_id.is_not(None))
                        .group_by(Participation.teacher_id).order_by(func.count().desc()).limit(1))


def _figures(db, teacher_id):
    with db.read() as s:
        own = (s.scalar(select(func.count()).where(Participation.teacher_id == teacher_id)),
               s.scalar(select(func.count()).where(Trajectory.teacher_id == teacher_id)))
    ledger = credits_ledger(db, teacher_id)
    return stats(db), own, (ledger.total_items, ledger.total_hours, ledger.total_credits)


def test_personal_data_is_erased_while_counts_and_credits_stay(db):
    generate_demo(db, 100, seed=5)
    records = RecordService(db)
    tid = _busiest_teacher(db)
    records.update("teachers", tid, {"snils": "112-233-445 95", "phone": "+79120001122", "email": "who@school.ru",
                                     "notes": "живёт на ул. Ленина"})
    old = records.get("teachers", tid)
    full_name = f"{old['last_name']} {old['first_name']} {old['middle_name']}".strip()
    figures_before = _figures(db, tid)

    result = anonymize_teacher(db, tid)

    row = records.get("teachers", tid)
    assert row["last_name"] == "Обезличен" and row["first_name"].startswith("№")
    assert result.label == f"Обезличен {row['first_name']}"
    for name in ("snils", "phone", "email", "birth_date"):
        assert row[name] is None
    assert row["middle_name"] == "" and row["notes"] == ""
    assert _figures(db, tid) == figures_before
    assert records.list("teachers", search=old["last_name"]).rows == [] or all(
        r["id"] != tid for r in records.list("teachers", search=old["last_name"]).rows)

    with db.read() as s:
        texts = [(r.summary, r.before, r.after) for r in s.scalars(select(AuditLog))]
    dump = json.dumps(texts, ensure_ascii=False)
    for secret in ("112-233-445 95", "11223344595", "+79120001122", "who@school.ru", full_name, "ул. Ленина"):
        assert secret not in dump
    with db.read() as s:
        own = audit.entries(s, entity="teachers", record_id=tid)
    update = next(e for e in own if e.action == "update")
    assert update.before.get("snils") is None or update.before["snils"] == ERASED
    assert update.after["snils"] == ERASED
    assert own[0].action == "anonymize"


def test_only_the_administrator_erases_and_not_twice(db, records):
    t = records.create("teachers", {"last_name": "Петрова", "first_name": "Ольга"})
    as_role(db, METHODIST)
    with pytest.raises(ServiceError, match="Недостаточно прав"):
        anonymize_teacher(db, t["id"])
    with db.read() as s:
        assert s.get(Teacher, t["id"]).last_name == "Петрова"
    as_role(db, "admin")
    anonymize_teacher(db, t["id"])
    with pytest.raises(ServiceError, match="уже обезличен"):
        anonymize_teacher(db, t["id"])
