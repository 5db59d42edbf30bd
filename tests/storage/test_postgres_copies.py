"""Backups of a PostgreSQL database: pg_dump -Fc and pg_restore in one transaction, accounts kept as today."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.services.accounts import accounts
from app.services.access.permissions import ADMIN, EXPERT, METHODIST
from app.services.common.actor import Actor
from app.services.common.bootstrap import open_database
from app.services.maintenance.operations import backup, restore, restore_preview
from app.services.registry.service import RecordService
from app.storage import pg_backup
from app.storage.backup import BackupError
from app.storage.models import Account, AuditLog


@pytest.fixture
def pg_db(pg_url):
    db, _ = open_database(pg_url)
    yield db
    db.dispose()


def test_a_dump_restores_the_records_and_keeps_todays_accounts(pg_db, tmp_path):
    db = pg_db
    records = RecordService(db, Actor("tester"))
    accounts.create_account(db, "admin", "first-pass-1", ADMIN)
    accounts.sign_in(db, "admin", "first-pass-1")
    accounts.create_account(db, "leaver", "leaver-pass-1", METHODIST)
    records.create("teachers", {"last_name": "Старая", "first_name": "Запись"})
    copy = backup(db, tmp_path / "копия.dump")
    assert copy.read_bytes()[:5] == b"PGDMP" and not list(tmp_path.glob("*.part"))

    accounts.set_blocked(db, "leaver", True)
    reviewer = records.create("teachers", {"last_name": "Новая", "first_name": "Эксперт"})
    accounts.create_account(db, "expert", "expert-pass-1", EXPERT, teacher_id=reviewer["id"])
    preview = restore_preview(db, copy)
    assert preview.accounts_now == 3 and preview.accounts_in_copy == 2      # counted in the dump itself
    assert "останутся текущие (3)" in preview.accounts_line()

    restore(db, copy)
    assert [t["last_name"] for t in records.list("teachers").rows] == ["Старая"]
    with db.read() as s:
        rows = {a.login: (a.blocked, a.teacher_id) for a in s.scalars(select(Account))}
        summary = s.scalars(select(AuditLog.summary).where(AuditLog.action == "restore_db")).one()
    assert set(rows) == {"admin", "leaver", "expert"}
    assert rows["leaver"][0] and rows["expert"][1] is None       # the copy does not know that teacher
    assert "Учётные записи оставлены текущие (3), в копии их было 2." in summary
    assert "прежнее состояние сохранено" in summary and summary.count(".dump") == 2


def test_a_broken_dump_leaves_the_database_as_it_was(pg_db, tmp_path):
    records = RecordService(pg_db, Actor("tester"))
    records.create("teachers", {"last_name": "Есть", "first_name": "Запись"})
    bad = tmp_path / "не-копия.dump"
    bad.write_bytes(b"PGDMP" + b"\0" * 100)
    with pytest.raises(BackupError, match="База не восстановлена: pg_restore сообщил"):
        restore(pg_db, bad)
    assert [t["last_name"] for t in records.list("teachers").rows] == ["Есть"]


def test_missing_client_tools_are_named(pg_db, tmp_path, monkeypatch):
    monkeypatch.setattr(pg_backup.shutil, "which", lambda name: None)
    monkeypatch.setattr(pg_backup.glob, "glob", lambda pattern: [])
    with pytest.raises(BackupError, match="нужны программы pg_dump и pg_restore"):
        backup(pg_db, tmp_path / "копия.dump")
    assert list(tmp_path.glob("*.dump*")) == []


def test_the_connection_reaches_the_tools_as_libpq_variables_not_arguments():
    env = pg_backup.libpq_environment("postgresql+psycopg://region_app:secret@db.local:5433/metodset?sslmode=require")
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGPASSWORD"], env["PGDATABASE"], env["PGSSLMODE"]) == \
        ("db.local", "5433", "region_app", "secret", "metodset", "require")
