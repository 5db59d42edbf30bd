"""The one query behind every list: its columns, joins, filters, search, order and the account's scope."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from app.domain.deadlines import DEFAULT_WINDOWS, Windows
from app.services.access import record_scope
from app.services.common.errors import ServiceError
from app.services.common.fields import REF
from app.services.registry.deadline_settings import deadline_windows
from app.services.registry.record_access import ref_key
from app.services.registry.record_search import filter_clause, query_words, search_clause
from app.services.registry.specs import EntitySpec, spec_for
from app.storage.database import Database

Filters = dict[str, Any] | None


def list_select(db: Database, spec: EntitySpec, search: str | None, order: str | None, descending: bool,
                deleted: bool | None, filters: Filters = None, *, ids_only: bool = False,
                walk: bool = False) -> Select:
    """The list query. ``ids_only`` joins a referenced table only when the order needs it;
    ``walk``: test each row's own search key (see RecordService.first_ids)."""
    m = spec.model
    cols = [m.id]
    joins: dict[str, tuple] = {}
    order_cols: dict[str, Any] = {}
    for name in spec.list_columns:
        f = spec.field(name)
        if f.kind == REF:
            target = spec_for(f.ref)
            alias = aliased(target.model)
            label = target.display(alias).label(ref_key(name))
            cols += [label, getattr(m, name)]
            joins[name] = (alias, getattr(m, name) == alias.id)
            order_cols[name] = order_cols[ref_key(name)] = (label, name)
        else:
            cols.append(getattr(m, name))
            order_cols[name] = (getattr(m, name), None)
    extra = dict.fromkeys(n for d in spec.derived for n in d.needs if n not in spec.list_columns)
    cols.extend(getattr(m, n) for n in extra)
    cols.append(m.deleted_at)
    order_cols["deleted_at"] = (m.deleted_at, None)
    for d in spec.derived:
        if d.sql is not None:
            computed = d.sql(m).label(d.name)
            cols.append(computed)
            order_cols[d.name] = (computed, None)
        else:
            order_cols[d.name] = (getattr(m, d.sort_by), None)

    if order and order not in order_cols:
        raise ServiceError(f"Нельзя упорядочить по полю «{order}».")
    primary, needs_join = order_cols[order] if order else (None, None)
    if ids_only:
        stmt = select(m.id).select_from(m)
        if needs_join:
            stmt = stmt.outerjoin(*joins[needs_join])
    else:
        stmt = select(*cols).select_from(m)
        for alias, on in joins.values():
            stmt = stmt.outerjoin(alias, on)

    if deleted is True:
        stmt = stmt.where(m.deleted_at.is_not(None))
    elif deleted is False:
        stmt = stmt.where(m.deleted_at.is_(None))
    if spec.scope is not None:
        stmt = stmt.where(spec.scope(m))
    windows = None      # read once, and only for a filter that names a window
    for name, value in (filters or {}).items():
        if value is None or value == "":
            continue
        if windows is None and spec.named_filter(name) is not None:
            windows = deadline_windows(db)
        stmt = stmt.where(filter_clause(spec, name, value, windows or DEFAULT_WINDOWS))
    if search and query_words(search):
        stmt = stmt.where(search_clause(db.is_sqlite, spec, search, walk=walk))
    if primary is not None:
        stmt = stmt.order_by(primary.desc() if descending else primary.asc(), m.id)
    else:
        stmt = stmt.order_by(*(getattr(m, o) for o in spec.order_by), m.id)
    return record_scope.restrict(db, spec.name, m, stmt)


def with_derived(spec: EntitySpec, row: dict[str, Any], windows: Windows | None) -> dict[str, Any]:
    """The row with the entity's computed columns (a teacher's «следующий срок ПК» …) filled in."""
    for d in spec.derived:
        row[d.name] = d.compute(row, windows or DEFAULT_WINDOWS)
    return row
