"""Many new rows of one table at once, inside the caller's transaction.

PostgreSQL takes them by COPY, several times faster than one INSERT per row
(which is what an executemany becomes through psycopg); SQLite by
executemany, which is already its fastest path. A failure is raised as
SQLAlchemy raises it for an INSERT (``IntegrityError`` for a broken key), so
callers handle both paths alike.
"""
from __future__ import annotations

from sqlalchemy import Table, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.storage.driver_errors import LOST_MESSAGE, ServerUnavailable
from app.storage.write_guard import INSERT


def insert_rows(s: Session, table: Table, rows: list[dict], guard=None) -> None:
    """Inserts ``rows`` (dicts of column values). COPY needs every column in every row; rows that
    leave some to the columns' defaults go by INSERT on either engine."""
    if not rows:
        return
    names = [c.name for c in table.c]
    if s.get_bind().dialect.name != "postgresql" or any(len(r) != len(names) or not all(n in r for n in names)
                                                         for r in rows):
        s.execute(insert(table), rows)
        return
    if guard is not None:
        guard.check_bulk(table.name, INSERT)        # what an ORM-level INSERT of many rows would ask
    import psycopg

    columns = ", ".join(f'"{n}"' for n in names)
    statement = f'COPY "{table.name}" ({columns}) FROM STDIN'
    driver = s.connection().connection.driver_connection
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([row[n] for n in names])
    except psycopg.OperationalError as exc:
        if driver.closed:
            raise ServerUnavailable(LOST_MESSAGE) from exc
        raise DBAPIError.instance(statement, None, exc, psycopg.Error) from exc
    except psycopg.Error as exc:
        raise DBAPIError.instance(statement, None, exc, psycopg.Error) from exc
