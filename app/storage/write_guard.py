"""A hook that lets the service layer refuse writes, whichever service makes them.

Storage knows nothing of accounts or roles: ``Database.guard`` is any object
with the three methods of ``WriteGuard`` (app/services/access/permissions.py provides
one per signed-in account), and every write path asks it first:

- ORM flushes (``before_flush``): each new, changed or deleted object;
- ORM-enabled statements (``do_orm_execute``): bulk UPDATE/DELETE/INSERT by model;
- everything else that reaches the driver (``before_cursor_execute``): raw SQL,
  Core statements, counters — refused by table name.

The guard raises; the unit of work then rolls back and nothing is written.
"""
from __future__ import annotations

import re
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


def statement_target(sql: str) -> tuple[str, str] | None:
    """(operation, table) of a writing SQL statement, None for a read."""
    m = _WRITE_SQL.match(sql)
    if m is None:
        return None
    op = next(k for k in (INSERT, UPDATE, DELETE, SCHEMA) if m.group(k))
    table = m.group("table").lower()
    if table in ("temp", "temporary"):
        # A temporary table (CREATE TEMP TABLE …, INSERT INTO temp.x) is private to the connection: not a write.
        return None
    return op, table


def install(database: GuardedDatabase, session_factory) -> None:
    """Registers the hooks; called by Database before any other listener so a refusal comes first."""

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
        guard = database.guard
        if guard is None:
            return
        target = statement_target(statement)
        if target is not None:
            guard.check_table(target[1], target[0])

    event.listen(session_factory, "before_flush", before_flush)
    event.listen(session_factory, "after_flush_postexec", flush_over)
    event.listen(session_factory, "after_soft_rollback", flush_over)
    event.listen(session_factory, "do_orm_execute", do_orm_execute)
    event.listen(database.engine, "before_cursor_execute", before_cursor_execute)
