"""Two real installations in one test: a municipality and the region, each its own SQLite file."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.services.common.actor import Actor
from app.services.common.bootstrap import open_database
from app.services.registry.service import RecordService
from app.storage.database import Database
from app.sync.identity import init_installation, write_keycard
from app.sync.partners import trust


@dataclass
class Site:
    db: Database
    records: RecordService
    path: Path
    code: str


def _site(tmp_path: Path, template: Path, name: str, role: str, code: str, title: str) -> Site:
    path = tmp_path / f"{name}.sqlite"
    shutil.copy(template, path)
    db, _ = open_database(str(path))
    init_installation(db, role, code, title)
    return Site(db, RecordService(db, Actor(name)), path, code)


def pair(a: Site, b: Site, tmp_path: Path) -> None:
    card_a, card_b = tmp_path / f"{a.code}.card", tmp_path / f"{b.code}.card"
    write_keycard(a.db, card_a)
    write_keycard(b.db, card_b)
    trust(a.db, card_b)
    trust(b.db, card_a)


@pytest.fixture
def sites(tmp_path, _template_db):
    made = []

    def make(name: str, role: str, code: str, title: str) -> Site:
        site = _site(tmp_path, _template_db, name, role, code, title)
        made.append(site)
        return site

    yield make
    for site in made:
        site.db.dispose()


@pytest.fixture
def mun_and_region(sites, tmp_path):
    mun = sites("mun", "municipal", "46-231", "ММЦ Курского района")
    region = sites("region", "region", "46", "Региональный центр")
    pair(mun, region, tmp_path)
    return mun, region
