"""The shape of an entity declaration and the registry the declarations fill.

The declarations themselves live in specs_people, specs_activity and specs_review;
``app.services.registry.specs`` is the door that loads them all.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from datetime import date
from functools import cached_property
from typing import Callable

from sqlalchemy import ColumnElement, func

from app.domain.deadlines import Windows
from app.services.common.fields import TEXT, Field


@dataclass(frozen=True)
class Derived:
    """A column computed from stored fields by a domain rule (e.g. the PD due date)."""

    name: str
    label: str
    needs: tuple[str, ...]
    compute: Callable[[dict, Windows], object]      # (row, the centre's windows) → value
    sort_by: str                    # the stored column that orders the same way
    # Or a value SQL computes per row (a count of related records), selected and ordered under ``name``.
    sql: Callable[[type], ColumnElement] | None = None


@dataclass(frozen=True)
class NamedFilter:
    """A filter that is not a plain field comparison (a rule, a related table)."""

    name: str
    label: str
    choices: tuple[tuple[str, str], ...]          # (value, Russian label)
    build: Callable[[type, str, date, Windows], ColumnElement]      # (model, value, today, the centre's windows)
    # Labels that name a window («срок в ближайшие 7 дней») are worded from the windows in force.
    window_labels: Callable[[Windows], dict[str, str]] | None = None

    def choices_at(self, windows: Windows) -> tuple[tuple[str, str], ...]:
        if self.window_labels is None:
            return self.choices
        worded = self.window_labels(windows)
        return tuple((value, worded.get(value, label)) for value, label in self.choices)


@dataclass(frozen=True)
class EntitySpec:
    name: str                       # CLI and API name, plural latin: "teachers"
    model: type
    title: str                      # «Педагоги»
    singular: str                   # «педагог» (for messages)
    fields: tuple[Field, ...]
    list_columns: tuple[str, ...]
    display: Callable[[type], ColumnElement]
    order_by: tuple[str, ...]
    # (entity, fk field): rows of these entities belong to this one and are
    # deleted and restored with it.
    owns: tuple[tuple[str, str], ...] = ()
    searchable: bool = dc_field(default=False)
    derived: tuple[Derived, ...] = ()
    filters: tuple[NamedFilter, ...] = ()
    # Plain fields offered as filters in lists (enum, reference, text choices).
    filter_fields: tuple[str, ...] = ()
    # A fixed condition of a view over a model (the bank of best practice: approved materials only).
    scope: Callable[[type], ColumnElement] | None = None

    def named_filter(self, name: str) -> NamedFilter | None:
        return next((f for f in self.filters if f.name == name), None)

    @cached_property
    def _by_name(self) -> dict[str, Field]:
        # Looked up for every row of an import or a package (tens of thousands): a dict, not a scan.
        return {f.name: f for f in self.fields}

    def field(self, name: str) -> Field:
        return self._by_name[name]

    def has_field(self, name: str) -> bool:
        return name in self._by_name


def column(name: str) -> Callable[[type], ColumnElement]:
    return lambda m: getattr(m, name)


def organization_name(m) -> ColumnElement:
    return func.coalesce(func.nullif(m.short_name, ""), m.full_name)


def F(name, label, kind=TEXT, **kw) -> Field:  # noqa: N802 - reads like a table row
    return Field(name, label, kind, **kw)


SPECS: dict[str, EntitySpec] = {}


def register(spec: EntitySpec) -> EntitySpec:
    SPECS[spec.name] = spec
    return spec
