"""The wheel carries what the program needs: built from a copy of the project, installed in a fresh
virtual environment away from the checkout, it renders a certificate with its Cyrillic font embedded and
finds the user guide (its pages and pictures, for the F1 help) inside itself."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECT_FILES = ("app", "resources", "docs", "pyproject.toml", "setup.py", "README.md")

RENDER = textwrap.dedent('''
    import sys
    from datetime import date, datetime, timezone
    from pathlib import Path

    import app
    from app.export.pdf_certificates import write_certificates_pdf
    from app.services.events.certificates import CertificateRecord

    print(Path(app.__file__).resolve())
    record = CertificateRecord(
        id="c1", number="2026-0001", code="7K3M-9QX2-AB", recipient_name="Ёлкина Анна Сергеевна",
        organization_name="МБОУ «СОШ № 1»", event_title="Семинар «Функциональная грамотность»",
        event_kind="семинар", event_starts_on=date(2026, 3, 2), event_ends_on=None, hours=4.0,
        role="Участник", organizer="ММЦ", signer_name="Петрова И. И.",
        issued_at=datetime(2026, 3, 3, 9, 0, tzinfo=timezone.utc), issued_by="admin", revoked_at=None,
        revoked_by="", revoked_reason="", participation_id="p1", event_id="e1", teacher_id="t1")
    write_certificates_pdf([record], sys.argv[1])

    from app.resource_files import guide_path
    print(guide_path("index.md"))
    print(guide_path("img", "teacher-card.png"))
''')


def _run(args, **kw) -> subprocess.CompletedProcess:
    done = subprocess.run(args, capture_output=True, text=True, timeout=600, **kw)
    assert done.returncode == 0, f"{args[:4]} …: {done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("METODSET_", "PYTHON")) and k != "VIRTUAL_ENV"}


@pytest.fixture(scope="module")
def installed_python(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(src, source / name)
    dist = base / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check",
          "-w", str(dist), str(source)], env=_clean_env())
    wheel = next(dist.glob("metodset-*.whl"))

    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip())
    # The dependencies come from the test environment's own site-packages (no download); a path
    # listed in a .pth file is not scanned for .pth files, so that environment's editable install
    # of the checkout does not come along.
    (site / "metodset_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "--quiet",
          "--disable-pip-version-check", str(wheel)], env=_clean_env())
    return python


def test_installed_wheel_renders_a_certificate_with_the_cyrillic_font(installed_python, tmp_path):
    pdffonts = shutil.which("pdffonts")
    assert pdffonts, "Нужна утилита pdffonts (Debian: apt-get install poppler-utils)."
    out = tmp_path / "сертификат.pdf"
    done = _run([str(installed_python), "-c", RENDER, str(out)], cwd=tmp_path, env=_clean_env())

    package, guide, picture = (Path(line) for line in done.stdout.strip().splitlines()[-3:])
    assert ROOT not in package.parents, f"the checkout was imported, not the wheel: {package}"
    assert (package.parent / "resources" / "fonts" / "DejaVuSans.ttf").is_file()
    # The guide travels as app/resources/guide, pictures included, and guide_path finds it there.
    assert guide == package.parent / "resources" / "guide" / "index.md" and guide.is_file(), guide
    assert picture.parent.parent == guide.parent and picture.is_file(), picture
    fonts = _run([pdffonts, str(out)]).stdout.splitlines()
    dejavu = [line for line in fonts if "DejaVuSans" in line]
    assert dejavu, "\n".join(fonts)
    # columns: name type encoding emb sub uni object ID — every DejaVu face embedded
    assert all(line.split()[-5] == "yes" for line in dejavu), "\n".join(fonts)
