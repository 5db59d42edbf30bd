"""The command line: exit codes, JSON output, Cyrillic search, check, backup and restore."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def filled(db_path, records):
    org = records.create("organizations", {"full_name": "МАОУ Лицей № 2", "kind": "school", "inn": "500100732259"})
    for last, first, snils in (("Фёдоров", "Пётр", "112-233-445 95"), ("Федорова", "Алёна", None),
                               ("Смирнов", "Олег", None)):
        records.create("teachers", {"last_name": last, "first_name": first, "snils": snils,
                                    "organization_id": org["id"]})
    return db_path


def test_stats_json_has_every_documented_key(capsys, filled):
    code, out, _ = run(capsys, "--db", str(filled), "stats", "--json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["organizations", "teachers", "programmes", "diagnostics", "trajectories", "mentorships",
                          "communities", "events", "participations", "materials", "reviews", "agreements",
                          "requests", "courses"]
    assert data["teachers"] == 3 and data["organizations"] == 1 and data["events"] == 0


def test_list_search_is_the_same_for_yo_and_ye(capsys, filled):
    _, out1, _ = run(capsys, "--db", str(filled), "list", "teachers", "--search", "Фёдоров", "--json")
    _, out2, _ = run(capsys, "--db", str(filled), "list", "teachers", "--search", "федоров", "--json")
    first, second = json.loads(out1), json.loads(out2)
    assert first == second
    assert sorted(r["last_name"] for r in first) == ["Федорова", "Фёдоров"]
    for key in ("id", "last_name", "first_name", "middle_name", "snils", "organization"):
        assert key in first[0]
    assert {r["organization"] for r in first} == {"МАОУ Лицей № 2"}


def test_list_limit_and_plain_output(capsys, filled):
    code, out, err = run(capsys, "--db", str(filled), "list", "teachers", "--limit", "2")
    lines = out.strip().splitlines()
    assert code == 0
    assert lines[0].split("\t")[:3] == ["id", "Фамилия", "Имя"]
    assert len(lines) == 3
    assert "Найдено: 2" in err


def test_unknown_entity_exits_1_with_a_russian_message(capsys, filled):
    code, out, err = run(capsys, "--db", str(filled), "list", "pupils")
    assert code == 1 and out == ""
    assert "Неизвестный вид записей «pupils»" in err


def test_usage_errors_exit_2(capsys, filled):
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(filled), "list"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(filled), "demo", "--teachers", "много"])
    assert exc.value.code == 2


def test_check_passes_on_a_sound_database_and_fails_on_broken_keys(capsys, filled):
    code, out, _ = run(capsys, "--db", str(filled), "check")
    assert code == 0 and "база исправна" in out
    con = sqlite3.connect(filled)
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("UPDATE teacher SET organization_id='missing' WHERE last_name='Смирнов'")
    con.commit()
    con.close()
    code, out, _ = run(capsys, "--db", str(filled), "check")
    assert code == 1
    assert "Внешние ключи: нарушений 1" in out and "таблица teacher" in out


def test_backup_and_restore_round_trip(capsys, filled, tmp_path):
    copy = tmp_path / "copy.sqlite"
    code, out, _ = run(capsys, "--db", str(filled), "backup", "--out", str(copy))
    assert code == 0 and copy.exists()
    con = sqlite3.connect(filled)
    con.execute("DELETE FROM teacher")
    con.commit()
    con.close()
    _, out, _ = run(capsys, "--db", str(filled), "stats", "--json")
    assert json.loads(out)["teachers"] == 0
    code, out, _ = run(capsys, "--db", str(filled), "restore", str(copy))
    assert code == 0 and "Прежнее состояние сохранено" in out
    _, out, _ = run(capsys, "--db", str(filled), "stats", "--json")
    assert json.loads(out)["teachers"] == 3


def test_restore_refuses_a_file_that_is_not_a_backup(capsys, filled, tmp_path):
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_text("hello")
    code, _, err = run(capsys, "--db", str(filled), "restore", str(bogus))
    assert code == 1 and "не является" in err
    _, out, _ = run(capsys, "--db", str(filled), "stats", "--json")
    assert json.loads(out)["teachers"] == 3


def test_without_a_display_the_gui_explains_the_headless_commands(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(tmp_path / "g.sqlite")],
                          capture_output=True, text=True, env=env, timeout=60)
    if not sys.platform.startswith("linux"):
        pytest.skip("the no-display path exists only on Linux")
    assert proc.returncode == 1
    assert "нет дисплея" in proc.stderr and "./run demo" in proc.stderr


def test_main_py_and_console_script_are_the_same_program(tmp_path):
    script = Path(sys.executable).with_name("metodset")
    if not script.exists():
        pytest.skip("console script not installed in this environment")
    db = str(tmp_path / "same.sqlite")
    a = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", db, "stats", "--json"],
                       capture_output=True, text=True, timeout=60)
    b = subprocess.run([str(script), "--db", db, "stats", "--json"], capture_output=True, text=True, timeout=60)
    assert a.returncode == b.returncode == 0
    assert json.loads(a.stdout) == json.loads(b.stdout)
    help_a = subprocess.run([sys.executable, str(ROOT / "main.py"), "--help"], capture_output=True, text=True)
    help_b = subprocess.run([str(script), "--help"], capture_output=True, text=True)
    assert help_a.stdout == help_b.stdout and "МетодСеть" in help_a.stdout
