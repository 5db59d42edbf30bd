"""The version comes from pyproject.toml alone, and the command line and «О программе» show that one."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from app.cli import main
from app.release import version

ROOT = Path(__file__).resolve().parents[1]


def _pyproject_version() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return re.search(r'^version = "([^"]+)"', text, re.M).group(1)


def test_version_is_the_one_in_pyproject():
    assert version() == _pyproject_version()


def test_version_flag_prints_it_and_exits_0(capsys):
    try:
        main(["--version"])
    except SystemExit as done:
        assert done.code == 0
    else:
        raise AssertionError("--version did not exit")
    assert capsys.readouterr().out.strip() == f"МетодСеть {_pyproject_version()}"


def test_version_in_a_checkout_that_was_never_installed(tmp_path):
    # Without the package metadata (a bare checkout) the number is read from pyproject.toml itself.
    probe = ("import importlib.metadata as m\n"
             "def missing(name): raise m.PackageNotFoundError(name)\n"
             "m.version = missing\n"
             "from app.release import version\nprint(version())\n")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == _pyproject_version()
