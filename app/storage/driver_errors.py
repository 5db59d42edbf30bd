"""A database driver's failure in words a user reads: Russian, without SQLAlchemy's links and SQL."""
from __future__ import annotations

import errno

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

# SQLite's own messages (lower case) and what they mean to the person at the PC.
SQLITE_MESSAGES = (
    ("file is not a database", "файл не является базой данных SQLite"),
    ("disk i/o error", "файл не читается как база данных (это не файл базы или диск недоступен)"),
    ("unable to open database file", "файл не открывается: нет такой папки или нет прав доступа"),
    ("database disk image is malformed", "файл базы данных повреждён"),
    ("database is locked", "база занята другой программой"),
    ("readonly database", "база открыта только для чтения: нет прав на запись в файл или папку"),
    ("database or disk is full", "на диске нет места"),
)


# PostgreSQL's (libpq's) messages a user meets when connecting.
POSTGRES_MESSAGES = (
    ("no password supplied", "сервер PostgreSQL требует пароль: задайте его в файле паролей libpq (~/.pgpass, "
                             "в Windows %APPDATA%\\postgresql\\pgpass.conf) или в переменной PGPASSWORD"),
    ("password authentication failed", "неверное имя пользователя или пароль на сервере PostgreSQL"),
    ("connection refused", "сервер PostgreSQL не отвечает: проверьте адрес и порт и что сервер запущен"),
    ("is the server running", "сервер PostgreSQL не отвечает: проверьте адрес и порт и что сервер запущен"),
    ("could not translate host name", "не найден сервер PostgreSQL с таким именем"),
    ("timeout expired", "сервер PostgreSQL не ответил вовремя"),
)
# What libpq says when the server goes away under an open connection.
_LOST = ("server closed the connection", "terminating connection", "the connection is lost",
         "the connection is closed", "consuming input failed", "connection not open")
LOST_MESSAGE = "связь с сервером PostgreSQL прервалась (сервер остановлен или сеть недоступна)"
_UNREACHABLE = ("connection refused", "is the server running", "could not translate host name", "timeout expired")
_PASSWORD_WANTED = ("no password supplied", "password authentication failed")


def needs_password(exc: BaseException | None) -> bool:
    """The server refused the connection for want of a (right) password."""
    while exc is not None:
        if any(m in str(exc).lower() for m in _PASSWORD_WANTED):
            return True
        exc = exc.__cause__ or (exc.orig if isinstance(exc, DBAPIError) else None)
    return False


def driver_message(exc: BaseException) -> str:
    """One Russian phrase for ``exc``; the driver's own text when nothing better is known."""
    if isinstance(exc, ServerUnavailable):
        return exc.reason
    if isinstance(exc, ModuleNotFoundError):
        if exc.name and exc.name.startswith("psycopg"):
            return "не установлен драйвер PostgreSQL (пакет psycopg)"
        return f"не установлен модуль {exc.name}"
    original = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    text = str(original).strip()
    if isinstance(exc, SQLAlchemyError) and original is exc:
        # SQLAlchemy appends "(Background on this error at: …)" to its own messages.
        text = text.split("\n(Background on this error")[0].strip()
    lowered = text.lower()
    for known, russian in SQLITE_MESSAGES + POSTGRES_MESSAGES:
        if known in lowered:
            return russian
    if isinstance(original, OSError):
        return os_error_phrase(original)
    return text or type(original).__name__


def os_error_phrase(exc: OSError) -> str:
    """What the operating system refused, in Russian (its own text is in the system's language, often English)."""
    if isinstance(exc, PermissionError):
        return "нет прав доступа"
    if isinstance(exc, FileExistsError):
        return "на этом месте уже есть файл, а нужна папка (или наоборот)"
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        return "нет такого файла или папки"
    if isinstance(exc, IsADirectoryError):
        return "это папка, а не файл"
    if exc.errno == errno.ENOSPC:
        return "на диске нет места"
    if exc.errno == errno.EROFS:
        return "диск или папка доступны только для чтения"
    if exc.errno == errno.ENAMETOOLONG:
        return "слишком длинное имя файла или пути"
    # Other refusals are rare; the system's own words (often English) stay, after a Russian lead.
    return f"ошибка файловой системы ({exc.strerror or exc})"


class ServerUnavailable(Exception):
    """The database server went away or cannot be reached: the action's transaction is gone whole."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(f"{reason}; действие не выполнено и ничего из него не записано — "
                         "повторите его, когда сервер будет доступен")


def report_lost_server(engine: Engine) -> None:
    """A dropped or refused server connection becomes ``ServerUnavailable`` with a Russian message.

    The pool is still invalidated as for any disconnect, so the next action
    connects afresh once the server is back.
    """
    @event.listens_for(engine, "handle_error")
    def _on_error(context) -> None:
        if context.is_pre_ping:
            return              # the pool's own check of a pooled connection: it reconnects by itself
        lowered = str(context.original_exception).lower()
        if context.is_disconnect or any(m in lowered for m in _LOST):
            raise ServerUnavailable(LOST_MESSAGE) from context.sqlalchemy_exception or context.original_exception
        if any(m in lowered for m in _UNREACHABLE):
            raise ServerUnavailable(driver_message(context.original_exception)) \
                from context.sqlalchemy_exception or context.original_exception
