"""Writes that do not look like ``INSERT …`` at the start, or that bypass SQLAlchemy, are still refused."""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import InternalError, OperationalError

from app.services.access.permissions import EXPERT, OBSERVER, PermissionDenied, sign_in_database
from app.storage.models import Teacher
from app.storage.write_guard import statement_target
from tests.security.conftest import as_role


def _teachers(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Teacher))


def test_statements_behind_a_common_table_expression_are_recognised():
    assert statement_target("WITH x AS (SELECT 1) INSERT INTO teacher (id) SELECT * FROM x") == ("insert", "teacher")
    assert statement_target(
        "with recursive t(n) as (select 1 union all select n + 1 from t where n < 3), "
        "u as (select 'INSERT INTO audit_log' as s, (select (1)) as p) "
        "update \"teacher\" set position = (select s from u)") == ("update", "teacher")
    assert statement_target("WITH d AS (SELECT ')' AS c) DELETE FROM review WHERE id IN (SELECT c FROM d)") == (
        "delete", "review")
    assert statement_target("WITH x AS (SELECT 1) SELECT * FROM x") is None
    assert statement_target("/* a comment */ INSERT INTO teacher (id) VALUES (1)") == ("insert", "teacher")
    assert statement_target("-- note\nDELETE FROM teacher") == ("delete", "teacher")


def test_an_observer_is_refused_a_write_behind_a_with_clause(db, world):
    as_role(db, OBSERVER)
    before = _teachers(db)
    with pytest.raises(PermissionDenied, match="Наблюдатель"):
        with db.session() as s:
            s.execute(text("WITH x AS (SELECT 'т-1' AS id) "
                           "INSERT INTO teacher (id, last_name, first_name) SELECT id, 'Взлом', 'Ы' FROM x"))
    assert _teachers(db) == before


def test_a_raw_driver_connection_cannot_write_what_the_role_may_not(db, world):
    """SQLite: its authorizer denies the statement; PostgreSQL: every cursor of the connection asks the guard."""
    as_role(db, EXPERT, teacher_id=world["expert"]["id"])
    refused = ((sqlite3.DatabaseError, "not authorized") if db.is_sqlite
               else (PermissionDenied, "не позволяет изменять записи"))
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        writes = ["UPDATE teacher SET position = 'взлом'", "DELETE FROM review"]
        if not db.is_sqlite:
            writes += ["TRUNCATE review", "/* x */ WITH d AS (SELECT 1) DELETE FROM teacher"]
        for sql in writes:
            with pytest.raises(refused[0], match=refused[1]):
                cursor.execute(sql)
            if not db.is_sqlite:
                raw.rollback()
        if not db.is_sqlite:
            with pytest.raises(PermissionDenied):
                with cursor.copy("COPY teacher (id, last_name, first_name) FROM STDIN") as copy:
                    copy.write_row(("т-1", "Взлом", "Ы"))
            raw.rollback()
        # Reading stays allowed on the same connection.
        cursor.execute("SELECT count(*) FROM teacher")
        assert cursor.fetchone()[0] == 2
    finally:
        raw.close()
    sign_in_database(db, None)
    with db.read() as s:
        assert "взлом" not in s.scalars(select(Teacher.position)).all()


def test_readers_cannot_write_even_without_a_guard(db, world):
    sign_in_database(db, None)
    before = _teachers(db)
    # SQLite: PRAGMA query_only; PostgreSQL: READ ONLY transactions, refused by the server.
    with pytest.raises(OperationalError if db.is_sqlite else InternalError,
                       match="readonly" if db.is_sqlite else "read-only transaction"):
        with db.read() as s:
            s.execute(text("UPDATE teacher SET position = 'взлом'"))
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM teacher WHERE position = 'взлом'")).scalar() == 0
    assert _teachers(db) == before


def test_a_statement_read_on_its_own_cannot_write_and_later_reads_keep_one_snapshot(db, world):
    sign_in_database(db, None)
    before = _teachers(db)
    with pytest.raises(OperationalError if db.is_sqlite else InternalError,
                       match="readonly" if db.is_sqlite else "read-only transaction"):
        db.read_statement(text("UPDATE teacher SET position = 'взлом'"))
    assert db.read_statement(select(func.count()).select_from(Teacher))[0][0] == before
    # The reader's connection comes back from the pool as it was: one snapshot for a whole read.
    with db.read() as s:
        first = s.scalar(select(func.count()).select_from(Teacher))
        with db.session() as w:
            w.add(Teacher(last_name="Позднее", first_name="Пришедшая"))
        assert s.scalar(select(func.count()).select_from(Teacher)) == first == before
    assert _teachers(db) == before + 1
