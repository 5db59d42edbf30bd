"""Failures a user meets on the command line: one Russian line, exit code 1, nothing left behind."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_a_closed_pipe_ends_quietly(tmp_path):
    db = tmp_path / "d.sqlite"
    env = {"PATH": "/usr/bin:/bin", "METODSET_DATA_DIR": str(tmp_path / "data"), "QT_QPA_PLATFORM": "offscreen"}
    script = (f"{sys.executable} main.py --db {db} demo --teachers 2000 >/dev/null && "
              f"METODSET_USER=admin METODSET_PASSWORD=demo {sys.executable} main.py --db {db} list teachers | head -1")
    done = subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert done.stdout.count("\n") == 1
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr


def test_a_file_that_is_not_a_database_gets_a_russian_line(tmp_path, capsys):
    bad = tmp_path / "notes.sqlite"
    bad.write_text("это не база данных\n" * 200, encoding="utf-8")
    assert main(["--db", str(bad), "stats"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Ошибка: ") and "notes.sqlite" in err and err.count("\n") == 1, err
    assert "Traceback" not in err and "sqlalche.me" not in err and "OperationalError" not in err
    assert "file is not a database" not in err


def test_an_unknown_database_driver_gets_a_russian_line(capsys):
    assert main(["--db", "nosuchdriver+x://u@h/db", "stats"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Ошибка: Не удалось открыть базу данных") and "Traceback" not in err


def test_writing_where_a_file_stands_for_a_folder_leaves_nothing(filled_db, tmp_path, capsys):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    for argv, out in ((["audit", "--out"], blocker / "a.xlsx"), (["backup", "--out"], blocker / "b.sqlite"),
                      (["report", "events", "--out"], tmp_path)):
        assert main(["--db", str(filled_db), *argv, str(out)]) == 1
        err = capsys.readouterr().err
        assert err.startswith("Ошибка: ") and err.count("\n") == 1, err
        assert "Errno" not in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith((".~", "afile")) or ".part" in p.name) \
        == ["afile"]


def test_a_backup_that_cannot_be_placed_leaves_no_part_files(filled_db, tmp_path, capsys):
    target = tmp_path / "copy.sqlite"
    target.mkdir()          # a folder where the copy should go: the final rename fails
    assert main(["--db", str(filled_db), "backup", "--out", str(target)]) == 1
    assert "Ошибка: " in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir() if ".part" in p.name] == []


def test_a_backup_sqlite_cannot_open_is_refused_in_one_russian_line(filled_db, tmp_path, capsys):
    # A name longer than the file system allows: SQLite, not Python, fails to open it (as in a read-only folder).
    target = tmp_path / ("копия" * 60 + ".sqlite")
    assert main(["--db", str(filled_db), "backup", "--out", str(target)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Ошибка: Не удалось сохранить резервную копию") and err.count("\n") == 1, err
    assert "непредвиденный" not in err and "unable to open" not in err and "too long" not in err
    assert [p.name for p in tmp_path.iterdir() if ".part" in p.name] == []


def test_a_windowed_build_without_a_console_shows_the_refusal_in_a_window(tmp_path):
    """metodset.exe (windowed) starts with sys.stdout and sys.stderr None: the one line must reach the user."""
    import subprocess
    import sys
    from pathlib import Path

    shown = tmp_path / "shown.txt"
    code = ("import sys; sys.stdout = None; sys.stderr = None\n"
            "from PySide6.QtWidgets import QMessageBox\n"
            f"QMessageBox.critical = staticmethod(lambda p, t, text: open({str(shown)!r}, 'w', encoding='utf-8')"
            ".write(text))\n"
            "from app.cli.entry import main\n"
            f"raise SystemExit(main(['--db', {str(tmp_path / 'нет' / 'x.sqlite')!r}, 'restore', 'копия.sqlite']))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1], capture_output=True,
                          text=True, timeout=120, env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin",
                                                       "METODSET_DATA_DIR": str(tmp_path / "data")})
    assert done.returncode == 1, done.stderr
    assert shown.read_text(encoding="utf-8").startswith("Ошибка:")
    assert not list((tmp_path / "data").glob("errors.log"))        # a refusal, not a crash
