"""Alembic on start: creation, upgrade after a backup, refusal of unknown schemas."""
from __future__ import annotations

import sqlite3

import pytest
from alembic import command

from app.services.common.bootstrap import open_database
from app.storage.database import Database
from app.storage.migrate import SchemaError, alembic_config, current_revision, head_revision, upgrade_database


def _db(path) -> Database:
    return Database("sqlite:///" + str(path))


def test_a_new_file_is_created_at_the_head_revision(tmp_path):
    db, result = open_database(str(tmp_path / "new.sqlite"))
    assert result.from_revision is None and result.to_revision == head_revision()
    assert result.backup_path is None
    assert current_revision(db) == head_revision()
    with db.engine.connect() as conn:
        tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
    for t in ("teacher", "organization", "programme", "diagnostic", "diagnostic_result", "trajectory",
              "trajectory_item", "mentorship", "community", "community_member", "event", "participation",
              "material", "material_file", "review", "agreement", "agreement_party", "info_request",
              "network_course", "course_enrolment", "municipality", "organization_role", "audit_log"):
        assert t in tables


def test_an_older_database_is_backed_up_then_upgraded_keeping_its_data(tmp_path):
    path = tmp_path / "old.sqlite"
    db = _db(path)
    cfg = alembic_config(db)
    with db.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001_initial")
        conn.commit()
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO organization (id, origin, created_at, updated_at, row_version, change_seq, search_key,"
            " full_name, short_name, kind, address, website, head_name)"
            " VALUES ('o1', '', '2020-01-01', '2020-01-01', 1, 1, '', 'Школа № 1', '', 'school', '', '', '')")
    db.dispose()

    db2, result = open_database(str(path))
    assert result.from_revision == "0001_initial"
    assert result.to_revision == head_revision()
    assert result.backup_path is not None and result.backup_path.exists()
    backup = sqlite3.connect(result.backup_path)
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001_initial"
    assert backup.execute("SELECT full_name FROM organization").fetchall() == [("Школа № 1",)]
    backup.close()
    with db2.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT full_name FROM organization").scalar() == "Школа № 1"
        assert conn.exec_driver_sql("SELECT value FROM app_meta WHERE key='hours_per_credit'").scalar() == "36"


def test_a_database_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "future.sqlite"
    db, _ = open_database(str(path))
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num='9999_future'")
    db.dispose()
    with pytest.raises(SchemaError, match="более новой версией"):
        open_database(str(path))
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "9999_future"
    con.close()


def test_a_foreign_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE photos (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(SchemaError, match="не является базой данных МетодСети"):
        open_database(str(path))


def test_a_file_that_is_not_sqlite_gives_a_russian_message(tmp_path):
    path = tmp_path / "garbage.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(SchemaError, match="Не удалось открыть базу данных"):
        open_database(str(path))


def test_upgrade_is_idempotent(tmp_path):
    db, _ = open_database(str(tmp_path / "x.sqlite"))
    again = upgrade_database(db)
    assert again.from_revision == again.to_revision == head_revision()
    assert again.backup_path is None


def test_models_and_migrations_agree(tmp_path):
    """A model change without a migration would make autogenerate find differences."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from app.storage.base import Base

    db, _ = open_database(str(tmp_path / "cmp.sqlite"))
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_the_head_revision_constant_matches_the_scripts():
    from alembic.script import ScriptDirectory

    from app.storage.migrate import HEAD_REVISION, MIGRATIONS_DIR

    assert ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head() == HEAD_REVISION
