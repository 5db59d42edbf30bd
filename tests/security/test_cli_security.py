"""The command line signs in once accounts exist; demo makes one account per role; audit export; masking."""
from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from app.cli import main


@pytest.fixture
def demo_db(db_path, capsys):
    assert main(["--db", str(db_path), "demo", "--teachers", "100", "--password", "pw12"]) == 0
    out = capsys.readouterr().out
    assert "admin (администратор), metodist (методист), expert (эксперт), viewer (наблюдатель)" in out
    assert "«pw12»" in out
    return db_path


def test_set_up_mode_needs_no_sign_in_then_every_command_does(demo_db, capsys, monkeypatch):
    assert main(["--db", str(demo_db), "list", "teachers"]) == 1
    assert "укажите имя входа (--user" in capsys.readouterr().err
    # Counts and the file's soundness show nothing personal: no account needed.
    assert main(["--db", str(demo_db), "stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["teachers"] == 100
    assert main(["--db", str(demo_db), "check"]) == 0
    capsys.readouterr()
    # A script pipes the password in (stdin is no terminal here).
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong\n"))
    assert main(["--db", str(demo_db), "--user", "viewer", "stats"]) == 1
    assert "Неверное имя входа или пароль" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("pw12\n"))
    assert main(["--db", str(demo_db), "--user", "viewer", "stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["teachers"] == 100
    # Closed input: one Russian line, no prompt traceback.
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["--db", str(demo_db), "--user", "viewer", "stats"]) == 1
    assert "Пароль не введён: ввод закрыт" in capsys.readouterr().err


def test_viewer_sees_masked_data_and_may_not_unmask_or_write(demo_db, capsys, monkeypatch):
    monkeypatch.setenv("METODSET_USER", "viewer")
    monkeypatch.setenv("METODSET_PASSWORD", "pw12")
    assert main(["--db", str(demo_db), "list", "teachers", "--json", "--limit", "30"]) == 0
    rows = json.loads(capsys.readouterr().out)
    snils = [r["snils"] for r in rows if r["snils"]]
    assert snils and all(s.startswith("***-***-") for s in snils)
    assert main(["--db", str(demo_db), "list", "teachers", "--unmasked"]) == 1
    assert "Недостаточно прав" in capsys.readouterr().err
    assert main(["--db", str(demo_db), "account", "list"]) == 1
    assert "Недостаточно прав" in capsys.readouterr().err

    monkeypatch.setenv("METODSET_USER", "metodist")
    assert main(["--db", str(demo_db), "list", "teachers", "--json", "--limit", "30"]) == 0
    assert all(r["snils"].startswith("***") for r in json.loads(capsys.readouterr().out) if r["snils"])
    assert main(["--db", str(demo_db), "list", "teachers", "--json", "--limit", "30", "--unmasked"]) == 0
    full = [r["snils"] for r in json.loads(capsys.readouterr().out) if r["snils"]]
    assert full and not any("*" in s for s in full)


def test_audit_export_is_filtered_by_account_and_kind(demo_db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("METODSET_USER", "admin")
    monkeypatch.setenv("METODSET_PASSWORD", "pw12")
    monkeypatch.setenv("METODSET_NEW_PASSWORD", "temporary77")
    assert main(["--db", str(demo_db), "account", "reset", "viewer"]) == 0
    assert main(["--db", str(demo_db), "account", "block", "expert"]) == 0
    out = tmp_path / "журнал.xlsx"
    assert main(["--db", str(demo_db), "audit", "--who", "admin", "--kind", "accounts", "--out", str(out)]) == 0
    assert "Выгружено записей журнала: 3" in capsys.readouterr().out
    ws = load_workbook(out, read_only=True).active
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    assert values[0][:4] == ["Когда", "Кто", "Действие", "Вид записи"]
    assert [v[2] for v in values[1:]] == ["блокировка", "сброс пароля", "создание"]
    assert {v[1] for v in values[1:]} == {"admin"} and {v[3] for v in values[1:]} == {"Учётные записи"}
    assert values[1][6] == "Заблокирована: нет" and values[1][7] == "Заблокирована: да"
    assert main(["--db", str(demo_db), "audit", "--limit", "3"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 3
