"""SQL functions that SQLite and PostgreSQL spell differently, chosen when a statement is compiled.

Services write ``year_text(col)``, ``total(col)``, ``joined_text(col, ";")``,
``contains_text(col, word)`` and ``in_rows_of(col, subquery)``; SQLAlchemy renders each for the engine the
statement runs on, so no service asks which database it has.
"""
from __future__ import annotations

from sqlalchemy import Boolean, ColumnElement, Float, String, any_, bindparam
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


def _spelled(element: type, *, sqlite: str, postgresql: str) -> type:
    """Registers the two spellings: templates whose {0}, {1} … are the compiled arguments."""
    for dialect, template in (("sqlite", sqlite), ("postgresql", postgresql)):
        def render(el, compiler, _template=template, **kw):
            return _template.format(*(compiler.process(arg, **kw) for arg in el.clauses))

        compiles(element, dialect)(render)
    return element


class year_text(FunctionElement):
    """The year of a date as four characters («2025»), NULL for NULL."""
    type = String()
    name = "year_text"
    inherit_cache = True


class total(FunctionElement):
    """The sum of a column as a real number, 0.0 (not NULL) over no rows."""
    type = Float()
    name = "total"
    inherit_cache = True


class joined_text(FunctionElement):
    """The non-NULL values of a group joined by a separator."""
    type = String()
    name = "joined_text"
    inherit_cache = True


class contains_text(FunctionElement):
    """True when the text contains the fragment, as a plain substring test (no LIKE wildcards).

    instr() on SQLite: LIKE would fold ASCII case on every row and is several times slower."""
    type = Boolean()
    name = "contains_text"
    inherit_cache = True


class in_rows_of(FunctionElement):
    """``column IN (subquery)``, written so that PostgreSQL can use an index for it under an OR.

    SQLite: ``IN (SELECT …)``. PostgreSQL: ``= ANY(ARRAY(SELECT …))`` — the subquery runs once and
    the array is an index condition, so «own key matches OR the organisation's key matches» becomes
    two index scans combined (BitmapOr) instead of a sequential scan testing every row."""
    type = Boolean()
    name = "in_rows_of"
    inherit_cache = True


# pg_trgm indexes words of three characters and more: a shorter fragment is tested row by row anyway.
TRIGRAM_LENGTH = 3


def indexable_fragment(word: str) -> bool:
    """PostgreSQL's trigram index can find rows containing ``word``."""
    return len(word) >= TRIGRAM_LENGTH


_spelled(year_text, sqlite="strftime('%Y', {0})", postgresql="to_char({0}, 'YYYY')")
_spelled(total, sqlite="total({0})", postgresql="coalesce(sum({0}), 0.0)::float8")
_spelled(joined_text, sqlite="group_concat({0}, {1})", postgresql="string_agg(CAST({0} AS TEXT), {1})")
_spelled(contains_text, sqlite="(instr({0}, {1}) > 0)", postgresql="(strpos({0}, {1}) > 0)")
_spelled(in_rows_of, sqlite="({0} IN {1})", postgresql="({0} = ANY(ARRAY{1}))")


def among(dialect: str, column, values) -> ColumnElement:
    """``column IN (values)`` for a long list of values.

    PostgreSQL gets one array parameter (``= ANY(:ids)``): a thousand separate placeholders cost
    psycopg more to prepare than the query takes to run. SQLite keeps its plain IN list."""
    values = list(values)
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY

        return column == any_(bindparam(None, values, type_=ARRAY(column.type)))
    return column.in_(values)
