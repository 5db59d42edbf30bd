"""The SQLite settings and the change-tracking conventions every synchronised row follows."""
from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from sqlalchemy import select

from app.storage.database import Database, resolve_url
from app.storage.models import Counter, Organization, Teacher
from app.storage.numbering import last_change_seq


@pytest.mark.sqlite_only
def test_every_connection_uses_wal_full_sync_and_foreign_keys(db):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_foreign_keys_are_enforced(db):
    import pytest
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        with db.session() as s:
            s.add(Teacher(last_name="А", first_name="Б", organization_id="no-such-org"))


def test_resolve_url_accepts_a_path_or_a_url(tmp_path):
    assert resolve_url(tmp_path / "a.sqlite") == "sqlite:///" + str((tmp_path / "a.sqlite").resolve())
    assert resolve_url("postgresql://u@h/db") == "postgresql://u@h/db"


def test_new_rows_get_uuid_origin_timestamps_and_a_change_number(db):
    with db.session() as s:
        s.merge(__import__("app.storage.models", fromlist=["AppMeta"]).AppMeta(key="municipality_code", value="46-231"))
    db.forget_settings()
    with db.session() as s:
        org = Organization(full_name="МБОУ СОШ № 3", kind="school")
        s.add(org)
    with db.session() as s:
        row = s.get(Organization, org.id)
        assert len(row.id) == 36 and row.id.count("-") == 4
        assert row.origin == "46-231"
        assert row.created_at is not None and row.updated_at == row.created_at
        assert row.row_version == 1
        assert row.change_seq >= 1
        assert row.search_key == "мбоу сош № 3"


def test_an_edit_bumps_row_version_and_change_seq(db):
    with db.session() as s:
        org = Organization(full_name="Школа", kind="school")
        s.add(org)
    first_seq = org.change_seq
    with db.session() as s:
        row = s.get(Organization, org.id)
        row.short_name = "Шк"
    with db.session() as s:
        row = s.get(Organization, org.id)
        assert row.row_version == 2
        assert row.change_seq > first_seq
        assert row.updated_at >= row.created_at
        assert last_change_seq(s) == row.change_seq


def test_a_failed_transaction_leaves_nothing(db):
    try:
        with db.session() as s:
            s.add(Organization(full_name="Будет отменена", kind="school"))
            s.flush()
            raise RuntimeError("user cancelled")
    except RuntimeError:
        pass
    with db.session() as s:
        assert s.scalar(select(Organization).where(Organization.full_name == "Будет отменена")) is None


def test_search_key_finds_yo_by_ye_and_snils_digits(db):
    with db.session() as s:
        s.add(Teacher(last_name="Фёдоров", first_name="Пётр", snils="112-233-445 95", birth_date=date(1980, 1, 1)))
    with db.session() as s:
        key = s.scalar(select(Teacher.search_key))
    assert "федоров" in key and "петр" in key and "11223344595" in key


def test_database_file_is_readable_by_plain_sqlite(db, db_path):
    with db.session() as s:
        s.add(Organization(full_name="Гимназия № 5", kind="school"))
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT full_name FROM organization").fetchall() == [("Гимназия № 5",)]
    con.close()


def test_in_memory_database_has_no_path():
    db = Database("sqlite://")
    assert db.path is None and db.is_sqlite


def test_readers_do_not_wait_for_a_writer(db):
    import time

    with db.session() as s:
        s.add(Organization(full_name="До записи", kind="school"))
    with db.session() as writer:
        writer.add(Organization(full_name="Пишется", kind="school"))
        writer.flush()
        started = time.perf_counter()
        with db.read() as reader:
            names = set(reader.scalars(select(Organization.full_name)))
        assert time.perf_counter() - started < 1.0
        # The reader sees the last committed state, not the writer's open transaction.
        assert names == {"До записи"}


def test_a_reader_cannot_write_on_either_engine(db):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    with pytest.raises(DBAPIError, match="readonly|read-only|read only"):
        with db.read() as reader:
            reader.execute(text("INSERT INTO counter (name, value) VALUES ('x', 1)"))
    with db.read() as reader:
        assert reader.scalar(select(Counter.value).where(Counter.name == "x")) is None
