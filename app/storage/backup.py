"""Backups with SQLite's online backup API (never a copy of a live file without its WAL)."""
from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.storage.driver_errors import driver_message

if TYPE_CHECKING:
    from app.storage.database import Database


class BackupError(RuntimeError):
    """A backup or restore that cannot be done (Russian message)."""


def _require_file(db: "Database") -> Path:
    if db.path is None:
        raise BackupError("Резервное копирование доступно только для встроенной базы SQLite (файла).")
    return db.path


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_pages(source_uri: str, dest: Path | str, journal_mode: str) -> None:
    """SQLite's online backup of ``source_uri`` into ``dest``, which is left in ``journal_mode``."""
    source = sqlite3.connect(source_uri, uri=True)
    try:
        target = sqlite3.connect(dest)
        try:
            source.backup(target)
            target.execute(f"PRAGMA journal_mode={journal_mode}")
        finally:
            target.close()
    finally:
        source.close()


def copy_sqlite(src: Path, dest: Path) -> None:
    """Copies a consistent snapshot of ``src`` to ``dest`` atomically (temp name, fsync, replace)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    leftovers = (tmp, tmp.with_name(tmp.name + "-journal"), tmp.with_name(tmp.name + "-wal"))
    for path in leftovers:          # what a killed earlier copy left behind
        path.unlink(missing_ok=True)
    try:
        # The backup is a standalone file: no WAL beside it.
        _copy_pages(str(src), tmp, "DELETE")
        _fsync(tmp)
        os.chmod(tmp, 0o600)
        os.replace(tmp, dest)
    except BaseException:
        # A full disk or a read-only folder: no half-written copy stays beside the target.
        for path in leftovers:
            path.unlink(missing_ok=True)
        raise


LEFTOVER_PATTERNS = ("*.part", "*.part-journal", "*.part-wal", ".incoming-*")


def remove_leftovers(folder: Path) -> list[Path]:
    """Deletes what killed copies left in ``folder`` (half-written backups, incoming attachments).

    Called by the one writer at start, when no copy of its own can be in progress.
    """
    removed = []
    if not Path(folder).is_dir():
        return removed
    for pattern in LEFTOVER_PATTERNS:
        for path in Path(folder).glob(pattern):
            try:
                if path.is_file():
                    path.unlink()
                    removed.append(path)
            except OSError:
                pass        # still open elsewhere (Windows): the next start tries again
    return removed


def backup_database(db: "Database", target_dir: Path, reason: str = "manual") -> Path:
    """Writes ``<name>-<timestamp>-<reason>.sqlite`` into ``target_dir``."""
    src = _require_file(db)
    # Copies hold the same personal data as the database: readable by the owner only (POSIX).
    Path(target_dir).mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    dest = Path(target_dir) / f"{src.stem}-{stamp}-{reason}.sqlite"
    copy_sqlite(src, dest)
    return dest


def backup_to(db: "Database", dest: Path) -> Path:
    source = _require_file(db)
    try:
        copy_sqlite(source, Path(dest))
    except (OSError, sqlite3.Error) as exc:      # a read-only or missing folder, a full disk
        raise BackupError(f"Не удалось сохранить резервную копию «{dest}»: {driver_message(exc)}.") from None
    return Path(dest)


def check_backup_file(path: Path) -> None:
    """Refuses anything that is not a sound МетодСеть database."""
    if not path.is_file():
        raise BackupError(f"Файл резервной копии не найден: {path}")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = con.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"Файл {path} не является базой данных SQLite ({exc}).") from exc
    if "alembic_version" not in tables or "teacher" not in tables:
        raise BackupError(f"Файл {path} не является резервной копией МетодСети.")
    if result != "ok":
        raise BackupError(f"Резервная копия {path} повреждена: {result}")


def count_rows(path: Path, table: str) -> int | None:
    """Rows of ``table`` in a database file (read-only); None if the file has no such table."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)).fetchone() is None:
            return None
        return con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    finally:
        con.close()


def max_id(path: Path, table: str) -> int | None:
    """The highest ``id`` of ``table`` in a database file; None if it has no such table or no rows."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)).fetchone() is None:
            return None
        return con.execute(f'SELECT max(id) FROM "{table}"').fetchone()[0]
    finally:
        con.close()


def set_meta(path: Path, key: str, value: str) -> None:
    """Writes one ``app_meta`` value into a database file that is not open (a copy just put in place)."""
    con = sqlite3.connect(str(path))
    try:
        if con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='app_meta'").fetchone() is not None:
            with con:
                con.execute("INSERT OR REPLACE INTO app_meta (key, value) VALUES (?, ?)", (key, value))
    finally:
        con.close()


def _columns(con: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [r[1] for r in con.execute(f'PRAGMA {schema}.table_info("{table}")')]


def _carry_tables(live: Path, staged: Path, tables: tuple[str, ...]) -> None:
    """Replaces ``tables`` in ``staged`` with their rows in ``live``, in one transaction.

    Only the columns both files have are carried (the copy may be of an older schema,
    upgraded after the restore); a carried row pointing at a record the copy lacks
    loses that reference rather than breaking a foreign key.
    """
    con = sqlite3.connect(staged, uri=True, isolation_level=None)
    try:
        con.execute("ATTACH DATABASE ? AS live", (f"file:{live}?mode=ro",))
        con.execute("BEGIN IMMEDIATE")
        for table in tables:
            shared = [c for c in _columns(con, "main", table) if c in set(_columns(con, "live", table))]
            if not shared:
                continue
            names = ", ".join(f'"{c}"' for c in shared)
            con.execute(f'DELETE FROM main."{table}"')
            con.execute(f'INSERT INTO main."{table}" ({names}) SELECT {names} FROM live."{table}"')
            references = {r[0]: r[3] for r in con.execute(f'PRAGMA main.foreign_key_list("{table}")')}
            for _table, rowid, _parent, fk_id in con.execute(f'PRAGMA main.foreign_key_check("{table}")').fetchall():
                con.execute(f'UPDATE main."{table}" SET "{references[fk_id]}" = NULL WHERE rowid = ?', (rowid,))
        con.execute("COMMIT")
    finally:
        con.close()


def restore_database(db: "Database", backup_file: Path, keep_tables: tuple[str, ...] = ()) -> None:
    """Replaces the contents of the live database with the backup, through the backup API.

    ``keep_tables`` keep their current rows (the accounts: who may work with the
    database now is not what it was when the copy was made). The copy is staged
    beside the database first, so the live file is replaced in one step either way.
    """
    target_path = _require_file(db)
    backup_file = Path(backup_file)
    check_backup_file(backup_file)
    db.dispose()
    if not keep_tables:
        _copy_pages(f"file:{backup_file}?mode=ro", target_path, "WAL")
        db.forget_settings()
        return
    staged = target_path.with_name(target_path.name + ".restore.part")
    leftovers = (staged, staged.with_name(staged.name + "-journal"))
    try:
        _copy_pages(f"file:{backup_file}?mode=ro", staged, "DELETE")
        _carry_tables(target_path, staged, keep_tables)
        _copy_pages(str(staged), target_path, "WAL")
    finally:
        for path in leftovers:
            path.unlink(missing_ok=True)
    db.forget_settings()
