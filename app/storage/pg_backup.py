"""Backups of a PostgreSQL database with the server's own tools: ``pg_dump -Fc`` and ``pg_restore``.

The connection goes to the tools as libpq variables (PGHOST, PGUSER …), never
on a command line another user could read; the password comes from the libpq
conventions (PGPASSWORD, ~/.pgpass). A dump is written beside its target and
renamed when whole; a restore runs in one transaction, so a failed one leaves
the database as it was.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from app.storage.backup import BackupError
from app.storage.driver_errors import os_error_phrase

TIMEOUT_S = 6 * 3600
MISSING_TOOLS = ("Для резервной копии базы PostgreSQL нужны программы {tool} и pg_restore из клиента PostgreSQL "
                 "той же или более новой версии, что и сервер (Debian: apt-get install postgresql-client; "
                 "Windows: установщик PostgreSQL, компонент «Command Line Tools»).")


def newest_debian_tool(name: str) -> str | None:
    """The program from the newest /usr/lib/postgresql/N/bin (Debian keeps them off PATH), or None."""
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[-3]))
    return candidates[-1] if candidates else None


def tool(name: str) -> str:
    found = shutil.which(name) or newest_debian_tool(name)
    if found:
        return found
    raise BackupError(MISSING_TOOLS.format(tool=name))


def has_tools() -> bool:
    """pg_dump and pg_restore are installed here."""
    try:
        tool("pg_dump")
        tool("pg_restore")
    except BackupError:
        return False
    return True


def libpq_environment(url: str) -> dict[str, str]:
    """The connection of an SQLAlchemy URL as libpq variables, on top of this process's environment."""
    u = make_url(url)
    env = dict(os.environ)
    query = {k: (v[0] if isinstance(v, tuple) else v) for k, v in u.query.items()}
    for var, value in (("PGHOST", query.get("host") or u.host), ("PGPORT", query.get("port") or u.port),
                       ("PGUSER", u.username), ("PGPASSWORD", u.password), ("PGDATABASE", u.database),
                       ("PGSSLMODE", query.get("sslmode"))):
        if value:
            env[var] = str(value)
    return env


def _run(args: list[str], url: str, what: str) -> None:
    try:
        done = subprocess.run(args, env=libpq_environment(url), capture_output=True, text=True, timeout=TIMEOUT_S)
    except OSError as exc:
        raise BackupError(f"{what}: не удалось запустить {Path(args[0]).name}: {os_error_phrase(exc)}.") from None
    except subprocess.TimeoutExpired:
        raise BackupError(f"{what}: {Path(args[0]).name} не закончил работу за {TIMEOUT_S // 3600} ч.") from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(f"{what}: {Path(args[0]).name} сообщил: {detail[-1] if detail else 'ошибка'}")


def dump(url: str, dest: Path) -> Path:
    """The whole database into ``dest`` (pg_dump custom format)."""
    dest = Path(dest)
    if dest.is_dir():
        raise BackupError(f"«{dest}» — папка; укажите файл резервной копии.")
    part = dest.with_name(dest.name + ".part")
    try:
        _run([tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={part}"],
             url, "Резервная копия не создана")
        os.replace(part, dest)
    finally:
        part.unlink(missing_ok=True)
    return dest


def restore(url: str, source: Path) -> None:
    """Replaces the database's contents with a dump, in one transaction."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"Файл резервной копии «{source}» не найден.")
    _run([tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", f"--dbname={make_url(url).database}", str(source)], url, "База не восстановлена")


def count_rows(source: Path, table: str) -> int | None:
    """How many rows ``table`` holds in a dump, read from the dump itself (its COPY data); None if unreadable."""
    try:
        done = subprocess.run([tool("pg_restore"), "--data-only", f"--table={table}", "--file=-", str(source)],
                              capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=600)
    except (BackupError, OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    rows, inside = 0, False
    for line in done.stdout.splitlines():
        if inside:
            if line == "\\.":
                inside = False
            else:
                rows += 1
        elif line.startswith("COPY ") and " FROM stdin;" in line:
            inside = True
    return rows
