"""A centre on PostgreSQL: a package never skips a row whose writer was still at work while it was cut."""
from __future__ import annotations

import threading

from sqlalchemy import select

from app.services.common.bootstrap import open_database
from app.storage.models import Teacher
from app.sync.export import export_delta
from app.sync.importer import import_package
from tests.sync.conftest import Site, pair
from app.services.common.actor import Actor
from app.services.registry.service import RecordService
from app.sync.identity import init_installation


def test_an_export_waits_for_a_writer_that_took_an_earlier_number(sites, pg_url, tmp_path):
    region = sites("region", "region", "46", "Региональный центр")
    db, _ = open_database(pg_url)
    try:
        init_installation(db, "municipal", "46-231", "ММЦ города Курска")
        centre = Site(db, RecordService(db, Actor("methodist")), tmp_path, "46-231")
        pair(centre, region, tmp_path)

        # One methodist's save is under way: its rows have their change number, not yet committed.
        slow = db.session()
        s = slow.__enter__()
        s.add(Teacher(last_name="Медленнова", first_name="Анна"))
        s.flush()
        # A colleague's later save commits first, with a higher number.
        centre.records.create("teachers", {"last_name": "Быстрова", "first_name": "Вера"})

        done = []
        exporter = threading.Thread(target=lambda: done.append(export_delta(db, tmp_path / "p1.msp")))
        exporter.start()
        exporter.join(1.0)
        assert exporter.is_alive(), "the package was cut while an earlier-numbered save was still open"
        slow.__exit__(None, None, None)
        exporter.join(30)
        assert done

        import_package(region.db, done[0].path)
        with region.db.read() as r:
            names = set(r.scalars(select(Teacher.last_name)))
        assert names == {"Медленнова", "Быстрова"}
    finally:
        db.dispose()


def test_writers_on_postgres_do_not_wait_for_each_other(pg_url):
    """Two saves open at once both get their numbers: neither queues behind the other's transaction."""
    db, _ = open_database(pg_url)
    try:
        first, second = db.session(), db.session()
        a, b = first.__enter__(), second.__enter__()
        a.add(Teacher(last_name="Первова", first_name="Анна"))
        a.flush()
        got = []
        worker = threading.Thread(target=lambda: (b.add(Teacher(last_name="Второва", first_name="Вера")),
                                                  b.flush(), got.append(True)))
        worker.start()
        worker.join(5)
        assert got == [True], "the second writer waited for the first one's commit"
        second.__exit__(None, None, None)
        first.__exit__(None, None, None)
        with db.read() as r:
            seqs = sorted(r.scalars(select(Teacher.change_seq)))
        assert len(seqs) == 2 and seqs[0] < seqs[1]
    finally:
        db.dispose()


def test_a_package_breaking_a_unique_key_is_refused_whole_on_the_server(sites, pg_url, tmp_path):
    """Rows arrive by COPY on PostgreSQL: a clash is still the Russian refusal, and nothing of it is kept."""
    import pytest

    from app.sync.errors import PackageRefused

    db, _ = open_database(pg_url)
    try:
        init_installation(db, "region", "46", "Региональный центр")
        region = Site(db, RecordService(db, Actor("coordinator")), tmp_path, "46")
        first = sites("first", "municipal", "46-201", "ММЦ № 1")
        second = sites("second", "municipal", "46-202", "ММЦ № 2")
        pair(first, region, tmp_path)
        pair(second, region, tmp_path)
        for site, name in ((first, "Первова"), (second, "Вторая")):   # one municipality code twice: a unique key
            site.records.create("municipalities", {"code": "46-299", "name": "Общий район"})
            site.records.create("teachers", {"last_name": name, "first_name": "Анна"})
        import_package(db, export_delta(first.db, tmp_path / "first.msp").path)
        with pytest.raises(PackageRefused, match="противоречит данным этой базы"):
            import_package(db, export_delta(second.db, tmp_path / "second.msp").path)
        with db.read() as r:
            assert set(r.scalars(select(Teacher.last_name))) == {"Первова"}
    finally:
        db.dispose()
