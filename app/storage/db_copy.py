"""Moving a centre's database onto a server: every table of a SQLite file into an empty PostgreSQL database.

The target gets its schema from the same migrations, then every row in one
transaction (a failure leaves it as the migrations made it, so the copy can
simply be run again). Afterwards each table is compared on both sides: the
number of rows and a SHA-256 over its rows in key order, each value in one
canonical spelling, so a value the server stored differently is caught.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable

from sqlalchemy import Integer, Table, delete, func, insert, inspect, select, text

from app.storage.base import Base
from app.storage.database import Database
from app.storage.numbering import continue_numbering, last_change_seq

CHUNK = 2000
Progress = Callable[[float, str], None]
# Tables that, with rows in them, mean the target already holds a centre's data.
_DATA_TABLES = ("account", "teacher", "organization", "event", "audit_log", "sync_package")


class CopyRefused(RuntimeError):
    """The copy cannot be made or did not verify (Russian message)."""


@dataclass
class TableCheck:
    name: str
    rows: int
    checksum: str


@dataclass
class CopyResult:
    tables: list[TableCheck] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def _tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables]


def holds_data(db: Database) -> int:
    """Rows of a centre's data in the database (0 for an empty one or one only the migrations filled)."""
    with db.engine.connect() as conn:
        present = set(inspect(conn).get_table_names())
        found = 0
        for name in _DATA_TABLES:
            if name in present:
                found += conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar() or 0
        conn.rollback()
    return found


def _canonical(value) -> object:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


def table_check(db: Database, table: Table) -> TableCheck:
    digest = hashlib.sha256()
    n = 0
    order = list(table.primary_key.columns) or list(table.c)
    with db.engine.connect() as conn:
        for row in conn.execute(select(table).order_by(*order)).yield_per(CHUNK):
            digest.update(json.dumps([_canonical(v) for v in row], ensure_ascii=False, default=str).encode())
            digest.update(b"\n")
            n += 1
        conn.rollback()
    return TableCheck(table.name, n, digest.hexdigest())


def copy_database(source: Database, target: Database, *, progress: Progress | None = None) -> CopyResult:
    """Copies every row of ``source`` into ``target`` (schema already at the same revision) and verifies it."""
    from app.storage.migrate import current_revision

    if current_revision(source) != current_revision(target):
        raise CopyRefused(f"Схемы не совпадают: источник {current_revision(source)}, цель {current_revision(target)}.")
    tables = _tables()
    with target.engine.begin() as dst, source.engine.connect() as src:
        for table in reversed(tables):
            dst.execute(delete(table))          # the rows the migrations seeded come from the source instead
        for n, table in enumerate(tables):
            if progress:
                progress(n / len(tables) * 0.8, f"Копирование: {table.name}")
            batch = []
            for row in src.execute(select(table)).mappings().yield_per(CHUNK):
                batch.append(dict(row))
                if len(batch) >= CHUNK:
                    dst.execute(insert(table), batch)
                    batch = []
            if batch:
                dst.execute(insert(table), batch)
        continue_numbering(dst, last_change_seq(src))
        if target.engine.dialect.name == "postgresql":
            _advance_sequences(dst, tables)
            # Fresh statistics: without them the planner guesses over tables it thinks are empty.
            dst.execute(text("ANALYZE"))
        src.rollback()
    result = CopyResult()
    for n, table in enumerate(tables):
        if progress:
            progress(0.8 + n / len(tables) * 0.2, f"Сверка: {table.name}")
        mine, theirs = table_check(source, table), table_check(target, table)
        if (mine.rows, mine.checksum) != (theirs.rows, theirs.checksum):
            raise CopyRefused(f"Сверка не сошлась в таблице «{table.name}»: в источнике {mine.rows} строк, "
                              f"в копии {theirs.rows}" + ("" if mine.rows != theirs.rows else
                                                          ", содержимое отличается") + ".")
        result.tables.append(theirs)
    return result


def _advance_sequences(conn, tables: list[Table]) -> None:
    """Rows came with their own integer ids: each serial sequence goes past the largest one."""
    for table in tables:
        for col in table.primary_key.columns:
            if isinstance(col.type, Integer) and col.autoincrement in (True, "auto"):
                conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{col.name}'), "
                    f"coalesce((SELECT max(\"{col.name}\") FROM \"{table.name}\"), 0) + 1, false)"))


def row_counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        out = {t.name: conn.execute(select(func.count()).select_from(t)).scalar() for t in _tables()}
        conn.rollback()
    return out
