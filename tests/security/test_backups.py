"""Automatic backups (before import, daily, keep N) and a damaged database offered its latest good backup."""
from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from app.cli import main
from app.services.maintenance import backups
from app.services.common.bootstrap import backups_dir
from app.services.access.permissions import OBSERVER, PermissionDenied
from app.services.importing.spreadsheet_import import import_file
from tests.services.importing.builders import write_csv
from tests.security.conftest import as_role


def test_an_import_is_preceded_by_a_backup_holding_the_state_before_it(db, records, tmp_path, request):
    records.create("teachers", {"last_name": "Былова", "first_name": "Вера"})
    csv = write_csv(tmp_path / "t.csv", [["Фамилия", "Имя"], ["Новикова", "Нина"]], "utf-8")
    result = import_file(db, csv, "teachers")
    assert result.created == 1
    made = backups.list_backups(db)
    assert [b.reason for b in made] == ["before-import-teachers"]
    assert _last_names_in_copy(db, made[0].path, request) == ["Былова"]


def _last_names_in_copy(db, copy, request) -> list[str]:
    """The teachers a copy holds: read from the file (SQLite), or restored into an empty database (PostgreSQL)."""
    if db.is_sqlite:
        con = sqlite3.connect(copy)
        try:
            return [r[0] for r in con.execute("SELECT last_name FROM teacher")]
        finally:
            con.close()
    from sqlalchemy import text

    from app.storage.database import Database
    from app.storage.pg_backup import restore

    url = request.getfixturevalue("pg_cluster").new_database()
    restore(url, copy)
    restored = Database(url)
    try:
        with restored.engine.connect() as conn:
            return [r[0] for r in conn.execute(text("SELECT last_name FROM teacher"))]
    finally:
        restored.dispose()


def test_an_observer_cannot_import_and_no_backup_is_made(db, records, tmp_path):
    records.create("teachers", {"last_name": "Былова", "first_name": "Вера"})
    csv = write_csv(tmp_path / "t.csv", [["Фамилия", "Имя"], ["Новикова", "Нина"]], "utf-8")
    as_role(db, OBSERVER)
    with pytest.raises(PermissionDenied, match="загружать данные"):
        import_file(db, csv, "teachers")
    assert backups.list_backups(db) == []


def test_daily_backup_once_a_day_and_only_the_newest_n_kept(db, records):
    assert backups.daily_backup(db) is None                     # nothing to lose in an empty database
    records.create("teachers", {"last_name": "Былова", "first_name": "Вера"})
    today = date.today()
    assert backups.daily_backup(db, today) is not None
    assert backups.daily_backup(db, today) is None
    backups.set_keep_count(db, 3)
    for i in range(5):
        backups.backup_before(db, f"sync-{i}")
    kept = backups.list_backups(db)
    assert len(kept) == 3 and [b.reason for b in kept] == ["before-sync-4", "before-sync-3", "before-sync-2"]
    assert backups.daily_backup(db, today + timedelta(days=1)) is not None
    assert len(backups.list_backups(db)) == 3


def _damage(path):
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 2, len(data) - 4096, 4096):
        data[offset + 100: offset + 400] = b"\xde\xad" * 150
    path.write_bytes(bytes(data))


def test_a_damaged_database_names_the_latest_good_backup_and_restore_brings_it_back(db, db_path, records, capsys):
    records.create("teachers", {"last_name": "Былова", "first_name": "Вера"})
    good = backups.backup_before(db, "test")
    db.dispose()
    with sqlite3.connect(db_path) as con:         # fold the WAL in, then break the pages
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _damage(db_path)

    assert main(["--db", str(db_path), "check"]) == 1
    err = capsys.readouterr().err
    assert "повреждена" in err and str(good) in err and "restore" in err

    assert main(["--db", str(db_path), "restore", str(good)]) == 0
    out = capsys.readouterr().out
    assert "Повреждённый файл сохранён" in out
    assert list(backups_dir(db).parent.glob("test.sqlite.damaged-*"))
    assert main(["--db", str(db_path), "list", "teachers", "--json"]) == 0
    assert "Былова" in capsys.readouterr().out


def test_the_next_start_removes_what_killed_copies_left(db_path):
    from app.services.common.bootstrap import close_database, open_database

    backups, files = db_path.parent / "backups", db_path.parent / f"{db_path.stem}-files"
    backups.mkdir(exist_ok=True)
    files.mkdir(exist_ok=True)
    kept = backups / "db-20261201-101010-000001-manual.sqlite"
    kept.write_bytes(b"a finished copy")
    for name in ("db-20261207-020202-000002-manual.sqlite.part", "db-20261207-020202-000002-manual.sqlite.part-journal"):
        (backups / name).write_bytes(b"half")
    (files / ".incoming-x1y2z3").write_bytes(b"half")
    db, _ = open_database(str(db_path), exclusive=True)
    try:
        assert [p.name for p in backups.iterdir()] == [kept.name]
        assert not list(files.glob(".incoming-*"))
    finally:
        close_database(db)


def test_a_restore_keeps_todays_accounts_and_says_so_in_the_audit_log(db, records, tmp_path):
    from sqlalchemy import select

    from app.services.accounts import accounts
    from app.services.access.permissions import ADMIN, EXPERT, METHODIST
    from app.services.common.errors import ServiceError
    from app.services.maintenance.operations import restore, restore_preview
    from app.storage.models import Account, AuditLog

    accounts.create_account(db, "admin", "first-pass-1", ADMIN)
    accounts.sign_in(db, "admin", "first-pass-1")
    accounts.create_account(db, "leaver", "leaver-pass-1", METHODIST)
    records.create("teachers", {"last_name": "Старая", "first_name": "Запись"})
    copy = backups.backup_before(db, "test")
    # Since the copy: a new password, a colleague blocked, an expert who is a teacher the copy lacks.
    accounts.change_password(db, "first-pass-1", "second-pass-2")
    accounts.set_blocked(db, "leaver", True)
    reviewer = records.create("teachers", {"last_name": "Новая", "first_name": "Эксперт"})
    accounts.create_account(db, "expert", "expert-pass-1", EXPERT, teacher_id=reviewer["id"])

    preview = restore_preview(db, copy)
    assert (preview.accounts_now, preview.accounts_in_copy) == (3, 2)
    restore(db, copy)

    assert records.count("teachers") == 1
    with db.read() as s:
        rows = {a.login: (a.blocked, a.teacher_id) for a in s.scalars(select(Account))}
        summary = s.scalars(select(AuditLog.summary).where(AuditLog.action == "restore_db")).one()
    assert set(rows) == {"admin", "leaver", "expert"}
    assert rows["leaver"][0] and rows["expert"][1] is None
    assert "Учётные записи оставлены текущие (3), в копии их было 2" in summary
    with pytest.raises(ServiceError):
        accounts.sign_in(db, "admin", "first-pass-1")
    assert accounts.sign_in(db, "admin", "second-pass-2").login == "admin"
    assert not list(copy.parent.glob("*.part")) and not list(copy.parent.parent.glob("*.part"))


def test_the_restore_command_says_the_accounts_stay(db, db_path, records, capsys):
    records.create("teachers", {"last_name": "Былова", "first_name": "Вера"})
    good = backups.backup_before(db, "test")
    db.dispose()
    assert main(["--db", str(db_path), "restore", str(good)]) == 0
    assert "Учётные записи не восстанавливаются из копии: останутся текущие (0)" in capsys.readouterr().out
