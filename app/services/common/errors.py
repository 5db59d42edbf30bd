"""What services raise: always a Russian message a user can act on."""
from __future__ import annotations

from dataclasses import dataclass

# The server went away mid-action (PostgreSQL): the UI shows its message like a refusal.
from app.storage.driver_errors import ServerUnavailable  # noqa: F401 - re-exported for the UI
from app.storage.driver_errors import os_error_phrase


class ServiceError(Exception):
    """A refused action; ``str(e)`` is the Russian message."""


class NotFound(ServiceError):
    pass


@dataclass(frozen=True)
class FieldError:
    field: str
    label: str
    message: str

    def __str__(self) -> str:
        return f"Поле «{self.label}»: {self.message}"


class ValidationFailed(ServiceError):
    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))

    def for_field(self, name: str) -> str | None:
        return next((e.message for e in self.errors if e.field == name), None)


def describe_os_error(exc: OSError, *, with_path: bool = True) -> str:
    """What went wrong with a file, in Russian; with the path unless the caller names it itself."""
    what = os_error_phrase(exc)
    where = exc.filename if exc.filename is not None else ""
    return f"{what}: «{where}»" if where and with_path else what


class ConcurrentEdit(ServiceError):
    """Someone else saved the record after it was opened; nothing was written. ``current_version`` is the
    version now stored: a save that names it writes over theirs knowingly."""

    def __init__(self, message: str, current_version: int):
        super().__init__(message)
        self.current_version = current_version
