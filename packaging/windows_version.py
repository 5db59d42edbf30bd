"""The version resource of the Windows executables: what Explorer shows under «Свойства → Подробно».

packaging/metodset.spec writes it for both .exe files (PyInstaller's ``version=`` takes this text,
the format ``pyi-grab_version`` prints). The version comes from app/release.py, the one place it
lives; Windows wants four numbers, so ``0.5.0.dev1`` becomes 0.5.0.0 and the text keeps the rest.
No layer and no Qt: the spec runs it inside PyInstaller, tools/smoke_bundle.py checks it.
"""
from __future__ import annotations

import re
from pathlib import Path

RUSSIAN_UNICODE = "041904B0"        # StringTable key: language 0x0419 (Russian), code page 1200 (UTF-16)
DESCRIPTION = "МетодСеть — сетевое взаимодействие методического центра"


def numeric_version(version: str) -> tuple[int, int, int, int]:
    """Four numbers of a version string: the leading dotted digits, zeros for what is missing."""
    numbers = [int(n) for n in re.findall(r"\d+", re.match(r"[\d.]*", version).group(0))][:4]
    return tuple(numbers + [0] * (4 - len(numbers)))


def version_info_text(version: str, executable: str, product: str = "МетодСеть") -> str:
    numbers = numeric_version(version)
    strings = {
        "CompanyName": product,
        "FileDescription": DESCRIPTION,
        "FileVersion": version,
        "InternalName": Path(executable).stem,
        "LegalCopyright": "",
        "OriginalFilename": executable,
        "ProductName": product,
        "ProductVersion": version,
    }
    table = ",\n".join(f"          StringStruct({key!r}, {value!r})" for key, value in strings.items())
    return (
        "VSVersionInfo(\n"
        f"  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0, OS=0x40004,\n"
        "                    fileType=0x1, subtype=0x0, date=(0, 0)),\n"
        "  kids=[\n"
        f"    StringFileInfo([StringTable({RUSSIAN_UNICODE!r}, [\n{table}])]),\n"
        "    VarFileInfo([VarStruct('Translation', [0x0419, 1200])]),\n"
        "  ]\n"
        ")\n"
    )


def write_version_info(folder: Path, version: str, executable: str) -> Path:
    """The text for ``executable`` in ``folder`` (PyInstaller's work folder), its path for ``version=``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{Path(executable).stem}-version.txt"
    path.write_text(version_info_text(version, executable), encoding="utf-8")
    return path
