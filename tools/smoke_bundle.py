"""Smoke test of the built program (dist/metodset/), not of the source tree.

    .venv/bin/python tools/smoke_bundle.py [dist/metodset]

First the bundle is listed: every resource the program needs must be inside, each
missing one is named. Then the built executable runs, away from the checkout and its
virtual environment, in a temporary folder (the data folder too): --version,
demo, check, one report to Excel, the PostgreSQL driver, and an offscreen start of
the window that paints it to a PNG. Each check prints one line; the first failure
prints «ОШИБКА: …» naming what failed and exits 1. Nothing is left behind.

tools/build_bundle.sh runs it after the build; on Windows docs/windows-build.md.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
WINDOWS = sys.platform == "win32"
TIMEOUT_S = 300

# What resources/ must hold in the bundle, by folder: file names, or a glob meaning «every such file
# of the source tree». tests/packaging/test_bundle_spec.py keeps the folders in step with resources/.
REQUIRED_RESOURCES = {
    "fonts": ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"],
    "help": ["index.md", "*.md"],
    "icons": ["metodset.png", "metodset.ico"],
    "styles": ["main.qss"],
}
# Travels as resources/<name> when the checkout has it (packaging/metodset.spec: OPTIONAL_RESOURCE_FOLDERS).
OPTIONAL_RESOURCES = {"guide": ROOT / "docs" / "guide"}
MIGRATIONS = "app/storage/migrations"
REPORT = "pk-coverage"
REPORT_SHEET = "Охват ПК"
DEMO_PASSWORD = "demo"


class SmokeFailure(Exception):
    pass


PASSED: list[str] = []
SKIPPED: list[str] = []


def ok(line: str) -> None:
    PASSED.append(line)
    print(f"ок: {line}", flush=True)


def skipped(line: str) -> None:
    SKIPPED.append(line)
    print(f"пропущено: {line}", flush=True)


def fail(line: str) -> None:
    raise SmokeFailure(line)


# --- the bundle's contents ------------------------------------------------------------------------------

def contents_dir(bundle: Path) -> Path:
    """PyInstaller 6 puts everything but the executables in _internal/."""
    inner = bundle / "_internal"
    return inner if inner.is_dir() else bundle


def executables(bundle: Path) -> tuple[Path, Path]:
    """(the command-line executable, the window executable): the same file on Linux."""
    if WINDOWS:
        return bundle / "metodset-cli.exe", bundle / "metodset.exe"
    return bundle / "metodset", bundle / "metodset"


def qt_paths(inner: Path) -> tuple[Path, Path]:
    """Where QLibraryInfo points in the bundle: (TranslationsPath, PluginsPath). PyInstaller keeps the
    wheel's layout (PySide6/Qt/… on Linux, PySide6/… on Windows) and its run-time hook sets the prefix."""
    qt = inner / "PySide6" if WINDOWS else inner / "PySide6" / "Qt"
    return qt / "translations", qt / "plugins"


def pyproject_version() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    try:
        import tomllib
    except ImportError:             # Python 3.10
        found = re.search(r'^\[project\]\s*$(?:(?!^\[).)*?^version\s*=\s*"([^"]+)"', text, re.M | re.S)
        if not found:
            fail("в pyproject.toml не найдена версия ([project] version)")
        return found.group(1)
    return tomllib.loads(text)["project"]["version"]


def expected_files(folder: str, patterns: list[str], source: Path) -> list[str]:
    names: list[str] = []
    for pattern in patterns:
        if any(ch in pattern for ch in "*?["):
            matched = sorted(p.relative_to(source).as_posix() for p in source.glob(pattern) if p.is_file())
            if not matched:
                fail(f"в исходниках нет ни одного файла resources/{folder}/{pattern}")
            names += matched
        else:
            names.append(pattern)
    return sorted(set(names))


