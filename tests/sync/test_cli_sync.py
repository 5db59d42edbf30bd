"""`sync …` from the command line: two databases, real files, exit codes and Russian messages."""
from __future__ import annotations

import shutil

import pytest

from app.cli import main
from tests.sync.helpers import rows, scalar


def _run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_whole_exchange_through_the_command_line(tmp_path, _template_db, capsys, monkeypatch):
    mun, reg = tmp_path / "mun.sqlite", tmp_path / "reg.sqlite"
    shutil.copy(_template_db, mun)
    shutil.copy(_template_db, reg)
    code, out, _ = _run(capsys, "--db", str(mun), "sync", "init", "--role", "municipal", "--municipality", "46-231",
                        "--name", "ММЦ Курского района")
    assert code == 0 and "Отпечаток ключей" in out
    assert _run(capsys, "--db", str(reg), "sync", "init", "--role", "region", "--municipality", "46",
                "--name", "Регион")[0] == 0
    code, _, err = _run(capsys, "--db", str(reg), "sync", "init", "--role", "region", "--municipality", "46",
                        "--name", "Регион")
    assert code == 1 and "уже настроен" in err

    assert _run(capsys, "--db", str(mun), "sync", "keycard", "--out", str(tmp_path / "mun.card"))[0] == 0
    code, out, _ = _run(capsys, "--db", str(reg), "sync", "keycard", "--out", str(tmp_path / "reg.card"))
    reg_fingerprint = out.split("Отпечаток: ")[1].strip()
    code, out, _ = _run(capsys, "--db", str(mun), "sync", "trust", str(tmp_path / "reg.card"))
    assert code == 0 and reg_fingerprint in out and len(reg_fingerprint.split()) == 8
    assert _run(capsys, "--db", str(reg), "sync", "trust", str(tmp_path / "mun.card"))[0] == 0
    code, out, _ = _run(capsys, "--db", str(reg), "sync", "partners")
    assert "ММЦ Курского района" in out and "доверен" in out

    assert _run(capsys, "--db", str(mun), "demo", "--teachers", "100")[0] == 0
    # The demo creates accounts: from now on the municipality's commands sign in.
    monkeypatch.setenv("METODSET_USER", "metodist")
    monkeypatch.setenv("METODSET_PASSWORD", "demo")
    code, out, _ = _run(capsys, "--db", str(mun), "sync", "export", "--out", str(tmp_path / "p1.msp"))
    assert code == 0 and "Пакет изменений № 1" in out
    code, out, _ = _run(capsys, "--db", str(reg), "sync", "import", str(tmp_path / "p1.msp"), "--preview")
    assert code == 0 and "будет загружен" in out and scalar(reg, "SELECT count(*) FROM teacher") == 0
    code, out, _ = _run(capsys, "--db", str(reg), "sync", "import", str(tmp_path / "p1.msp"),
                        "--receipt-out", str(tmp_path / "r1.msp"))
    assert code == 0 and "Квитанция для отправителя сохранена" in out
    assert scalar(reg, "SELECT count(*) FROM teacher") == scalar(mun, "SELECT count(*) FROM teacher") == 100
    assert rows(reg, "SELECT count(DISTINCT origin) FROM teacher") == [(1,)]
    code, out, _ = _run(capsys, "--db", str(reg), "sync", "import", str(tmp_path / "p1.msp"))
    assert code == 0 and "уже был загружен" in out
    code, out, _ = _run(capsys, "--db", str(mun), "sync", "import", str(tmp_path / "r1.msp"))
    assert code == 0 and "Квитанция" in out and "учтена" in out

    code, out, _ = _run(capsys, "--db", str(mun), "sync", "export", "--out", str(tmp_path / "p2.msp"))
    assert code == 0 and "записей: 0" in out

    code, out, _ = _run(capsys, "--db", str(reg), "sync", "status", "--since", "01.01.2020")
    assert code == 0 and "пакет № 1" in out and "не прислали с 01.01.2020: 0" in out
    code, out, _ = _run(capsys, "--db", str(reg), "sync", "status", "--since", "01.01.2099")
    assert code == 0 and "НЕ ПРИСЫЛАЛ с 01.01.2099" in out

    # Refusals: exit code 1, a Russian message, nothing changed.
    damaged = bytearray((tmp_path / "p1.msp").read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    (tmp_path / "bad.msp").write_bytes(bytes(damaged))
    code, _, err = _run(capsys, "--db", str(reg), "sync", "import", str(tmp_path / "bad.msp"))
    assert code == 1 and err.startswith("Ошибка: Подпись пакета bad.msp не сходится")
    code, _, err = _run(capsys, "--db", str(reg), "sync", "import", str(tmp_path / "nothing.msp"))
    assert code == 1 and "Не удалось прочитать файл" in err
    code, _, err = _run(capsys, "--db", str(reg), "sync", "revoke", "нет такого")
    assert code == 1 and "нет «нет такого»" in err
    code, out, _ = _run(capsys, "--db", str(reg), "sync", "revoke", "ММЦ Курского района")
    assert code == 0 and "отозвано" in out
    code, _, err = _run(capsys, "--db", str(reg), "sync", "import", str(tmp_path / "p2.msp"))
    assert code == 1 and "отозвано" in err
    code, out, _ = _run(capsys, "--db", str(reg), "sync", "log")
    assert code == 0 and "46-231" in out
    with pytest.raises(SystemExit) as usage:
        main(["--db", str(reg), "sync"])
    assert usage.value.code == 2


def test_sync_without_setup_says_what_to_do(db_path, capsys):
    code, _, err = _run(capsys, "--db", str(db_path), "sync", "keycard", "--out", str(db_path.parent / "c.json"))
    assert code == 1 and "Обмен не настроен" in err
    code, _, err = _run(capsys, "--db", str(db_path), "sync", "init", "--role", "municipal", "--municipality",
                        "46 231", "--name", "x")
    assert code == 1 and "без пробелов" in err
