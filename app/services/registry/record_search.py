"""How a list query finds records: the words of a search, the clauses of a search and of a filter.

Every word must occur in the record's case-folded search key or in that of a
record it references; the key is indexed so that SQLite answers from it.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from app.domain import names
from app.domain.deadlines import DEFAULT_WINDOWS, Windows
from app.domain.validators import ValidationError
from app.services.common.errors import ServiceError
from app.services.common.fields import REF, normalize
from app.services.registry.specs import EntitySpec, spec_for
from app.storage.portable_sql import in_rows_of, indexable_fragment

_DIGITS_QUERY = re.compile(r"^[\d\s\-]{3,}$")
MIN_WORD_LENGTH = 2
# The region's filter of every list by the municipality a record came from.
MUNICIPALITY_FILTER = "origin"


def query_words(text: str) -> list[str]:
    """A search query as normalised words; a СНИЛС or phone typed with separators is one word.

    Single letters are left out: the first letter typed would match most of a
    100,000-teacher registry and only slow the list down; search starts with
    the second letter.
    """
    if _DIGITS_QUERY.match(text):
        return [re.sub(r"\D", "", text)]
    return [w for w in names.search_key(text).split() if len(w) >= MIN_WORD_LENGTH]


def search_clause(is_sqlite: bool, spec: EntitySpec, text: str, *, walk: bool = False):
    """Every word of the query must occur in the record's own search key or in a referenced one's.

    Each word becomes ``id IN (…)``/``fk IN (…)`` subqueries that SQLite answers
    from the narrow covering index on the search key instead of the wide rows.
    With ``walk`` the record's own key is tested row by row instead, for a
    query that stops early along the ordering index (see first_ids).

    PostgreSQL without ``walk``: the own key's LIKE and ``fk = ANY(ARRAY(…))``
    are both index conditions, which the server combines (trigram index OR
    foreign-key index) instead of testing a subquery on every row.
    """
    indexed = not is_sqlite and not walk
    m = spec.model
    refs = [(spec.field(n), spec_for(spec.field(n).ref)) for n in spec.list_columns
            if spec.field(n).kind == REF and spec_for(spec.field(n).ref).searchable]
    if not spec.searchable and not refs:
        raise ServiceError(f"Поиск по разделу «{spec.title}» не поддерживается.")
    clauses = []
    for word in query_words(text):
        alternatives = []
        if spec.searchable and (walk or indexed):
            alternatives.append(contains(is_sqlite, m.search_key, word))
        elif spec.searchable:
            own = aliased(m)
            alternatives.append(m.id.in_(select(own.id).where(contains(is_sqlite, own.search_key, word))))
        for f, target in refs:
            t = aliased(target.model)
            column, found = getattr(m, f.name), select(t.id).where(contains(is_sqlite, t.search_key, word))
            if indexed and indexable_fragment(word):
                alternatives.append(in_rows_of(column, found.scalar_subquery()))
            else:
                # A hashed subquery: cheaper per row when the rows are tested one by one anyway.
                alternatives.append(column.in_(found))
        clauses.append(or_(*alternatives))
    return and_(*clauses)


def contains(is_sqlite: bool, column, word: str):
    # instr() is a plain substring test (the key is already case-folded);
    # LIKE would also fold ASCII case on every row and is several times slower.
    if is_sqlite:
        return func.instr(column, word) > 0
    return column.contains(word, autoescape=True)


def filter_clause(spec: EntitySpec, name: str, value: Any, windows: Windows = DEFAULT_WINDOWS):
    if name == MUNICIPALITY_FILTER:
        return spec.model.origin == str(value)
    named = spec.named_filter(name)
    if named is not None:
        if value not in {v for v, _ in named.choices}:
            raise ServiceError(f"Фильтр «{named.label}»: недопустимое значение «{value}».")
        return named.build(spec.model, value, date.today(), windows)
    if not spec.has_field(name):
        raise ServiceError(f"В разделе «{spec.title}» нет фильтра «{name}».")
    f = spec.field(name)
    col = getattr(spec.model, name)
    if f.is_text_like():
        # Values come from distinct_values, so matching the stored spelling is enough.
        return col.contains(str(value), autoescape=True)
    try:
        return col == normalize(f, value)
    except ValidationError as exc:
        raise ServiceError(f"Фильтр «{f.label}»: {exc}") from None
