"""Named counters, the change numbers (``change_seq``) every synced row carries, and the highest one a
package may include.

A delta package holds the rows numbered in ``(since, upto]``, and the next one
starts above ``upto``; so ``upto`` is only safe when no transaction that took a
number at or below it is still running — its rows would commit later, below the
watermark, and never travel.

- SQLite has one writer at a time: the ``counter`` row is advanced inside the
  writer's transaction and any snapshot's value of it is safe.
- PostgreSQL runs writers side by side. A counter row would make every writer
  wait for the one before it to commit (a row lock held to the end of each
  transaction — a long package import would stall every other user). Numbers
  come from a sequence instead, which never waits, and each writer takes its
  transaction id *before* its number. ``settled_change_seq`` reads the
  sequence, then waits until every transaction that had an id by then has
  ended: each number at or below the value read belongs to one of them.
"""
from __future__ import annotations

import time

from sqlalchemy import Connection, Engine, insert, select, text, update
from sqlalchemy.orm import Session

from app.storage.driver_errors import ServerUnavailable
from app.storage.models import Counter

CHANGE_SEQUENCE = "change_seq_numbers"
COUNTER = "change_seq"
_WAIT_STEP_S = 0.02


def next_counter(s: Session, name: str, step: int = 1) -> int:
    """Advances a named counter inside the caller's transaction and returns its new value."""
    value = s.execute(
        update(Counter).where(Counter.name == name).values(value=Counter.value + step).returning(Counter.value)
        # No ORM object holds a counter: skip scanning the session's identity map.
        .execution_options(synchronize_session=False)
    ).scalar()
    if value is None:
        s.execute(insert(Counter).values(name=name, value=step))
        value = step
    return value


def next_change_seq(s: Session) -> int:
    """A new change number for the rows this transaction writes."""
    if _dialect(s) != "postgresql":
        return next_counter(s, COUNTER)
    s.execute(text("SELECT pg_current_xact_id()"))      # the id first: see settled_change_seq
    return int(s.scalar(text(f"SELECT nextval('{CHANGE_SEQUENCE}')")))


def last_change_seq(s: Session | Connection) -> int:
    """The highest number handed out so far (not necessarily committed yet on PostgreSQL)."""
    if _dialect(s) != "postgresql":
        return s.scalar(select(Counter.value).where(Counter.name == COUNTER)) or 0
    return _last_on(s)


def settled_change_seq(engine: Engine, *, timeout_s: float = 900.0) -> int | None:
    """PostgreSQL: a number every row at or below which has committed (or rolled back); call it
    before opening the snapshot that reads those rows. None on SQLite, where the snapshot's own
    counter value is that number."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        upto = _last_on(conn)
        horizon = conn.scalar(text("SELECT pg_snapshot_xmax(pg_current_snapshot())"))
        deadline = time.monotonic() + timeout_s
        # xmin is the oldest transaction still running; once it passes the horizon, every
        # transaction that could hold a number ≤ upto has ended.
        while int(conn.scalar(text("SELECT pg_snapshot_xmin(pg_current_snapshot())"))) < int(horizon):
            if time.monotonic() > deadline:
                raise ServerUnavailable("запись другого пользователя на сервере не завершается уже 15 минут")
            time.sleep(_WAIT_STEP_S)
    return upto


def _last_on(conn: Connection | Session) -> int:
    value, used = conn.execute(text(f"SELECT last_value, is_called FROM {CHANGE_SEQUENCE}")).one()
    return int(value) if used else int(value) - 1


def continue_numbering(conn: Connection, last: int) -> None:
    """After rows were copied into another database: its numbering goes on past ``last``."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"SELECT setval('{CHANGE_SEQUENCE}', :value, :used)"),
                      {"value": max(last, 1), "used": last > 0})
    else:
        conn.execute(update(Counter).where(Counter.name == COUNTER).values(value=last))


def _dialect(s: Session | Connection) -> str:
    return (s.get_bind() if isinstance(s, Session) else s).dialect.name
