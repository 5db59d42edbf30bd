"""A hook that lets the service layer refuse writes, whichever service makes them.

Storage knows nothing of accounts or roles: ``Database.guard`` is any object
with the three methods of ``WriteGuard`` (app/services/access/permissions.py provides
one per signed-in account), and every write path asks it first:

- ORM flushes (``before_flush``): each new, changed or deleted object;
- ORM-enabled statements (``do_orm_execute``): bulk UPDATE/DELETE/INSERT by model;
- everything else that reaches the driver (``before_cursor_execute``): raw SQL,
  Core statements, counters — refused by table name (a ``WITH …`` clause and
  comments in front of the statement are looked past);
- and, beneath all of these, SQLite's own authorizer on every connection of the
  engine, which sees what each compiled statement really writes — also for a
  driver connection taken past SQLAlchemy (``engine.raw_connection()``). On
  PostgreSQL, whose driver has no authorizer, every cursor of the connection
  checks its statement by table instead (COPY … FROM and TRUNCATE included);
  the server itself refuses a reader's writes (READ ONLY transactions).

The guard raises; the unit of work then rolls back and nothing is written.
"""
from __future__ import annotations

import re
import sqlite3
from contextvars import ContextVar
from typing import Protocol

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

INSERT, UPDATE, DELETE, SCHEMA = "insert", "update", "delete", "schema"

_WRITE_SQL = re.compile(
    r"^\s*(?:(?P<insert>INSERT|REPLACE)(?:\s+OR\s+\w+)?\s+INTO|(?P<update>UPDATE)(?:\s+OR\s+\w+)?|"
    r"(?P<delete>DELETE)\s+FROM|(?P<schema>CREATE|DROP|ALTER))\s+(?:TABLE\s+|INDEX\s+|VIEW\s+|TRIGGER\s+)?"
    r"(?:IF\s+(?:NOT\s+)?EXISTS\s+)?[\"`\[]?(?P<table>\w+)",
    re.IGNORECASE)


# True while a flush whose objects the guard has checked one by one writes its rows:
# a table the guard allows only row by row (accounts) is then not refused by name.
_checked_flush: ContextVar[bool] = ContextVar("metodset_checked_flush", default=False)


def in_checked_flush() -> bool:
    return _checked_flush.get()


class WriteGuard(Protocol):
    def check_table(self, table: str, op: str) -> None: ...

    def check_row(self, session: Session, obj: object, op: str) -> None: ...

    def check_bulk(self, table: str, op: str) -> None: ...


class GuardedDatabase(Protocol):
    """What the hooks need of ``Database``: its current guard, read at every write."""

    guard: WriteGuard | None


_QUOTES = {"'": "'", '"': '"', "`": "`", "[": "]"}
_WORD = re.compile(r"[A-Za-z_]\w*")


def _skip_comments(sql: str, i: int) -> int:
    while True:
        while i < len(sql) and sql[i].isspace():
            i += 1
        if sql.startswith("--", i):
            end = sql.find("\n", i)
            i = len(sql) if end < 0 else end + 1
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = len(sql) if end < 0 else end + 2
        else:
            return i


def _main_statement(sql: str) -> str:
    """The statement after leading comments and a ``WITH …`` clause: what the statement really does."""
    i = _skip_comments(sql, 0)
    word = _WORD.match(sql, i)
    if word is None or word.group().upper() != "WITH":
        return sql[i:]
    depth, i = 0, word.end()
    while i < len(sql):
        i = _skip_comments(sql, i)
        if i >= len(sql):
            break
        ch = sql[i]
        if ch in _QUOTES:
            end = sql.find(_QUOTES[ch], i + 1)
            i = len(sql) if end < 0 else end + 1
        elif ch == "(":
            depth, i = depth + 1, i + 1
        elif ch == ")":
            depth, i = depth - 1, i + 1
        elif (word := _WORD.match(sql, i)) is not None:
            if depth == 0 and word.group().upper() in ("INSERT", "REPLACE", "UPDATE", "DELETE", "SELECT", "VALUES"):
                return sql[i:]
            i = word.end()
        else:
            i += 1
    return ""


# PostgreSQL's other ways to write rows: COPY … FROM (a bulk insert) and TRUNCATE (a delete).
_COPY_IN = re.compile(r"^\s*COPY\s+[\"]?(?P<table>\w+)[\"]?(?:\s*\([^)]*\))?\s+FROM\b", re.IGNORECASE)
_TRUNCATE = re.compile(r"^\s*TRUNCATE\s+(?:TABLE\s+)?(?:ONLY\s+)?[\"]?(?P<table>\w+)", re.IGNORECASE)


def statement_target(sql: str) -> tuple[str, str] | None:
    """(operation, table) of a writing SQL statement, None for a read."""
    main = _main_statement(sql)
    for pattern, op in ((_COPY_IN, INSERT), (_TRUNCATE, DELETE)):
        if (found := pattern.match(main)) is not None:
            return op, found.group("table").lower()
    m = _WRITE_SQL.match(main)
    if m is None:
        return None
    op = next(k for k in (INSERT, UPDATE, DELETE, SCHEMA) if m.group(k))
    table = m.group("table").lower()
    if table in ("temp", "temporary"):
        # A temporary table (CREATE TEMP TABLE …, INSERT INTO temp.x) is private to the connection: not a write.
        return None
    return op, table


