"""The interface talks to services only: no ORM, no storage (DESIGN.md §3)."""
from __future__ import annotations

import ast
from pathlib import Path

import app.ui

FORBIDDEN = ("sqlalchemy", "alembic", "app.storage")


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            # `from app import storage` names the package in the alias.
            names += [f"{node.module}.{a.name}" for a in node.names]
    return names


def test_ui_never_imports_the_orm_or_storage():
    files = sorted(Path(app.ui.__file__).parent.rglob("*.py"))
    assert len(files) > 5
    offending = [
        f"{path.name}: {name}"
        for path in files for name in _imports(path)
        if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)
    ]
    assert offending == []


def test_the_check_itself_catches_an_orm_import(tmp_path):
    sample = tmp_path / "bad.py"
    sample.write_text("from app import storage\nimport sqlalchemy.orm as orm\n", encoding="utf-8")
    names = _imports(sample)
    assert "app.storage" in names and "sqlalchemy.orm" in names
