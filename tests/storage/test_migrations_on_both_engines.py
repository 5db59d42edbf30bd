"""The same Alembic migrations build the same schema on SQLite and on PostgreSQL."""
from __future__ import annotations

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, Numeric, String, Text, inspect

from app.storage.database import Database
from app.storage.migrate import HEAD_REVISION, current_revision, upgrade_database


def _kind(column_type) -> str:
    """The family of a reflected type: the engines name them differently (VARCHAR/TEXT, REAL/DOUBLE …)."""
    for family, classes in (("bool", (Boolean,)), ("datetime", (DateTime,)), ("date", (Date,)),
                            ("int", (Integer,)), ("real", (Float, Numeric)), ("text", (String, Text))):
        if isinstance(column_type, classes):
            return family
    return type(column_type).__name__


def _schema(db: Database) -> dict:
    insp = inspect(db.engine)
    out = {}
    for table in sorted(insp.get_table_names()):
        columns = {c["name"]: (_kind(c["type"]), bool(c["nullable"])) for c in insp.get_columns(table)}
        fks = sorted((tuple(f["constrained_columns"]), f["referred_table"]) for f in insp.get_foreign_keys(table))
        # PostgreSQL also lists the index behind a UNIQUE constraint; SQLite names only the constraint.
        # The trigram search indexes are PostgreSQL's own (migration 0016); SQLite searches with instr().
        indexes = sorted({(tuple(i["column_names"]), bool(i["unique"])) for i in insp.get_indexes(table)
                          if not i["name"].startswith("ix_trgm_")}
                         | {(tuple(u["column_names"]), True) for u in insp.get_unique_constraints(table)})
        pk = tuple(insp.get_pk_constraint(table)["constrained_columns"])
        out[table] = {"columns": columns, "fks": fks, "indexes": indexes, "pk": pk}
    return out


def test_every_migration_builds_the_same_schema_on_both_engines(tmp_path, pg_cluster):
    lite = Database("sqlite:///" + str(tmp_path / "fresh.sqlite"))
    pg = Database(pg_cluster.new_database())
    try:
        for db in (lite, pg):
            upgrade_database(db, None)
            assert current_revision(db) == HEAD_REVISION
        a, b = _schema(lite), _schema(pg)
        assert sorted(a) == sorted(b)
        differences = {t: {k: (a[t][k], b[t][k]) for k in a[t] if a[t][k] != b[t][k]} for t in a if a[t] != b[t]}
        assert differences == {}
        searchable = sorted(t for t in a if "search_key" in a[t]["columns"])
        trigram = sorted(i["name"][len("ix_trgm_"):] for t in b for i in inspect(pg.engine).get_indexes(t)
                         if i["name"].startswith("ix_trgm_"))
        assert searchable and trigram == searchable
    finally:
        lite.dispose()
        pg.dispose()


def _server_database_at_0015(pg_cluster) -> str:
    """A new server database at revision 0015 holding one organisation «Школа № 1»; its URL."""
    from alembic import command
    from sqlalchemy import insert

    from app.storage.migrate import alembic_config
    from app.storage.models import Organization

    url = pg_cluster.new_database()
    old = Database(url)
    try:
        cfg = alembic_config(old)
        with old.engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0015_personal_data_levels")
            conn.commit()
        with old.engine.begin() as conn:       # the organisation table is unchanged since 0015
            conn.execute(insert(Organization.__table__).values(
                id="o1", origin="46-231", row_version=1, change_seq=1, full_name="Школа № 1",
                short_name="Школа № 1", kind="school"))
    finally:
        old.dispose()
    return url


def test_a_server_database_at_an_older_revision_is_upgraded_with_its_rows(pg_cluster):
    from app.services.common.bootstrap import open_database

    url = _server_database_at_0015(pg_cluster)
    db, result = open_database(url)
    try:
        assert (result.from_revision, current_revision(db)) == ("0015_personal_data_levels", HEAD_REVISION)
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT full_name FROM organization").scalar() == "Школа № 1"
    finally:
        db.dispose()


def test_a_server_database_from_a_newer_program_is_refused_untouched(pg_cluster):
    import pytest

    from app.services.common.bootstrap import open_database
    from app.storage.migrate import SchemaError

    url = pg_cluster.new_database()
    db, _ = open_database(url)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num='9999_future'")
    db.dispose()
    with pytest.raises(SchemaError, match="более новой версией"):
        open_database(url)
    again = Database(url)
    try:
        assert current_revision(again) == "9999_future"
    finally:
        again.dispose()


def test_a_failed_upgrade_on_the_server_is_rolled_back_whole(pg_cluster):
    import pytest
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from app.services.common.bootstrap import open_database
    from app.storage.migrate import SchemaError

    url = _server_database_at_0015(pg_cluster)

    def breaks_at_the_last_step(conn, cursor, statement, parameters, context, executemany):
        # 0016 and 0017 have run in this transaction; 0018's first statement fails.
        if statement.startswith("CREATE SEQUENCE change_seq_numbers"):
            raise RuntimeError("ошибка в миграции 0018")

    event.listen(Engine, "before_cursor_execute", breaks_at_the_last_step)
    try:
        with pytest.raises(SchemaError, match="Сервер отменил обновление целиком") as refused:
            open_database(url)
    finally:
        event.remove(Engine, "before_cursor_execute", breaks_at_the_last_step)
    assert "Копия перед обновлением:" in str(refused.value)     # the client tools are installed here
    again = Database(url)
    try:
        assert current_revision(again) == "0015_personal_data_levels"
        with again.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT full_name FROM organization").scalar() == "Школа № 1"
    finally:
        again.dispose()