_AUTHORIZED_WRITES = {sqlite3.SQLITE_INSERT: INSERT, sqlite3.SQLITE_UPDATE: UPDATE, sqlite3.SQLITE_DELETE: DELETE}
_SCHEMA_ACTIONS = {sqlite3.SQLITE_CREATE_INDEX, sqlite3.SQLITE_CREATE_TABLE, sqlite3.SQLITE_CREATE_TRIGGER,
                   sqlite3.SQLITE_CREATE_VIEW, sqlite3.SQLITE_DROP_INDEX, sqlite3.SQLITE_DROP_TABLE,
                   sqlite3.SQLITE_DROP_TRIGGER, sqlite3.SQLITE_DROP_VIEW, sqlite3.SQLITE_ALTER_TABLE,
                   sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH}
# The refusal the authorizer met, raised in place of SQLite's bare «not authorized».
_refusal: ContextVar[Exception | None] = ContextVar("metodset_refusal", default=None)


def _authorizer(database: GuardedDatabase):
    def authorize(action: int, arg1, _arg2, db_name, _trigger) -> int:
        guard = database.guard
        if guard is None or db_name == "temp":
            return sqlite3.SQLITE_OK
        if action in _AUTHORIZED_WRITES:
            op, table = _AUTHORIZED_WRITES[action], (arg1 or "").lower()
        elif action in _SCHEMA_ACTIONS:
            op, table = SCHEMA, (arg1 or "").lower()
        else:
            return sqlite3.SQLITE_OK
        if table.startswith("sqlite_") and op != SCHEMA:
            return sqlite3.SQLITE_OK       # SQLite's own bookkeeping of a statement already authorized
        try:
            guard.check_table(table, op)
        except Exception as exc:           # the guard's refusal: SQLite is told to deny, the message kept
            _refusal.set(exc)
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK
    return authorize


def install(database: GuardedDatabase, session_factory) -> None:
    """Registers the hooks; called by Database before any other listener so a refusal comes first."""
    cursor_class: list = []          # PostgreSQL's guarded cursor, made at the first connection

    def before_flush(session: Session, _context, _instances) -> None:
        guard = database.guard
        if guard is None:
            return
        for obj in list(session.new):
            guard.check_row(session, obj, INSERT)
        for obj in list(session.dirty):
            if session.is_modified(obj, include_collections=False):
                guard.check_row(session, obj, UPDATE)
        for obj in list(session.deleted):
            guard.check_row(session, obj, DELETE)
        _checked_flush.set(True)

    def flush_over(session: Session, *_args) -> None:
        _checked_flush.set(False)

    def do_orm_execute(state: ORMExecuteState) -> None:
        guard = database.guard
        if guard is None or not (state.is_update or state.is_delete or state.is_insert):
            return
        table = getattr(state.statement, "table", None)
        name = getattr(table, "name", None)
        if name:
            guard.check_bulk(name, UPDATE if state.is_update else DELETE if state.is_delete else INSERT)

    def before_cursor_execute(_conn, _cursor, statement, _params, _context, _executemany) -> None:
        _refusal.set(None)
        guard = database.guard
        if guard is None:
            return
        target = statement_target(statement)
        if target is not None:
            guard.check_table(target[1], target[0])

    def on_connect(dbapi_connection, _record) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.set_authorizer(_authorizer(database))
        elif type(dbapi_connection).__module__.startswith("psycopg"):
            if not cursor_class:
                cursor_class.append(_guarded_cursor_class(database))
            dbapi_connection.cursor_factory = cursor_class[0]

    def handle_error(context) -> None:
        refusal = _refusal.get()
        if refusal is not None:
            _refusal.set(None)
            raise refusal

    event.listen(database.engine, "connect", on_connect)
    event.listen(database.engine, "handle_error", handle_error)
    event.listen(session_factory, "before_flush", before_flush)
    event.listen(session_factory, "after_flush_postexec", flush_over)
    event.listen(session_factory, "after_soft_rollback", flush_over)
    event.listen(session_factory, "do_orm_execute", do_orm_execute)
    event.listen(database.engine, "before_cursor_execute", before_cursor_execute)


def _guarded_cursor_class(database: GuardedDatabase):
    """PostgreSQL has no authorizer: every cursor of the connection asks the guard instead, so a driver
    connection taken past SQLAlchemy (``engine.raw_connection()``) is refused the same writes."""
    import psycopg

    def check(cursor, query) -> None:
        guard = database.guard
        if guard is None:
            return
        if isinstance(query, bytes):
            query = query.decode("utf-8", "replace")
        elif not isinstance(query, str):
            query = query.as_string(cursor)          # psycopg.sql.Composed
        target = statement_target(query)
        if target is not None:
            guard.check_table(target[1], target[0])

    class GuardedCursor(psycopg.Cursor):
        def execute(self, query, params=None, **kwargs):
            check(self, query)
            return super().execute(query, params, **kwargs)

        def executemany(self, query, params_seq, **kwargs):
            check(self, query)
            return super().executemany(query, params_seq, **kwargs)

        def copy(self, statement, params=None, **kwargs):
            check(self, statement)
            return super().copy(statement, params, **kwargs)

    return GuardedCursor
