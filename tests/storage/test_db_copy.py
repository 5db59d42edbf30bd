"""`db copy --to postgresql+psycopg://…`: a centre's SQLite database moves onto the server whole and verified."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.cli import main
from app.services.common.bootstrap import open_database
from app.services.demo.generator import generate_demo
from app.storage.database import Database
from app.storage.db_copy import row_counts
from app.storage.models import Teacher


@pytest.fixture
def empty_pg(pg_cluster):
    return pg_cluster.new_database()


def test_the_demo_database_moves_whole_and_the_server_refuses_a_second_copy(db_path, empty_pg, capsys,
                                                                            monkeypatch):
    db, _ = open_database(str(db_path))
    generate_demo(db, 150)
    from app.services.accounts import accounts
    from app.services.access.permissions import ADMIN

    accounts.create_account(db, "admin", "admin-pass-1", ADMIN)
    before = row_counts(db)
    db.dispose()
    args = ["--db", str(db_path), "--user", "admin", "db", "copy", "--to", empty_pg]
    monkeypatch.setenv("METODSET_PASSWORD", "admin-pass-1")
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "База перенесена" in out and "совпали" in out
    server = Database(empty_pg)
    try:
        after = row_counts(server)
        # The same rows in every table, plus the one audit entry the move itself writes.
        assert {k: v for k, v in after.items() if k != "audit_log"} == \
            {k: v for k, v in before.items() if k != "audit_log"}
        assert after["audit_log"] == before["audit_log"] + 1
        with server.read() as s:
            assert s.scalar(select(Teacher.last_name).where(Teacher.deleted_at.is_(None)).limit(1))
        # New audit rows take ids after the copied ones (the serial sequences were moved past them).
        from app.services.registry.service import RecordService

        accounts.sign_in(server, "admin", "admin-pass-1")
        RecordService(server).create("organizations", {"full_name": "Новая школа", "kind": "school"})
        assert row_counts(server)["audit_log"] == before["audit_log"] + 2     # the move, the new school
    finally:
        server.dispose()
    # The program works on the server: sign-in with the same accounts, new rows get new ids.
    assert main(["--db", empty_pg, "--user", "admin", "stats"]) == 0
    assert "Педагоги" in capsys.readouterr().out
    # A second copy would mix two centres: refused, nothing changed.
    assert main(args) == 1
    assert "не пуста" in capsys.readouterr().err


def test_only_into_postgresql(db_path, capsys):
    assert main(["--db", str(db_path), "db", "copy", "--to", "sqlite:////tmp/x.sqlite"]) == 1
    assert "в базу PostgreSQL" in capsys.readouterr().err
