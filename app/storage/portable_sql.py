"""SQL functions that SQLite and PostgreSQL spell differently, chosen when a statement is compiled.

Services write ``year_text(col)``, ``total(col)``, ``joined_text(col, ";")`` and
``contains_text(col, word)``; SQLAlchemy renders each for the engine the
statement runs on, so no service asks which database it has.
"""
from __future__ import annotations

from sqlalchemy import Float, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Boolean


class year_text(FunctionElement):
    """The year of a date as four characters («2025»), NULL for NULL."""
    type = String()
    name = "year_text"
    inherit_cache = True


@compiles(year_text, "sqlite")
def _year_sqlite(element, compiler, **kw):
    return "strftime('%%Y', %s)" % compiler.process(element.clauses, **kw)


@compiles(year_text, "postgresql")
def _year_pg(element, compiler, **kw):
    return "to_char(%s, 'YYYY')" % compiler.process(element.clauses, **kw)


class total(FunctionElement):
    """The sum of a column as a real number, 0.0 (not NULL) over no rows."""
    type = Float()
    name = "total"
    inherit_cache = True


@compiles(total, "sqlite")
def _total_sqlite(element, compiler, **kw):
    return "total(%s)" % compiler.process(element.clauses, **kw)


@compiles(total, "postgresql")
def _total_pg(element, compiler, **kw):
    return "coalesce(sum(%s), 0.0)::float8" % compiler.process(element.clauses, **kw)


class joined_text(FunctionElement):
    """The non-NULL values of a group joined by a separator (SQLite group_concat, PostgreSQL string_agg)."""
    type = String()
    name = "joined_text"
    inherit_cache = True


@compiles(joined_text, "sqlite")
def _joined_sqlite(element, compiler, **kw):
    value, sep = list(element.clauses)
    return "group_concat(%s, %s)" % (compiler.process(value, **kw), compiler.process(sep, **kw))


@compiles(joined_text, "postgresql")
def _joined_pg(element, compiler, **kw):
    value, sep = list(element.clauses)
    return "string_agg(CAST(%s AS TEXT), %s)" % (compiler.process(value, **kw), compiler.process(sep, **kw))


class contains_text(FunctionElement):
    """True when the text contains the fragment, as a plain substring test (no LIKE wildcards)."""
    type = Boolean()
    name = "contains_text"
    inherit_cache = True


@compiles(contains_text, "sqlite")
def _contains_sqlite(element, compiler, **kw):
    # instr() is a plain substring test; LIKE would fold ASCII case on every row and is several times slower.
    text, part = list(element.clauses)
    return "(instr(%s, %s) > 0)" % (compiler.process(text, **kw), compiler.process(part, **kw))


@compiles(contains_text, "postgresql")
def _contains_pg(element, compiler, **kw):
    text, part = list(element.clauses)
    return "(strpos(%s, %s) > 0)" % (compiler.process(text, **kw), compiler.process(part, **kw))
