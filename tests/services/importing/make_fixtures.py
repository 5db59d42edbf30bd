"""Regenerates the .xls and .ods fixtures from the .xlsx the tests build.

Needs LibreOffice (`soffice`) — only here, never when the tests run:

    .venv/bin/python -m tests.services.importing.make_fixtures
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.services.importing.builders import FIXTURES, organizations_workbook, teachers_workbook


def main() -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) не найден: apt-get install libreoffice-calc-nogui")
    FIXTURES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sources = [teachers_workbook(work / "teachers.xlsx"), organizations_workbook(work / "organizations.xlsx")]
        for source in sources:
            for fmt in ("xls", "ods"):
                subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{work}/profile",
                                "--convert-to", fmt, "--outdir", str(FIXTURES), str(source)],
                               check=True, capture_output=True, timeout=180)
    for path in sorted(FIXTURES.iterdir()):
        print(f"{path.name}: {path.stat().st_size} байт")


if __name__ == "__main__":
    main()
