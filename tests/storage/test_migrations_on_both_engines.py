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
