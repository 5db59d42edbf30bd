"""The decrypted payload: a zip read in memory from a whitelist of names, with hard limits.

Each member is read in chunks and counted, because the sizes a zip declares
are not enforced by ``zipfile`` (cpython #83522); nothing is ever extracted
to disk.
"""
from __future__ import annotations

import hashlib
import io
import re
import zipfile

from app.sync.errors import PackageRefused

MAX_ENTRIES = 256
MAX_TOTAL = 1 << 30             # uncompressed bytes in one package
MAX_RATIO = 200                 # uncompressed : compressed, above RATIO_FLOOR
RATIO_FLOOR = 16 << 20
_NAME = re.compile(r"^records/[a-z_]{1,64}\.jsonl$")


def part_name(table: str) -> str:
    return f"records/{table}.jsonl"


def table_of(name: str) -> str:
    return name[len("records/"):-len(".jsonl")]


def build(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def describe(parts: dict[str, bytes], counts: dict[str, int]) -> list[dict]:
    """The manifest's list of parts: name, size, number of records, SHA-256."""
    return [{"name": name, "size": len(data), "records": counts.get(name, 0),
             "sha256": hashlib.sha256(data).hexdigest()} for name, data in parts.items()]


def read(data: bytes, declared: list[dict], allowed_tables: set[str],
         extra_names: frozenset[str] = frozenset()) -> dict[str, bytes]:
    """Member name → bytes, every one listed in the manifest with a matching SHA-256."""
    bad = PackageRefused("Содержимое пакета повреждено: это не архив записей МетодСети.")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise bad from None
    if len(infos) > MAX_ENTRIES:
        raise PackageRefused(f"В пакете слишком много файлов ({len(infos)}); допускается до {MAX_ENTRIES}.")
    expected = {}
    for d in declared if isinstance(declared, list) else []:
        if isinstance(d, dict) and isinstance(d.get("name"), str) and isinstance(d.get("sha256"), str):
            expected[d["name"]] = d["sha256"]
    seen: dict[str, bytes] = {}
    total = 0
    for info in infos:
        name = info.filename
        known = name in extra_names or (_NAME.match(name) and "\\" not in name and table_of(name) in allowed_tables)
        if not known or name in seen:
            raise PackageRefused(f"Недопустимое имя файла внутри пакета: «{name[:100]}». Пакет отклонён.")
        if name not in expected:
            raise PackageRefused(f"Файл «{name}» внутри пакета не указан в его описи.")
        chunks = []
        member_total = 0
        try:
            with zf.open(info) as f:
                while chunk := f.read(1 << 16):
                    member_total += len(chunk)
                    total += len(chunk)
                    if total > MAX_TOTAL or (total > RATIO_FLOOR and total > MAX_RATIO * max(len(data), 1)):
                        raise PackageRefused("Пакет распаковывается в недопустимо большой объём "
                                             "(похоже на «архивную бомбу»). Пакет отклонён.")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            raise bad from None
        body = b"".join(chunks)
        if hashlib.sha256(body).hexdigest() != expected[name]:
            raise PackageRefused(f"Контрольная сумма файла «{name}» не совпадает с описью пакета.")
        seen[name] = body
    missing = set(expected) - set(seen)
    if missing:
        raise PackageRefused(f"В пакете нет файлов, указанных в описи: {', '.join(sorted(missing))}.")
    return seen
