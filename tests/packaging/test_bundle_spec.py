"""The frozen build's lists agree with the tree, without building: every folder of resources/ travels in
packaging/metodset.spec and is checked by tools/smoke_bundle.py, and the smoke names a missing file.

The build itself and the smoke run of the built program are tools/build_bundle.sh (.ci/run runs it)."""
from __future__ import annotations

import ast
import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from app.release import version

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "metodset.spec"


def _load_smoke():
    spec = importlib.util.spec_from_file_location("smoke_bundle", ROOT / "tools" / "smoke_bundle.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


smoke = _load_smoke()


def _spec_constant(name: str):
    """A literal assigned at the top of the spec (the spec itself runs only inside PyInstaller)."""
    for node in ast.parse(SPEC.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"packaging/metodset.spec has no {name} = …")


def _resource_folders() -> set[str]:
    return {p.name for p in (ROOT / "resources").iterdir() if p.is_dir() and p.name != "__pycache__"}


def test_the_spec_carries_every_folder_of_resources():
    listed = set(_spec_constant("RESOURCE_FOLDERS"))
    missing = sorted(_resource_folders() - listed)
    assert not missing, f"resources/ folders the spec leaves out (add them to RESOURCE_FOLDERS): {missing}"
    assert not sorted(listed - _resource_folders()), "the spec names folders resources/ does not have"


def test_the_smoke_checks_every_folder_of_resources_and_names_real_files():
    required = smoke.REQUIRED_RESOURCES
    missing = sorted(_resource_folders() - set(required))
    assert not missing, f"resources/ folders tools/smoke_bundle.py does not check (REQUIRED_RESOURCES): {missing}"
    assert not sorted(set(required) - _resource_folders())
    for folder, patterns in required.items():
        for pattern in patterns:
            found = list((ROOT / "resources" / folder).glob(pattern))
            assert found, f"tools/smoke_bundle.py asks for resources/{folder}/{pattern}, which is not there"


def test_the_spec_and_the_smoke_agree_on_the_optional_folders_and_the_migrations():
    optional = _spec_constant("OPTIONAL_RESOURCE_FOLDERS")
    assert {name: ROOT / source for name, source in optional.items()} == smoke.OPTIONAL_RESOURCES
    assert _spec_constant("MIGRATIONS") == smoke.MIGRATIONS
    assert (ROOT / smoke.MIGRATIONS / "env.py").is_file()


def test_the_smoke_expects_the_version_the_program_reports():
    assert smoke.pyproject_version() == version()


# --- the smoke's listing on a bundle laid out by hand -------------------------------------------------

def _fake_bundle(tmp_path: Path) -> Path:
    """The layout PyInstaller makes from the spec, with empty files where Qt's would be."""
    bundle = tmp_path / "metodset"
    inner = bundle / "_internal"
    for folder in _spec_constant("RESOURCE_FOLDERS"):
        shutil.copytree(smoke.RESOURCES / folder, inner / "resources" / folder)
    for path in smoke.RESOURCES.iterdir():
        if path.is_file():
            shutil.copy2(path, inner / "resources" / path.name)
    for name, source in smoke.OPTIONAL_RESOURCES.items():
        if source.is_dir():
            shutil.copytree(source, inner / "resources" / name)
    shutil.copytree(ROOT / smoke.MIGRATIONS, inner / smoke.MIGRATIONS,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    translations, plugins = smoke.qt_paths(inner)
    translations.mkdir(parents=True)
    (translations / "qtbase_ru.qm").write_bytes(b"")
    (plugins / "platforms").mkdir(parents=True)
    for name in (["qwindows.dll", "qoffscreen.dll"] if smoke.WINDOWS else ["libqxcb.so", "libqoffscreen.so"]):
        (plugins / "platforms" / name).write_bytes(b"")
    info = inner / f"metodset-{version()}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: metodset\nVersion: {version()}\n", encoding="utf-8")
    for exe in set(smoke.executables(bundle)):
        exe.write_bytes(b"")
        exe.chmod(0o755)
    return bundle


def test_the_smoke_passes_a_complete_bundle(tmp_path, capsys):
    smoke.check_contents(_fake_bundle(tmp_path), version())
    assert "ок: русский перевод Qt" in capsys.readouterr().out


@pytest.mark.parametrize("missing", [
    "resources/fonts/DejaVuSans-Bold.ttf",
    "resources/styles/main.qss",
    "resources/help/teachers.md",
    "resources/icons/metodset.png",
    "app/storage/migrations/script.py.mako",
    "app/storage/migrations/versions/0001_initial.py",
    "QT_TRANSLATIONS/qtbase_ru.qm",
])
def test_a_bundle_missing_a_resource_fails_the_smoke_naming_it(tmp_path, missing):
    bundle = _fake_bundle(tmp_path)
    if missing.startswith("QT_TRANSLATIONS/"):
        translations, _ = smoke.qt_paths(smoke.contents_dir(bundle))
        missing = f"{translations.relative_to(smoke.contents_dir(bundle)).as_posix()}/qtbase_ru.qm"
    (smoke.contents_dir(bundle) / missing).unlink()
    with pytest.raises(smoke.SmokeFailure, match=missing.replace(".", r"\.")):
        smoke.check_contents(bundle, version())


def test_a_bundle_with_another_version_fails_the_smoke(tmp_path):
    bundle = _fake_bundle(tmp_path)
    info = next(smoke.contents_dir(bundle).glob("metodset-*.dist-info"))
    (info / "METADATA").write_text("Name: metodset\nVersion: 0.0.1\n", encoding="utf-8")
    with pytest.raises(smoke.SmokeFailure, match="версия 0.0.1"):
        smoke.check_contents(bundle, version())


def test_the_guide_is_checked_once_the_checkout_has_it(tmp_path, monkeypatch):
    guide = tmp_path / "guide-source"
    (guide / "img").mkdir(parents=True)
    (guide / "index.md").write_text("# Руководство\n", encoding="utf-8")
    (guide / "img" / "start.png").write_bytes(b"\x89PNG")
    monkeypatch.setattr(smoke, "OPTIONAL_RESOURCES", {"guide": guide})
    bundle = _fake_bundle(tmp_path)
    smoke.check_contents(bundle, version())
    (smoke.contents_dir(bundle) / "resources" / "guide" / "img" / "start.png").unlink()
    with pytest.raises(smoke.SmokeFailure, match="resources/guide/img/start.png"):
        smoke.check_contents(bundle, version())


def test_a_file_lying_in_resources_itself_is_checked_too(tmp_path, monkeypatch):
    resources = tmp_path / "resources"
    shutil.copytree(ROOT / "resources", resources)
    (resources / "municipalities.csv").write_text("код;наименование\n46-231;Курский район\n", encoding="utf-8")
    monkeypatch.setattr(smoke, "RESOURCES", resources)
    bundle = _fake_bundle(tmp_path)
    smoke.check_contents(bundle, version())
    (smoke.contents_dir(bundle) / "resources" / "municipalities.csv").unlink()
    with pytest.raises(smoke.SmokeFailure, match=r"resources/municipalities\.csv"):
        smoke.check_contents(bundle, version())


# --- the icon ---------------------------------------------------------------------------------------------

def test_the_icon_files_hold_every_size_windows_asks_for(qapp):
    from PySide6.QtGui import QImageReader

    from app.ui.shell.application import window_icon

    reader = QImageReader(str(ROOT / "resources" / "icons" / "metodset.ico"))
    sizes = set()
    for i in range(reader.imageCount()):
        reader.jumpToImage(i)
        sizes.add(reader.read().width())
    assert {16, 24, 32, 48, 256} <= sizes
    assert not window_icon().isNull()
    assert window_icon().availableSizes()[0].width() == 256


# --- the version resource of the Windows executables ---------------------------------------------------

def _load_windows_version():
    spec = importlib.util.spec_from_file_location("windows_version", ROOT / "packaging" / "windows_version.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _structure(text: str):
    """The text as PyInstaller's eval() sees it, each of its classes recorded as (name, args, kwargs)."""
    names = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct", "VarFileInfo",
             "VarStruct")
    namespace = {name: (lambda n: lambda *a, **k: (n, a, k))(name) for name in names}
    return eval(compile(ast.parse(text, mode="eval"), "version-info", "eval"), {"__builtins__": {}}, namespace)


def test_the_exe_version_resource_carries_the_program_version_in_russian():
    wv = _load_windows_version()
    assert wv.numeric_version("0.4.2") == (0, 4, 2, 0)
    assert wv.numeric_version("1.2") == (1, 2, 0, 0)
    assert wv.numeric_version("0.5.0.dev1") == (0, 5, 0, 0)
    assert wv.numeric_version("2.0.1.7.9") == (2, 0, 1, 7)
    name, _args, top = _structure(wv.version_info_text("0.5.0.dev1", "metodset-cli.exe"))
    assert name == "VSVersionInfo"
    assert top["ffi"][2]["filevers"] == top["ffi"][2]["prodvers"] == (0, 5, 0, 0)
    string_info, var_info = top["kids"]
    (table,) = string_info[1][0]
    assert table[0] == "StringTable" and table[1][0] == "041904B0"
    strings = dict(struct[1] for struct in table[1][1])
    assert strings["ProductVersion"] == strings["FileVersion"] == "0.5.0.dev1"
    assert strings["OriginalFilename"] == "metodset-cli.exe" and strings["InternalName"] == "metodset-cli"
    assert strings["ProductName"] == "МетодСеть" and "методического центра" in strings["FileDescription"]
    assert var_info[1][0][0][1] == ("Translation", [0x0419, 1200])


def test_the_spec_gives_both_windows_executables_the_version_from_release(tmp_path):
    text = SPEC.read_text(encoding="utf-8")
    assert "version=str(write_version_info(Path(workpath), version(), f\"{name}.exe\")) if WINDOWS" in text
    written = _load_windows_version().write_version_info(tmp_path / "work", version(), "metodset.exe")
    assert written.read_text(encoding="utf-8").count(f"'{version()}'") == 2
