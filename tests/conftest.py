"""Shared fixtures: every test gets its own data folder and a real database.

The migrated empty database is built once per session and copied per test
(Anki's pattern): real storage, no per-test migration cost. The tests of
``tests/storage`` and ``tests/services`` that take ``db`` run twice: on a
SQLite file and on a real PostgreSQL server the session starts itself
(tests/pg_cluster.py). Without the server binaries the PostgreSQL runs are
skipped, unless METODSET_TEST_POSTGRES=required (CI) makes that a failure. A
test that is about the SQLite file itself takes ``db_path`` or is marked
``sqlite_only``.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app.services.common.actor import Actor  # noqa: E402
from app.services.common.bootstrap import open_database  # noqa: E402
from app.services.registry.service import RecordService  # noqa: E402
from tests.pg_cluster import ServerMissing, start_cluster  # noqa: E402

# Read before any test clears the METODSET_* variables (they must not reach the tests themselves).
PG_REQUIRED = os.environ.get("METODSET_TEST_POSTGRES", "") == "required"
ENGINES = ("sqlite", "postgresql")
_BOTH_ENGINES_UNDER = ("tests/storage/", "tests/services/", "tests/security/")


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: the test is about the SQLite file itself")


def pytest_generate_tests(metafunc):
    if "db" not in metafunc.fixturenames or "engine" in getattr(metafunc, "_engine_done", ()):
        return
    where = Path(metafunc.definition.fspath).as_posix()
    both = (any(part in where for part in _BOTH_ENGINES_UNDER)
            and not {"db_path", "filled_db"} & set(metafunc.fixturenames)
            and not any(metafunc.definition.iter_markers("sqlite_only")))
    metafunc.parametrize("engine", ENGINES if both else ENGINES[:1], scope="function")


@pytest.fixture
def engine() -> str:
    return "sqlite"


@contextlib.contextmanager
def _throwaway_cluster(*, durable: bool = False):
    root = Path(tempfile.mkdtemp(prefix="metodset-pg-"))
    os.chmod(root, 0o755)           # the server's own user must reach its folder
    try:
        cluster = start_cluster(root / "cluster", durable=durable)
    except ServerMissing as exc:
        shutil.rmtree(root, ignore_errors=True)
        if PG_REQUIRED:
            pytest.fail(f"PostgreSQL обязателен (METODSET_TEST_POSTGRES=required), но {exc}")
        pytest.skip(f"PostgreSQL: {exc}")
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster():
    with _throwaway_cluster() as cluster:
        yield cluster


@pytest.fixture(scope="module")
def own_pg_cluster():
    """A server of this test module's own, for tests that stop it mid-write (the shared one stays up)."""
    with _throwaway_cluster(durable=True) as cluster:
        yield cluster


@pytest.fixture(scope="session")
def pg_template(pg_cluster) -> str:
    """A migrated empty database on the server, copied for each test (CREATE DATABASE … TEMPLATE)."""
    url = pg_cluster.new_database()
    database, _ = open_database(url)
    database.dispose()
    return make_url(url).database


@pytest.fixture
def pg_url(pg_cluster, pg_template) -> str:
    url = pg_cluster.new_database(template=pg_template)
    yield url
    pg_cluster.drop_database(make_url(url).database)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    # The caller's own settings (METODSET_USER, METODSET_DB …) must not reach a test.
    for name in [n for n in os.environ if n.startswith("METODSET_")]:
        monkeypatch.delenv(name)
    # Nor the caller's libpq settings (a PGPASSWORD or PGHOST of their own server).
    for name in [n for n in os.environ if n.startswith("PG")]:
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
def db(request, engine):
    target = str(request.getfixturevalue("db_path")) if engine == "sqlite" else request.getfixturevalue("pg_url")
    database, _ = open_database(target)
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