def every_file(source: Path) -> list[str]:
    return sorted(p.relative_to(source).as_posix() for p in source.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")


def check_present(inner: Path, where: str, names: list[str], what: str) -> None:
    missing = [name for name in names if not (inner / where / name).is_file()]
    if missing:
        fail(f"{what}: в сборке нет " + ", ".join(f"{where}/{name}" for name in missing))
    ok(f"{what}: {where} — файлов: {len(names)}")


def check_contents(bundle: Path, version: str) -> None:
    if not bundle.is_dir():
        fail(f"папки сборки {bundle} нет — сначала tools/build_bundle.sh")
    inner = contents_dir(bundle)
    for exe in dict.fromkeys(executables(bundle)):
        if not exe.is_file() or not os.access(exe, os.X_OK):
            fail(f"в сборке нет исполняемого файла {exe.name}")
    ok("исполняемые файлы: " + ", ".join(e.name for e in dict.fromkeys(executables(bundle))))

    for folder, patterns in REQUIRED_RESOURCES.items():
        names = expected_files(folder, patterns, RESOURCES / folder)
        check_present(inner, f"resources/{folder}", names, f"ресурсы {folder}")
    loose = sorted(p.name for p in RESOURCES.iterdir() if p.is_file())
    if loose:        # files in resources/ itself travel whatever their names (municipalities.csv)
        check_present(inner, "resources", loose, "файлы resources/")
    for name, source in OPTIONAL_RESOURCES.items():
        if source.is_dir():
            check_present(inner, f"resources/{name}", every_file(source), f"ресурсы {name}")
        else:
            skipped(f"ресурсы {name}: папки {source.relative_to(ROOT).as_posix()} в исходниках нет")

    migrations = every_file(ROOT / MIGRATIONS)
    for needed in ("env.py", "script.py.mako"):
        if needed not in migrations:
            fail(f"в исходниках нет {MIGRATIONS}/{needed}")
    if not any(name.startswith("versions/") for name in migrations):
        fail(f"в исходниках нет миграций {MIGRATIONS}/versions/*.py")
    check_present(inner, MIGRATIONS, migrations, "миграции Alembic")

    translations, plugins = qt_paths(inner)
    check_present(inner, translations.relative_to(inner).as_posix(), ["qtbase_ru.qm"], "русский перевод Qt")
    platform = ["qwindows.dll", "qoffscreen.dll"] if WINDOWS else ["libqxcb.so", "libqoffscreen.so"]
    check_present(inner, (plugins / "platforms").relative_to(inner).as_posix(), platform, "модули экрана Qt")

    # app/release.version() reads it: the dist-info of the environment the build ran in, or the egg-info
    # the editable install keeps in the checkout, whichever importlib.metadata found first.
    records = sorted([*inner.glob("metodset*.dist-info/METADATA"), *inner.glob("metodset*.egg-info/PKG-INFO")])
    if not records:
        fail("в сборке нет сведений о пакете metodset (*.dist-info или *.egg-info): --version не узнает версию")
    for record in records:
        found = re.search(r"^Version:\s*(\S+)", record.read_text(encoding="utf-8"), re.M)
        if not found or found.group(1) != version:
            fail(f"сведения о пакете {record.parent.name}: версия {found.group(1) if found else '—'}, "
                 f"а в pyproject.toml {version}")
    ok(f"сведения о пакете: {', '.join(r.parent.name for r in records)}, версия {version}")


def check_version_resource(bundle: Path, version: str) -> None:
    """Windows: the version resource of each built .exe (Explorer's «Свойства → Подробно»), read by
    PyInstaller's own reader. Its parser needs Windows; elsewhere tests/packaging checks the text."""
    names = ["metodset.exe", "metodset-cli.exe"]
    if not WINDOWS:
        skipped(f"сведения о версии {', '.join(names)}: проверяются в сборке для Windows")
        return
    from PyInstaller.utils.win32 import versioninfo

    for name in names:
        info = versioninfo.read_version_info_from_executable(str(bundle / name))
        if info is None:
            fail(f"у {name} нет сведений о версии (свойства файла в Проводнике пусты)")
        strings = {kid.name: kid.val for table in info.kids if isinstance(table, versioninfo.StringFileInfo)
                   for st in table.kids for kid in st.kids}
        if strings.get("ProductVersion") != version or strings.get("OriginalFilename") != name:
            fail(f"сведения о версии {name}: версия {strings.get('ProductVersion', '—')}, файл "
                 f"{strings.get('OriginalFilename', '—')}, а ожидались {version} и {name}")
    ok(f"сведения о версии {', '.join(names)}: {version}")


# --- the built program at work --------------------------------------------------------------------------

def isolated_env(tmp: Path) -> dict[str, str]:
    """The machine's environment without this checkout's Python, with every folder the program or Qt
    might write to inside ``tmp``."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("METODSET_", "PYTHON", "QT_")) and k not in ("VIRTUAL_ENV", "PGPASSWORD")}
    env.update({
        "METODSET_DATA_DIR": str(tmp / "data"),
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp / "home"),
        "XDG_CONFIG_HOME": str(tmp / "home" / ".config"),
        "XDG_CACHE_HOME": str(tmp / "home" / ".cache"),
        "XDG_DATA_HOME": str(tmp / "home" / ".local" / "share"),
        "XDG_RUNTIME_DIR": str(tmp / "runtime"),
    })
    if WINDOWS:
        env.update({"APPDATA": str(tmp / "home" / "AppData" / "Roaming"),
                    "LOCALAPPDATA": str(tmp / "home" / "AppData" / "Local")})
    for key in ("HOME", "XDG_RUNTIME_DIR"):
        Path(env[key]).mkdir(parents=True, exist_ok=True)
    os.chmod(env["XDG_RUNTIME_DIR"], 0o700)
    return env


def run(exe: Path, args: list[str], env: dict[str, str], cwd: Path, what: str,
        expect: int = 0) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run([str(exe), *args], env=env, cwd=cwd, capture_output=True, timeout=TIMEOUT_S,
                              encoding="utf-8", errors="replace", stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        fail(f"{what}: программа не завершилась за {TIMEOUT_S} с")
    except OSError as exc:
        fail(f"{what}: не удалось запустить {exe.name}: {exc}")
    if done.returncode != expect:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        fail(f"{what}: код завершения {done.returncode} (ожидался {expect})\n{tail}")
    return done


def check_screenshot(png: Path, what: str) -> str:
    if not png.is_file():
        fail(f"{what}: снимка окна {png.name} нет")
    data = png.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{what}: {png.name} — не PNG")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if width < 600 or height < 400:
        fail(f"{what}: окно {width}×{height} — меньше 600×400")
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    if image.isNull():
        fail(f"{what}: {png.name} не читается")
    colours = {image.pixel(x, y) for x in range(0, width, 7) for y in range(0, height, 7)}
    if len(colours) < 8:
        fail(f"{what}: в окне {len(colours)} цвет(а) — окно не нарисовано")
    return f"{width}×{height}, {len(colours)} цветов, {len(data) // 1024} КБ"


def check_report(xlsx: Path) -> str:
    if not xlsx.is_file():
        fail(f"report {REPORT}: файла {xlsx.name} нет")
    import openpyxl

    try:
        book = openpyxl.load_workbook(xlsx, read_only=True)
    except Exception as exc:  # noqa: BLE001 - whatever openpyxl says, the file is broken
        fail(f"report {REPORT}: {xlsx.name} не открывается: {exc}")
    try:
        if REPORT_SHEET not in book.sheetnames:
            fail(f"report {REPORT}: в книге нет листа «{REPORT_SHEET}» (есть: {', '.join(book.sheetnames)})")
        rows = sum(1 for row in book[REPORT_SHEET].iter_rows(values_only=True) if any(v is not None for v in row))
    finally:
        book.close()
    if rows < 5:
        fail(f"report {REPORT}: на листе «{REPORT_SHEET}» {rows} непустых строк")
    return f"лист «{REPORT_SHEET}», {rows} строк"


def check_pdf(pdf: Path) -> str:
    """A PDF (reportlab) with the bundled Cyrillic font embedded: the font's name is in its dictionary."""
    what = f"report {REPORT} в PDF"
    if not pdf.is_file():
        fail(f"{what}: файла {pdf.name} нет")
    data = pdf.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        fail(f"{what}: {pdf.name} — не целый PDF")
    fonts = sorted(set(re.findall(rb"/BaseFont\s*/([A-Z]{6}\+)?(DejaVuSans[\w-]*)", data)))
    if not fonts:
        fail(f"{what}: в {pdf.name} нет встроенного шрифта DejaVu Sans (resources/fonts)")
    return f"{len(data) // 1024} КБ, шрифт {', '.join(sorted({name.decode() for _, name in fonts}))}"


def check_running(bundle: Path, version: str) -> None:
    cli, window = executables(bundle)
    with tempfile.TemporaryDirectory(prefix="metodset-smoke-") as name:
        tmp = Path(name)
        env = isolated_env(tmp)
        db = tmp / "smoke.sqlite"

        done = run(cli, ["--version"], env, tmp, "--version")
        line = done.stdout.strip()
        if line != f"МетодСеть {version}":
            fail(f"--version напечатал «{line}», а в pyproject.toml версия {version}")
        ok(f"--version: {line}")

        run(cli, ["--db", str(db), "demo", "--teachers", "100", "--password", DEMO_PASSWORD], env, tmp, "demo")
        if not db.is_file():
            fail(f"demo: базы {db.name} нет")
        ok(f"demo --teachers 100: база создана и обновлена миграциями ({db.stat().st_size // 1024} КБ)")

        done = run(cli, ["--db", str(db), "check"], env, tmp, "check")
        if "база исправна" not in done.stdout:
            fail(f"check: нет строки «база исправна»:\n{done.stdout.strip()}")
        ok("check: база исправна")

        signed = {**env, "METODSET_PASSWORD": DEMO_PASSWORD}
        xlsx = tmp / "охват.xlsx"
        run(cli, ["--db", str(db), "--user", "admin", "report", REPORT, "--out", str(xlsx)], signed, tmp,
            f"report {REPORT}")
        ok(f"report {REPORT}: {check_report(xlsx)}")

        pdf = tmp / "охват.pdf"
        run(cli, ["--db", str(db), "--user", "admin", "report", REPORT, "--out", str(pdf)], signed, tmp,
            f"report {REPORT} в PDF")
        ok(f"report {REPORT} в PDF: {check_pdf(pdf)}")

        # Port 1 of this machine: refused at once, so the driver is loaded and its refusal translated.
        done = run(cli, ["--db", "postgresql+psycopg://metodset@127.0.0.1:1/metodset", "check"],
                   env, tmp, "драйвер PostgreSQL", expect=1)
        if "PostgreSQL не отвечает" not in done.stderr:
            fail(f"драйвер PostgreSQL: вместо «сервер PostgreSQL не отвечает» — {done.stderr.strip()[:400]}")
        ok("драйвер PostgreSQL: загружен (сервера нет — ответ по-русски)")

        png = tmp / "окно.png"
        run(window, ["--db", str(db), "--user", "admin", "gui", "--screenshot", str(png)], signed, tmp,
            "gui --screenshot")
        ok(f"gui --screenshot: главное окно нарисовано ({check_screenshot(png, 'gui --screenshot')})")

        if not sys.platform.startswith("linux"):
            skipped("gui на экране X11: не Linux")
            return
        xvfb = shutil.which("xvfb-run")
        if xvfb is None:
            skipped("gui на экране X11: нет xvfb-run (Debian: apt-get install xvfb xauth)")
            return
        png = tmp / "окно-x11.png"
        what = "gui на экране X11 (Xvfb, модуль xcb)"
        run(Path(xvfb), ["-a", "-s", "-screen 0 1366x768x24", str(window), "--db", str(db), "--user", "admin",
                         "gui", "--screenshot", str(png)], {**signed, "QT_QPA_PLATFORM": "xcb"}, tmp, what)
        ok(f"{what}: главное окно нарисовано ({check_screenshot(png, what)})")


def main(argv: list[str]) -> int:
    bundle = Path(argv[0] if argv else ROOT / "dist" / "metodset").resolve()
    try:
        version = pyproject_version()
        check_contents(bundle, version)
        check_version_resource(bundle, version)
        check_running(bundle, version)
    except SmokeFailure as exc:
        print(f"ОШИБКА: {exc}", file=sys.stderr, flush=True)
        print(f"smoke: {len(PASSED)} passed, 1 failed, {len(SKIPPED)} skipped", flush=True)
        return 1
    print(f"Сборка {bundle} проверена: всё в порядке.", flush=True)
    print(f"smoke: {len(PASSED)} passed, 0 failed, {len(SKIPPED)} skipped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
