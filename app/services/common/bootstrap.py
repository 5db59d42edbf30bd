"""Opening the database an action works on: where it lives, and its schema brought up to date."""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from sqlalchemy.engine import make_url

from app.storage.database import Database, resolve_url
from app.storage.backup import remove_leftovers
from app.storage.driver_errors import driver_message, needs_password
from app.storage.file_store import FileStore
from app.storage.migrate import MigrationResult, SchemaError, upgrade_database
from app.services.common.errors import describe_os_error
from app.storage.single_writer import DatabaseInUse, WriterLock, network_share_reason, refuse_network_share

APP_NAME = "MetodSet"
ENV_DATA_DIR = "METODSET_DATA_DIR"
DEFAULT_DATABASE_FILE = "metodset.sqlite"


def data_dir() -> Path:
    """The user's data folder (overridable for tests and portable installs)."""
    path = data_dir_path()
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir_path() -> Path:
    """Where the user's data folder is, without creating it."""
    override = os.environ.get(ENV_DATA_DIR)
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def data_folder_warning(folder: Path | None = None) -> str | None:
    """Why the data folder (keys, backups, settings, the default database) is a poor home for them — it
    cannot be written, or it lies on a network share — in one Russian sentence; None when it is fine."""
    folder = folder or data_dir_path()
    advice = ("Укажите папку на локальном диске этого компьютера, доступную для записи "
              f"(переменная {ENV_DATA_DIR} или мастер первого запуска).")
    reason = network_share_reason(folder)
    if reason:
        return (f"Папка данных МетодСети {folder} находится в сетевой папке ({reason}): резервные копии и ключи "
                f"обмена там ненадёжны, а база SQLite может быть повреждена. {advice}")
    # The folder is not made here (a folder typed in the wizard and then changed must not stay behind):
    # the nearest one that exists is the one written into when it is made.
    existing = folder
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    try:
        if not existing.is_dir():
            raise NotADirectoryError(20, "это файл, а не папка", str(existing))
        probe = existing / f".write-check-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        return (f"В папку данных МетодСети {folder} нельзя записывать ({describe_os_error(exc, with_path=False)}): база, резервные "
                f"копии и настройки не сохранятся. {advice}")
    return None


def first_start() -> bool:
    """No database of the user's own yet: the program has never been set up under this account."""
    return not default_database_path().exists()


def default_database_path() -> Path:
    """The user's own database (its folder is made when the database is opened, not when it is named)."""
    return data_dir_path() / DEFAULT_DATABASE_FILE


def backups_dir(db: Database) -> Path:
    base = db.path.parent if db.path is not None else data_dir()
    return base / "backups"


def files_dir(db: Database) -> Path:
    """Where attached files live: beside the database file, so one folder holds both."""
    base = db.path.parent if db.path is not None else data_dir()
    stem = db.path.stem if db.path is not None else "metodset"
    return base / f"{stem}-files"


def file_store(db: Database) -> FileStore:
    return FileStore(files_dir(db))


def database_file(db: str | os.PathLike | None = None) -> Path | None:
    """The SQLite file ``db`` names (None for a non-file URL)."""
    url = resolve_url(db, default_database_path())
    return Path(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else None


def open_database(db: str | os.PathLike | None = None, *, exclusive: bool = False, password: str | None = None
                  ) -> tuple[Database, MigrationResult]:
    """Opens (creating if needed) and migrates; raises SchemaError with a Russian message.

    ``password``: a PostgreSQL password the user typed (otherwise libpq's PGPASSWORD or ~/.pgpass).

    ``exclusive`` (the GUI and the command line): refuses a database on a network
    share and one another copy of the program holds (DatabaseInUse), keeping the
    writer lock until close_database.
    """
    url = resolve_url(db, default_database_path())
    if password is not None:
        # Typed at a prompt: kept in memory only (Database.describe and the logs never show it).
        url = make_url(url).set(password=password).render_as_string(hide_password=False)
    try:
        database = Database(url)
    except Exception as exc:  # noqa: BLE001 - a driver that is missing or refuses the URL
        raise SchemaError(f"Не удалось открыть базу данных: {driver_message(exc)}") from exc
    lock = None
    try:
        if exclusive and database.path is not None:
            refuse_network_share(database.path)
            lock = WriterLock(database.path).acquire()
            database.writer_lock = lock
            for folder in (backups_dir(database), files_dir(database)):
                remove_leftovers(folder)
        result = upgrade_database(database, backups_dir(database))
    except (SchemaError, DatabaseInUse):
        database.dispose()
        if lock is not None:
            lock.release()
        raise
    except Exception as exc:  # noqa: BLE001 - a broken file must become a message, not a traceback
        database.dispose()
        if lock is not None:
            lock.release()
        kind = PasswordRequired if needs_password(exc) else SchemaError
        raise kind(f"Не удалось открыть базу данных {database.describe()}: {driver_message(exc)}") from exc
    return database, result


class PasswordRequired(SchemaError):
    """The PostgreSQL server wants a (right) password: ask the user and open again with ``password=``."""

    def user_at(self, db: str | os.PathLike | None) -> str:
        u = make_url(resolve_url(db, default_database_path()))
        return f"{u.username or os.environ.get('PGUSER') or 'пользователь'} на сервере {u.host or u.query.get('host') or 'localhost'}"


def close_database(db: Database) -> None:
    """Releases the file (connections, WAL, the writer lock) when the application is done with it."""
    db.dispose()
    lock = getattr(db, "writer_lock", None)
    if lock is not None:
        lock.release()


__all__ = ["close_database", "file_store", "files_dir", "open_database", "data_dir", "default_database_path", "backups_dir", "SchemaError",
           "DatabaseInUse"]
