"""What services raise: always a Russian message a user can act on."""
from __future__ import annotations

from dataclasses import dataclass


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
