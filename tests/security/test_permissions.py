"""Permissions are enforced in the services: each role is refused what it may not do, and nothing is written."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from app.services.access import audit
from app.services.common.errors import NotFound
from app.services.access.permissions import ADMIN, EXPERT, METHODIST, OBSERVER, PermissionDenied, sign_in_database
from app.services.registry.service import RecordService
from app.storage.models import AuditLog, Review, Teacher
from tests.security.conftest import as_role


def _counts(db) -> tuple[int, int, int]:
    with db.read() as s:
        return (s.scalar(select(func.count()).select_from(Teacher)), s.scalar(select(func.count()).select_from(Review)),
                s.scalar(select(func.count()).select_from(AuditLog)))


def test_observer_can_read_but_every_write_is_refused_and_nothing_written(db, world):
    as_role(db, OBSERVER)
    service = RecordService(db)
    assert service.count("teachers") == 2
    before = _counts(db)
    with pytest.raises(PermissionDenied, match="Недостаточно прав: роль «Наблюдатель»"):
        service.create("teachers", {"last_name": "Новый", "first_name": "Пётр"})
    with pytest.raises(PermissionDenied):
        service.update("teachers", world["other"]["id"], {"position": "директор"})
    with pytest.raises(PermissionDenied):
        service.delete("materials", world["theirs"]["id"])
    with pytest.raises(PermissionDenied):
        service.update("reviews", world["my_review"]["id"], {"conclusion": "хорошо"})
    # Even a raw statement that no service check saw is stopped before SQLite.
    with pytest.raises(PermissionDenied):
        with db.session() as s:
            s.execute(text("UPDATE teacher SET position = 'x'"))
    assert _counts(db) == before
    sign_in_database(db, None)
    assert RecordService(db).get("teachers", world["other"]["id"])["position"] == ""


def test_expert_sees_and_reviews_only_assigned_materials(db, world):
    as_role(db, EXPERT, teacher_id=world["expert"]["id"])
    service = RecordService(db)
    assert [r["title"] for r in service.list("materials").rows] == ["Урок-исследование"]
    assert [r["id"] for r in service.list("reviews").rows] == [world["my_review"]["id"]]
    assert service.count("materials") == 1
    with pytest.raises(NotFound):
        service.get("materials", world["theirs"]["id"])
    with pytest.raises(NotFound):
        service.update("reviews", world["their_review"]["id"], {"conclusion": "чужое"})

    done = service.update("reviews", world["my_review"]["id"], {"conclusion": "Рекомендую", "decision": "approved"})
    assert done["conclusion"] == "Рекомендую"
    with pytest.raises(PermissionDenied, match="Эксперт"):
        service.update("materials", world["mine"]["id"], {"title": "Переименовано"})
    with pytest.raises(PermissionDenied):
        service.update("reviews", world["my_review"]["id"], {"expert_id": world["other"]["id"]})
    with pytest.raises(PermissionDenied):
        service.create("reviews", {"material_id": world["mine"]["id"], "expert_id": world["expert"]["id"],
                                   "assigned_on": "02.09.2026"})
    with pytest.raises(PermissionDenied):
        with db.session() as s:   # a bulk statement cannot pick only the expert's rows
            s.execute(Review.__table__.update().values(conclusion="все"))

    sign_in_database(db, None)
    rows = {r["id"]: r for r in RecordService(db).list("reviews").rows}
    assert rows[world["my_review"]["id"]]["decision"] == "approved"
    with db.read() as s:
        assert s.get(Review, world["their_review"]["id"]).conclusion == ""
        assert s.get(Review, world["my_review"]["id"]).expert_id == world["expert"]["id"]
    with db.read() as s:
        last = audit.entries(s, entity="reviews", record_id=world["my_review"]["id"], limit=1)[0]
    assert last.actor == EXPERT


def test_expert_and_observer_see_personal_data_masked(db, world):
    for role in (EXPERT, OBSERVER):
        as_role(db, role, teacher_id=world["expert"]["id"])
        row = RecordService(db).get("teachers", world["expert"]["id"])
        assert row["snils"] == "***-***-445 95" and row["phone"].endswith("89") and "***" in row["phone"]
        assert row["email"] == "e***@school3.ru"
        listed = [r for r in RecordService(db).list("teachers").rows if r["id"] == world["expert"]["id"]][0]
        assert listed["snils"] == "***-***-445 95"
    as_role(db, METHODIST)
    assert RecordService(db).get("teachers", world["expert"]["id"])["snils"] == "112-233-445 95"


def test_methodist_edits_records_but_not_accounts_or_the_audit_log(db, world, admin_created):
    as_role(db, METHODIST, account_id=999)
    service = RecordService(db)
    service.update("teachers", world["other"]["id"], {"position": "учитель физики"})
    service.delete("materials", world["theirs"]["id"])
    with pytest.raises(PermissionDenied, match="учётными записями"):
        with db.session() as s:
            s.execute(text("UPDATE account SET role = 'methodist'"))
    with pytest.raises(PermissionDenied, match="журнал"):
        with db.session() as s:
            s.execute(text("DELETE FROM audit_log"))
    sign_in_database(db, None)
    with db.read() as s:
        assert s.scalar(text("SELECT role FROM account WHERE login='admin'")) == ADMIN
        assert s.scalar(select(func.count()).select_from(AuditLog)) > 0
    assert RecordService(db).get("teachers", world["other"]["id"])["position"] == "учитель физики"


def test_the_audit_log_names_the_account_not_the_service_actor(db, world):
    as_role(db, ADMIN)
    RecordService(db).update("teachers", world["other"]["id"], {"position": "завуч"})
    with db.read() as s:
        assert audit.entries(s, entity="teachers", record_id=world["other"]["id"], limit=1)[0].actor == ADMIN


def test_the_teacher_card_masks_contacts_for_an_observer(db, world):
    from app.services.registry.teacher_card import teacher_card

    as_role(db, OBSERVER)
    card = teacher_card(db, world["expert"]["id"])
    assert (card.snils, card.email) == ("***-***-445 95", "e***@school3.ru")
    as_role(db, ADMIN)
    assert teacher_card(db, world["expert"]["id"]).snils == "112-233-445 95"


def test_write_statements_are_recognised_and_temporary_tables_are_not_writes():
    from app.storage.write_guard import statement_target

    assert statement_target('INSERT OR REPLACE INTO "app_meta" VALUES (1)') == ("insert", "app_meta")
    assert statement_target("  update teacher set x=1") == ("update", "teacher")
    assert statement_target("DELETE FROM review") == ("delete", "review")
    assert statement_target("DROP TABLE IF EXISTS teacher") == ("schema", "teacher")
    assert statement_target("CREATE TEMP TABLE ids (id)") is None
    assert statement_target("INSERT INTO temp.ids VALUES (1)") is None
    assert statement_target("SELECT * FROM teacher") is None
