"""Engine and unit-of-work factory.

SQLite is configured as SYNC.md asks on every connection: WAL, synchronous=FULL
(with NORMAL a committed transaction can vanish after a power cut), foreign
keys on, a busy timeout; and pysqlite's own transaction handling is replaced by
SQLAlchemy's documented recipe so that BEGIN is emitted exactly when we mean it.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.domain.names import search_key
from app.storage.base import Searchable, Synced, utcnow
from app.storage import write_guard
from app.storage.driver_errors import report_lost_server
from app.storage.numbering import next_change_seq
from app.storage.models import AppMeta
from app.storage.write_guard import WriteGuard

BUSY_TIMEOUT_MS = 10_000
READ_ONLY_OPTION = "metodset_read_only"


def resolve_url(db: str | os.PathLike | None, default_path: Path | None = None) -> str:
    """A file path or an SQLAlchemy URL → an SQLAlchemy URL."""
    if db is None:
        if default_path is None:
            raise ValueError("no database given")
        db = default_path
    text = os.fspath(db)
    if "://" in text:
        return text
    return "sqlite:///" + str(Path(text).expanduser().resolve())


def _configure_sqlite(engine: Engine) -> None:
    _on_connect_set(engine, "journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON")


def _configure_sqlite_reader(engine: Engine) -> None:
    # A reader that tries to write — a bug, or SQL that slipped past the guard — fails in SQLite itself.
    _on_connect_set(engine, "foreign_keys=ON", "query_only=ON")


def _configure_postgres_reader(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        dbapi_connection.autocommit = autocommit


def _on_connect_set(engine: Engine, *pragmas: str) -> None:
    """Every new connection of ``engine``: our own transaction handling, the busy timeout, then ``pragmas``."""
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (f"busy_timeout={BUSY_TIMEOUT_MS}", *pragmas):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    _begin_as_planned(engine)


def _begin_as_planned(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A writer takes the lock up front (IMMEDIATE): a second writer waits
        # (busy timeout) instead of failing half-way through a user's action.
        # Readers start a deferred transaction and, under WAL, never wait.
        if connection.get_execution_options().get(READ_ONLY_OPTION):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """One database: its engine, and units of work on it."""

    def __init__(self, url: str, *, echo: bool = False):
        self.url = url
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.path: Path | None = None
        if self.is_sqlite and parsed.database and parsed.database != ":memory:":
            self.path = Path(parsed.database)
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # A server connection is pinged when taken from the pool, so the first action after the server
        # was restarted (or the network came back) reconnects instead of failing on a dead connection.
        server_options = {} if self.is_sqlite else {"pool_pre_ping": True}
        self.engine = create_engine(url, echo=echo, **server_options)
        if self.is_sqlite:
            _configure_sqlite(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Set by the service layer when someone signs in (app/services/access/permissions.py);
        # None = no accounts yet (set-up mode) or the installation's own work.
        self.guard: WriteGuard | None = None
        self.account = None
        write_guard.install(self, self._sessions)
        event.listen(self._sessions, "before_flush", self._stamp_changes)
        self._reader_engine = self.engine
        reader_options = {READ_ONLY_OPTION: True}
        if self.path is not None:
            # Readers have connections of their own that cannot write (PRAGMA query_only).
            self._reader_engine = create_engine(url, echo=echo)
            _configure_sqlite_reader(self._reader_engine)
        elif parsed.get_backend_name() == "postgresql":
            # READ ONLY transactions, each one snapshot of the database (REPEATABLE READ), as SQLite's WAL gives.
            # Set once per connection: an execution option would set and reset it on every checkout.
            # The isolation level is the engine's own, not the session's default: SQLAlchemy puts it back
            # after a statement run without a transaction (``read_statement``), a session default it would not.
            self._reader_engine = create_engine(url, echo=echo, isolation_level="REPEATABLE READ", **server_options)
            _configure_postgres_reader(self._reader_engine)
            report_lost_server(self.engine)
            report_lost_server(self._reader_engine)
        self._readers = sessionmaker(self._reader_engine.execution_options(**reader_options), expire_on_commit=False)
        self._origin: str | None = None

    # -- units of work -------------------------------------------------
    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on error."""
        with self._sessions() as s, s.begin():
            s.info["account"] = self.account
            s.info["db_user"] = self.db_user
            yield s

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work: sees one consistent snapshot and never waits for a writer."""
        with self._readers() as s:
            try:
                yield s
            finally:
                s.rollback()

    def read_statement(self, statement, params: dict | None = None) -> list:
        """The rows of one read-only statement, on its own: the same snapshot as ``read`` gives, since one
        statement sees one. On a server it runs without BEGIN and ROLLBACK around it — two of the three
        round trips a small report's query would make (a report per municipality runs dozens of times)."""
        if self.is_sqlite:
            with self.read() as s:
                return list(s.execute(statement, params or {}))
        with self._reader_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            return list(conn.execute(statement, params or {}))

    def dispose(self) -> None:
        self.engine.dispose()
        if self._reader_engine is not self.engine:
            self._reader_engine.dispose()

    @property
    def db_user(self) -> str:
        """The role the server sees (PostgreSQL: the URL's user, else libpq's default, the OS user)."""
        if self.is_sqlite:
            return ""
        name = make_url(self.url).username
        if name:
            return name
        import getpass

        try:
            return os.environ.get("PGUSER") or getpass.getuser()
        except Exception:  # noqa: BLE001 - getpass raises various errors without a login name
            return ""

    def describe(self) -> str:
        return str(self.path) if self.path else make_url(self.url).render_as_string(hide_password=True)

    def has_schema(self) -> bool:
        return inspect(self.engine).has_table("alembic_version")

    # -- installation settings -----------------------------------------
    def origin(self, s: Session | None = None) -> str:
        """The municipality code stamped on new rows (set by ``sync init`` or demo)."""
        if self._origin is None:
            if s is None:
                with self.session() as own:
                    return self.origin(own)
            self._origin = s.scalar(select(AppMeta.value).where(AppMeta.key == "municipality_code")) or ""
        return self._origin

    def forget_settings(self) -> None:
        self._origin = None

    # -- change tracking -----------------------------------------------
    def next_change_seq(self, s: Session) -> int:
        return next_change_seq(s)

    def _stamp_changes(self, s: Session, _flush_context, _instances) -> None:
        seq: int | None = None
        now = utcnow()
        for obj in list(s.new) + list(s.dirty):
            if not isinstance(obj, Synced):
                continue
            is_new = obj in s.new
            if not is_new and not s.is_modified(obj, include_collections=False):
                continue
            if seq is None:
                seq = self.next_change_seq(s)
            obj.change_seq = seq
            if is_new:
                if not obj.origin:
                    obj.origin = self.origin(s)
                obj.created_at = obj.created_at or now
                obj.updated_at = obj.updated_at or now
                obj.row_version = obj.row_version or 1
            else:
                obj.updated_at = now
                obj.row_version = (obj.row_version or 0) + 1
            if isinstance(obj, Searchable):
                obj.search_key = row_search_key(type(obj), obj.__dict__)


def row_search_key(model: type, values: dict) -> str:
    parts = [str(values.get(f) or "") for f in model.__search_fields__]
    if "snils" in model.__search_fields__ and values.get("snils"):
        # СНИЛС is typed with and without separators; keep both spellings findable.
        parts.append("".join(ch for ch in str(values["snils"]) if ch.isdigit()))
    return search_key(*parts)


def lock_for_transaction(s: Session, name: str) -> None:
    """Holds a named lock until this transaction ends, so that two writers doing the same thing take turns.

    SQLite has one writer at a time already (BEGIN IMMEDIATE); PostgreSQL takes a
    transaction-scoped advisory lock on a 63-bit number derived from the name.
    """
    if s.get_bind().dialect.name != "postgresql":
        return
    import hashlib

    key = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big", signed=True)
    s.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
