"""«Проверить базу» asks the engine itself, on SQLite and on PostgreSQL."""
from __future__ import annotations

from sqlalchemy import text

from app.services.maintenance.operations import check_database


def test_a_whole_database_is_reported_whole(db, records):
    records.create("organizations", {"full_name": "Школа № 1", "kind": "school"})
    report = check_database(db)
    assert report.integrity == ["ok"] and report.foreign_key_problems == [] and report.ok
    assert report.lines()[-1] == "Итог: база исправна"


def test_a_foreign_key_the_engine_does_not_hold_is_reported(db, engine):
    if engine == "sqlite":
        import sqlite3

        conn = sqlite3.connect(db.path)     # a program that wrote the file with foreign keys off
        with conn:
            conn.execute("INSERT INTO teacher (id, origin, created_at, updated_at, row_version, change_seq, "
                         "last_name, first_name, middle_name, organization_id, position, subjects, "
                         "qualification_category, consent_basis, notes, search_key) VALUES ('t1', '', "
                         "'2026-01-01', '2026-01-01', 1, 1, 'И', 'А', '', 'no-such-org', '', '', '', '', '', '')")
        conn.close()
    else:
        with db.engine.connect() as conn:
            conn.execute(text("ALTER TABLE teacher DROP CONSTRAINT IF EXISTS teacher_organization_id_fkey"))
            conn.execute(text("ALTER TABLE teacher ADD CONSTRAINT teacher_org_unchecked FOREIGN KEY "
                              "(organization_id) REFERENCES organization (id) NOT VALID"))
            conn.commit()
    report = check_database(db)
    assert not report.ok and len(report.foreign_key_problems) == 1
    assert "teacher" in report.foreign_key_problems[0]
    assert report.lines()[-1] == "Итог: обнаружены проблемы"
