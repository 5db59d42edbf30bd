"""«Перенести базу на сервер»: the whole SQLite database, its attached files and its sync identity into an
empty PostgreSQL database (storage/db_copy does the rows, in one transaction, and verifies them)."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

from sqlalchemy.engine import make_url

from app.services.access import audit
from app.services.access.permissions import MANAGE_BACKUPS, require
from app.services.common.actor import Actor
from app.services.common.bootstrap import files_dir
from app.services.common.errors import ServiceError
from app.storage.database import Database
from app.storage.db_copy import CopyRefused, CopyResult, copy_database, holds_data
from app.storage.driver_errors import driver_message
from app.storage.migrate import upgrade_database


def move_to_server(source: Database, target_url: str, *, actor: Actor | None = None,
                   progress: Callable[[float, str], None] | None = None) -> CopyResult:
    require(source, MANAGE_BACKUPS, "переносить базу на сервер")
    if make_url(target_url).get_backend_name() != "postgresql":
        raise ServiceError("Перенос выполняется в базу PostgreSQL: укажите адрес вида "
                           "postgresql+psycopg://пользователь@сервер/база.")
    if not source.is_sqlite:
        raise ServiceError("Переносится встроенная база SQLite (файл); эта база уже на сервере.")
    try:
        target = Database(target_url)
    except Exception as exc:  # noqa: BLE001 - a driver or URL problem becomes one Russian line
        raise ServiceError(f"Не удалось подключиться к серверу: {driver_message(exc)}") from None
    try:
        try:
            found = holds_data(target)
        except Exception as exc:  # noqa: BLE001
            raise ServiceError(f"Не удалось подключиться к серверу: {driver_message(exc)}") from None
        where = target.describe()
        if found:
            raise ServiceError(f"База {where} не пуста (записей: {found}); перенос выполняется только в пустую "
                               "базу, чтобы ничего не смешать и не потерять.")
        if progress:
            progress(0.0, "Создание таблиц на сервере")
        upgrade_database(target, None)
        try:
            result = copy_database(source, target, progress=progress)
        except CopyRefused as exc:
            raise ServiceError(f"Перенос не выполнен: {exc}") from None
        _copy_files(files_dir(source), files_dir(target))
        with target.session() as s:
            audit.write(s, actor or Actor.system_user(), "import", "database", "",
                        summary=f"База перенесена из {source.describe()}: таблиц {len(result.tables)}, "
                                f"строк {result.rows}; сверка по числу строк и контрольным суммам сошлась.")
        return result
    finally:
        target.dispose()


def _copy_files(src: Path, dst: Path) -> None:
    if src.is_dir() and src.resolve() != dst.resolve():
        shutil.copytree(src, dst, dirs_exist_ok=True)
