"""A server that wants a password: libpq's PGPASSWORD, or a prompt in a terminal — never the command line."""
from __future__ import annotations

import sys

from app.cli import main
from tests.pg_cluster import PASSWORD, PASSWORD_ROLE


def test_no_password_is_one_russian_line_and_pgpassword_or_the_prompt_opens_it(pg_cluster, monkeypatch, capsys):
    url = pg_cluster.new_database(owner=PASSWORD_ROLE)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent/pgpass")
    monkeypatch.setattr(sys, "stdin", open("/dev/null"))
    assert main(["--db", url, "stats"]) == 1
    err = capsys.readouterr().err
    assert "сервер PostgreSQL требует пароль" in err and "Traceback" not in err and err.count("\n") == 1

    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    assert main(["--db", url, "stats"]) == 0
    capsys.readouterr()
    monkeypatch.delenv("PGPASSWORD")

    asked = []

    class Terminal:
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or PASSWORD)
    assert main(["--db", url, "stats"]) == 0
    assert asked == [f"Пароль ({PASSWORD_ROLE} на сервере {pg_cluster.socket_dir}): "]
    out = capsys.readouterr()
    assert PASSWORD not in out.out + out.err
