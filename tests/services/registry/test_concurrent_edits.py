"""Two users, one record: a save over a version someone else saved meanwhile is refused, naming them."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.services.common.actor import Actor
from app.services.common.errors import ConcurrentEdit
from app.services.registry.service import RecordService
from app.storage.models import Teacher


def test_a_save_over_a_newer_version_is_refused_and_names_who_saved_it(db, records):
    teacher = records.create("teachers", {"last_name": "Иванова", "first_name": "Анна", "position": "учитель"})
    opened_by_me = records.get("teachers", teacher["id"])
    colleague = RecordService(db, Actor("orlova"))
    colleague.update("teachers", teacher["id"], {"position": "завуч"},
                     expected_version=colleague.get("teachers", teacher["id"])["row_version"])

    with pytest.raises(ConcurrentEdit) as refused:
        records.update("teachers", teacher["id"], {"position": "директор"},
                       expected_version=opened_by_me["row_version"])
    text = str(refused.value)
    assert "уже изменил(а) orlova" in text and "Ваши изменения не сохранены" in text
    assert records.get("teachers", teacher["id"])["position"] == "завуч"
    # Saving again names the version now stored: the user writes over it knowingly.
    records.update("teachers", teacher["id"], {"position": "директор"},
                   expected_version=refused.value.current_version)
    assert records.get("teachers", teacher["id"])["position"] == "директор"


def test_an_update_racing_another_between_read_and_write_matches_no_row(db, records):
    """The ORM's own guard (version_id_col): UPDATE … WHERE row_version = the version read."""
    from sqlalchemy.orm.exc import StaleDataError

    teacher = records.create("teachers", {"last_name": "Петров", "first_name": "Пётр"})
    with db.read() as reader:
        mine = reader.get(Teacher, teacher["id"])        # the version this user read
        reader.expunge(mine)
    records.update("teachers", teacher["id"], {"position": "учитель"})         # another user saves first
    with pytest.raises(StaleDataError):
        with db.session() as writer:
            stale = writer.merge(mine, load=False)
            stale.position = "завуч"
            writer.flush()
    assert records.get("teachers", teacher["id"])["position"] == "учитель"


def test_the_audit_log_names_the_database_role_beside_the_account(db, records, engine):
    from app.storage.models import AuditLog

    records.create("organizations", {"full_name": "Школа № 1", "kind": "school"})
    with db.read() as s:
        actor, db_user = s.execute(select(AuditLog.actor, AuditLog.db_user).order_by(AuditLog.id.desc()).limit(1)).one()
    assert (actor, db_user) == ("tester", "metodset" if engine == "postgresql" else "")


def test_a_save_racing_another_on_the_server_is_refused_not_crashed(pg_url):
    """PostgreSQL lets two writers run at once: the second's UPDATE finds no row of the version it read."""
    from app.services.common.bootstrap import open_database

    db, _ = open_database(pg_url)
    other_db, _ = open_database(pg_url)
    try:
        mine, theirs = RecordService(db, Actor("tester")), RecordService(other_db, Actor("orlova"))
        teacher = mine.create("teachers", {"last_name": "Иванова", "first_name": "Анна"})
        with pytest.raises(ConcurrentEdit, match="уже изменил\\(а\\) orlova"):
            with mine.batch() as b:
                opened = b.session.get(Teacher, teacher["id"])      # this user's read of the record (held)
                theirs.update("teachers", teacher["id"], {"position": "завуч"})     # committed meanwhile
                b.update("teachers", teacher["id"], {"position": "директор"})
                assert opened.row_version == 1
        assert mine.get("teachers", teacher["id"])["position"] == "завуч"
    finally:
        db.dispose()
        other_db.dispose()
