"""Upgrades lose nothing: every release's committed databases, upgraded by every later migration.

tests/data/release-<version>-*.sqlite were made by that release (tools/make_release_db.py) and are
never regenerated. Each is upgraded on a copy to today's head; every table it had keeps every row,
column by column, unless a migration below says how it changed them on purpose."""
from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from alembic import command

from app.release import version
from app.services.accounts import accounts
from app.services.common.bootstrap import close_database, open_database
from app.storage import migrate
from app.storage.migrate import PROGRAM_VERSION_KEY, SchemaError, current_revision, head_revision, known_revisions

DATA = Path(__file__).resolve().parents[1] / "data"
RELEASES = sorted(DATA.glob("release-*.sqlite"))
# Rows a later migration rewrites on purpose: {table: reason}. Empty while no migration does.
REWRITTEN_BY_MIGRATION: dict[str, str] = {}
# Keys of app_meta that an upgrade itself writes.
WRITTEN_BY_UPGRADE = {PROGRAM_VERSION_KEY}


def _contents(path: Path) -> dict[str, tuple[list[str], Counter]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        out = {}
        for table in tables:
            columns = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
            out[table] = (columns, Counter(con.execute(f'SELECT * FROM "{table}"').fetchall()))
        return out
    finally:
        con.close()


def _rows(path: Path, table: str, columns: list[str]) -> Counter:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        listed = ", ".join(f'"{c}"' for c in columns)
        return Counter(con.execute(f'SELECT {listed} FROM "{table}"').fetchall())
    finally:
        con.close()


def test_every_release_keeps_its_databases_here():
    assert RELEASES, "tests/data holds no release database (tools/make_release_db.py)"
    assert any(p.name.startswith(f"release-{version()}-") for p in RELEASES) or \
        any(_revision(p) != head_revision() for p in RELEASES), (
        "the schema moved on since the last committed release database: make this release's "
        "(tools/make_release_db.py) before its first migration")


def _revision(path: Path) -> str:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("release", RELEASES, ids=[p.stem for p in RELEASES])
def test_a_release_database_upgrades_with_every_row_kept(release, tmp_path):
    original = _contents(release)
    assert _revision(release) in known_revisions()
    empty = [t for t, (_c, rows) in original.items() if not rows and t != "alembic_version"]
    assert len(empty) <= 2, f"the release database should fill its tables; empty: {empty}"
    copy = tmp_path / "centre.sqlite"
    shutil.copy(release, copy)

    db, result = open_database(str(copy))
    try:
        assert current_revision(db) == head_revision()
        if result.from_revision != head_revision():
            assert result.backup_path is not None and _revision(result.backup_path) == _revision(release)
    finally:
        close_database(db)

    for table, (columns, rows) in original.items():
        if table in ("alembic_version",) or table in REWRITTEN_BY_MIGRATION:
            continue
        upgraded = _rows(copy, table, columns)
        if table == "app_meta":
            upgraded = Counter({r: n for r, n in upgraded.items() if r[0] not in WRITTEN_BY_UPGRADE})
            rows = Counter({r: n for r, n in rows.items() if r[0] not in WRITTEN_BY_UPGRADE})
        lost, gained = rows - upgraded, upgraded - rows
        assert not lost and not gained, f"{table}: lost {list(lost)[:3]}, gained {list(gained)[:3]}"

    # And the program works on it: its accounts still sign in (a sign-in writes, so it comes last).
    db, _ = open_database(str(copy))
    try:
        accounts.sign_in(db, "admin", "demo")
        assert accounts.has_accounts(db)
    finally:
        close_database(db)


def test_a_failed_migration_puts_the_file_back_and_says_where_the_copy_is(tmp_path, monkeypatch):
    path = tmp_path / "centre.sqlite"
    db, _ = open_database(str(path))
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO organization (id, origin, created_at, updated_at, row_version, change_seq, search_key,"
            " full_name, short_name, kind, address, website, head_name)"
            " VALUES ('o1', '', '2020-01-01', '2020-01-01', 1, 1, '', 'Школа № 1', '', 'school', '', '', '')")
    close_database(db)
    _step_back(path, "0016_postgres_search_indexes")
    before = _contents(path)

    real_upgrade = command.upgrade

    def breaks_halfway(cfg, target):
        real_upgrade(cfg, "0017_audit_db_user")       # one step done (and committed by SQLite) …
        cfg.attributes["connection"].exec_driver_sql("DROP TABLE organization")
        raise RuntimeError("ошибка в миграции 0018")   # … then the next one breaks

    monkeypatch.setattr(command, "upgrade", breaks_halfway)
    with pytest.raises(SchemaError) as refused:
        open_database(str(path))
    text = str(refused.value)
    assert "Не удалось обновить схему базы" in text and "ошибка в миграции 0018" in text
    assert "возвращена в прежнее состояние из копии" in text
    copy = Path(text.split("из копии ")[1].split(";")[0])
    assert copy.is_file() and _revision(copy) == "0016_postgres_search_indexes"
    assert _contents(path) == before                   # the organisation and the old revision are back
    monkeypatch.setattr(command, "upgrade", real_upgrade)
    db, result = open_database(str(path))              # the next start, with a mended program, upgrades
    try:
        assert result.from_revision == "0016_postgres_search_indexes" and current_revision(db) == head_revision()
    finally:
        close_database(db)


def _step_back(path: Path, revision: str) -> None:
    """The database as an older release left it: downgraded to ``revision``."""
    from app.storage.database import Database

    db = Database("sqlite:///" + str(path))
    cfg = migrate.alembic_config(db)
    with db.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
        conn.commit()
    db.dispose()


def test_a_newer_database_is_refused_naming_both_versions(tmp_path):
    path = tmp_path / "future.sqlite"
    db, _ = open_database(str(path))
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num='0031_future_reports'")
        conn.exec_driver_sql(f"UPDATE app_meta SET value='0.4.2' WHERE key='{PROGRAM_VERSION_KEY}'")
    close_database(db)
    with pytest.raises(SchemaError) as refused:
        open_database(str(path))
    text = str(refused.value)
    assert "МетодСетью 0.4.2" in text and f"у вас МетодСеть {version()}" in text
    assert "0031_future_reports" in text and head_revision() in text and "База не изменена" in text


def test_a_new_database_records_the_program_version(tmp_path):
    db, _ = open_database(str(tmp_path / "new.sqlite"))
    try:
        assert migrate.recorded_program_version(db) == version()
    finally:
        close_database(db)
