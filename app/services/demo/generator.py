"""Demonstration data: a realistic municipal network of 100 to 100,000 teachers.

Everything is generated from one seed (and today's date), written in one
transaction with Core executemany in chunks, so a cancel or an error leaves
the database as it was. Every synchronised row carries the same change
sequence number, the municipality code as its origin and a search key.

The generators live in demo_network, demo_people, demo_development and
demo_activity (mixins over demo_common._GeneratorBase); this module puts
them together.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import select

from app.domain.wording import plural
from app.services.access import audit
from app.services.common.actor import Actor
from app.services.demo.activity import ActivityMixin
from app.services.demo.certificates import CertificatesMixin
from app.services.demo.common import (  # noqa: F401
    CHUNK_SIZE, DEMO_ACTOR, MAX_TEACHERS, MIN_TEACHERS, CancelFn, DemoCancelled, ProgressFn, GeneratorBase,
)
from app.services.demo.development import DevelopmentMixin
from app.services.demo.network import NetworkMixin
from app.services.demo.people import PeopleMixin
from app.storage.database import Database
from app.storage.numbering import next_change_seq
from app.storage.models import AppMeta


@dataclass(frozen=True)
class DemoResult:
    counts: dict[str, int]   # table name -> rows inserted
    seconds: float


def generate_demo(db: Database, teachers: int, seed: int = 1, *, municipality_code: str = "46-231",
                  municipality_name: str = "Щёлковский городской округ",
                  progress: ProgressFn | None = None,
                  is_cancelled: CancelFn | None = None) -> DemoResult:
    """Fills the database with a demo network of ``teachers`` teachers (100…100 000)."""
    if isinstance(teachers, bool) or not isinstance(teachers, int) \
            or not MIN_TEACHERS <= teachers <= MAX_TEACHERS:
        upper = f"{MAX_TEACHERS:,}".replace(",", "\u00a0")
        raise ValueError(
            f"Количество педагогов для демонстрационных данных должно быть целым числом "
            f"от {MIN_TEACHERS} до {upper}, указано: {teachers!r}"
        )
    code = (municipality_code or "").strip()
    name = (municipality_name or "").strip()
    if not code or not name:
        raise ValueError("Укажите код и наименование муниципального образования")
    started = time.perf_counter()
    with db.session() as s:
        # Partners know this installation by its code: the demo network takes that code and name.
        code, name = _sync_identity(s) or (code, name)
        gen = _Generator(s, teachers, seed, code, name, progress, is_cancelled)
        gen.run()
        counts = gen.counts
    db.forget_settings()
    if progress is not None:
        progress(1.0, "Демонстрационные данные созданы")
    return DemoResult(counts=dict(counts), seconds=time.perf_counter() - started)


def _sync_identity(s) -> tuple[str, str] | None:
    """The code and name of an installation that exchanges packages: the demo must not rewrite them."""
    meta = dict(s.execute(select(AppMeta.key, AppMeta.value).where(
        AppMeta.key.in_(("sync_installation_id", "municipality_code", "municipality_name")))).all())
    if not meta.get("sync_installation_id"):
        return None
    return meta.get("municipality_code", ""), meta.get("municipality_name", "")


class _Generator(NetworkMixin, PeopleMixin, DevelopmentMixin, ActivityMixin, CertificatesMixin,
                 GeneratorBase):
    # -- the whole run ---------------------------------------------------
    def run(self) -> None:
        self.stage(0.0, "Подготовка базы данных…")
        self.base["change_seq"] = next_change_seq(self.s)
        setting = self.s.scalar(select(AppMeta.value).where(AppMeta.key == "hours_per_credit"))
        try:
            self.hours_per_credit = max(1, int(setting)) if setting else 36
        except ValueError:
            self.hours_per_credit = 36
        self.settings()
        # Fractions follow the measured share of each stage in a 100,000-teacher run.
        self.stage(0.01, "Образовательные организации…")
        self.organizations()
        self.stage(0.02, "Педагогические работники…")
        self.teachers()
        self.stage(0.16, "Программы повышения квалификации…")
        self.programmes()
        self.stage(0.165, "Наставничество…")
        self.mentorships()
        self.stage(0.17, "Педагогические сообщества…")
        self.communities()
        self.stage(0.18, "Сетевые события…")
        self.events()
        self.stage(0.19, "Диагностика профессиональных дефицитов…")
        self.diagnostics()
        self.stage(0.36, "Индивидуальные образовательные маршруты…")
        self.trajectories()
        self.stage(0.65, "Участие в событиях…")
        self.participations()
        self.certificates()
        self.stage(0.90, "Методические материалы и экспертиза…")
        self.materials()
        self.stage(0.915, "Договоры о сетевом взаимодействии…")
        self.agreements()
        self.stage(0.925, "Запросы и сетевые курсы…")
        self.requests()
        self.network_courses()
        audit.write(self.s, Actor(DEMO_ACTOR), "demo", "database", "",
                    summary=f"Сгенерированы демонстрационные данные: {self.n} "
                            f"{plural(self.n, 'педагог', 'педагога', 'педагогов')}")
        self.counts["audit_log"] = self.counts.get("audit_log", 0) + 1
        self.s.flush()
        self.stage(0.93, "Сохранение в базе данных…")
