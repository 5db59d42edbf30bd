"""What a list's filter panel offers: enum and reference choices, distinct text values, municipalities."""
from __future__ import annotations

from sqlalchemy import select

from app.domain import names
from app.services.access import record_scope
from app.services.common.fields import ENUM, REF
from app.services.registry.deadline_settings import deadline_windows
from app.services.registry.record_search import MUNICIPALITY_FILTER
from app.services.registry.specs import spec_for
from app.storage.database import Database
from app.storage.models import AppMeta, Municipality


def filter_options(db: Database, entity: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """What a filter panel offers for this entity, with the choices to pick from."""
    spec = spec_for(entity)
    options = []
    for name in spec.filter_fields:
        f = spec.field(name)
        if f.kind == ENUM:
            choices = f.enum.choices()
        elif f.kind == REF:
            target = spec_for(f.ref)
            with db.read() as s:
                choices = [(i, n) for i, n in s.execute(record_scope.restrict(
                    db, target.name, target.model,
                    select(target.model.id, target.display(target.model))
                    .where(target.model.deleted_at.is_(None)).order_by(target.display(target.model))))]
        else:
            choices = [(v, v) for v in distinct_values(db, entity, name)]
        options.append((name, f.label, choices))
    if spec.filters:
        windows = deadline_windows(db)
        options.extend((nf.name, nf.label, list(nf.choices_at(windows))) for nf in spec.filters)
    municipalities = municipality_choices(db, entity)
    if len(municipalities) > 1:
        options.append((MUNICIPALITY_FILTER, "Муниципалитет", municipalities))
    return options


def municipality_choices(db: Database, entity: str) -> list[tuple[str, str]]:
    """The municipalities whose records this list holds: (code, name), for the region's database.

    Only the region's database (sync role «region»), consolidated from many
    packages, holds several and filters every list by them.
    """
    spec = spec_for(entity)
    with db.read() as s:
        # Only the region's database holds several municipalities: others skip the scan.
        role = s.scalar(select(AppMeta.value).where(AppMeta.key == "sync_role"))
        if role != "region":
            return []
        codes = sorted(c for c in s.scalars(select(spec.model.origin).distinct()) if c)
        if len(codes) < 2:
            return []
        names = dict(s.execute(select(Municipality.code, Municipality.name)
                               .where(Municipality.code.in_(codes))).all())
    return [(c, f"{names[c]} ({c})" if names.get(c) else c) for c in codes]


def distinct_values(db: Database, entity: str, field_name: str) -> list[str]:
    """Distinct non-empty values of a text field; comma-separated lists are split."""
    spec = spec_for(entity)
    col = getattr(spec.model, spec.field(field_name).name)
    stmt = select(col).distinct().where(spec.model.deleted_at.is_(None), col.is_not(None))
    if spec.scope is not None:
        stmt = stmt.where(spec.scope(spec.model))
    with db.read() as s:
        raw = s.scalars(stmt)
        values = {part.strip() for v in raw for part in str(v).split(",") if part.strip()}
    return sorted(values, key=names.search_key)
