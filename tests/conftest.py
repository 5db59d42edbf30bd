"""Shared fixtures: every test gets its own data folder and a real SQLite file.

The migrated empty database is built once per session and copied per test
(Anki's pattern): real storage, no per-test migration cost.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from app.services.common.actor import Actor  # noqa: E402
from app.services.common.bootstrap import open_database  # noqa: E402
from app.services.registry.service import RecordService  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    # The caller's own settings (METODSET_USER, METODSET_DB …) must not reach a test.
    for name in [n for n in os.environ if n.startswith("METODSET_")]:
        monkeypatch.delenv(name)
    data = tmp_path / "userdata"
    monkeypatch.setenv("METODSET_DATA_DIR", str(data))
    return data


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    db, _ = open_database(str(path))
    db.dispose()
    return path


@pytest.fixture
def db_path(tmp_path, _template_db) -> Path:
    path = tmp_path / "test.sqlite"
    shutil.copy(_template_db, path)
    return path


@pytest.fixture
def db(db_path):
    database, _ = open_database(str(db_path))
    yield database
    database.dispose()


@pytest.fixture
def records(db) -> RecordService:
    return RecordService(db, Actor("tester"))


@pytest.fixture
def filled_db(db_path, records):
    """A database with one organisation and a teacher, no accounts (set-up mode)."""
    org = records.create("organizations", {"full_name": "МБОУ СШ № 1", "kind": "school"})
    records.create("teachers", {"last_name": "Иванова", "first_name": "Анна", "organization_id": org["id"]})
    return db_path
