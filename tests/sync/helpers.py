"""Small helpers shared by the sync tests: counting rows straight from the SQLite file."""
from __future__ import annotations

import sqlite3
from pathlib import Path


def rows(path: Path, sql: str, *params) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def scalar(path: Path, sql: str, *params):
    return rows(path, sql, *params)[0][0]


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows (sorted), to prove that a refused package changed nothing."""
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}
    finally:
        con.close()
