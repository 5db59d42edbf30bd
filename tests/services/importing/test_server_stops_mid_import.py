"""The PostgreSQL server stops while a spreadsheet is being written: one Russian line, nothing half-stored."""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import Engine, event, func, select

from app.cli import main
from app.services.common.actor import Actor
from app.services.common.bootstrap import open_database
from app.services.registry.service import RecordService
from app.storage.models import AuditLog, Organization, Teacher
from tests.services.importing.builders import teachers_workbook


@contextmanager
def server_stops_at(cluster, statement_start: str):
    """Halts ``cluster`` the moment any engine is about to send a statement beginning with ``statement_start``."""
    hits = []

    def before(_conn, _cursor, statement, _params, _context, _many):
        if not hits and statement.lstrip().upper().startswith(statement_start):
            hits.append(statement)
            cluster.halt()

    event.listen(Engine, "before_cursor_execute", before)
    try:
        yield hits
    finally:
        event.remove(Engine, "before_cursor_execute", before)


def _counts(db) -> tuple[int, int, int]:
    with db.read() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (Teacher, Organization, AuditLog))


def test_import_cut_off_by_the_server_leaves_the_database_as_it_was(own_pg_cluster, tmp_path, capsys):
    url = own_pg_cluster.new_database()
    db, _ = open_database(url)
    try:
        RecordService(db, Actor("tester")).create("organizations", {"full_name": "МБОУ «СОШ № 1»", "kind": "school"})
        before = _counts(db)
        workbook = teachers_workbook(tmp_path / "педагоги.xlsx")
        leftovers = set(tmp_path.iterdir())

        with server_stops_at(own_pg_cluster, "INSERT INTO TEACHER") as hits:
            assert main(["--db", url, "import", "teachers", str(workbook)]) == 1
        assert hits, "the import never reached the teachers table"
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err
        assert "связь с сервером PostgreSQL прервалась" in err and "ничего из него не записано" in err
        assert set(tmp_path.iterdir()) == leftovers

        own_pg_cluster.resume()
        # The program that was open when the server went away reconnects by itself.
        assert _counts(db) == before
        assert main(["--db", url, "import", "teachers", str(workbook)]) == 0
        assert "Создано: 4" in capsys.readouterr().out
        assert _counts(db)[0] == 4
    finally:
        db.dispose()


def test_a_server_that_is_down_is_named_in_one_line(own_pg_cluster, capsys):
    url = own_pg_cluster.new_database()
    own_pg_cluster.halt()
    try:
        assert main(["--db", url, "stats"]) == 1
    finally:
        own_pg_cluster.resume()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "сервер PostgreSQL не отвечает" in err, err
