"""Demonstration data: the limits, helpers, the chunked writer and the generator's plumbing."""
from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from itertools import accumulate
from typing import Any, Callable, Sequence

from sqlalchemy.orm import Session

from app.domain.validators import snils_checksum
from app.storage.base import Searchable, utcnow
from app.storage.database import row_search_key

MIN_TEACHERS = 100
MAX_TEACHERS = 100_000
CHUNK_SIZE = 5_000
DEMO_ACTOR = "demo"

ProgressFn = Callable[[float, str], None]
CancelFn = Callable[[], bool]


class DemoCancelled(Exception):
    """The user cancelled the generation; the transaction was rolled back."""

    def __init__(self) -> None:
        super().__init__("Создание демонстрационных данных отменено, база данных не изменена")


# ---------------------------------------------------------------------------- helpers


def lower_first(text: str) -> str:
    """«Математика» → «математика», but «STEM-образование» and «ФОП ДО» stay as they are."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def fake_inn10(nine: str) -> str:
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    return nine + str(sum(int(d) * w for d, w in zip(nine, weights)) % 11 % 10)


def fake_ogrn13(twelve: str) -> str:
    return twelve + str(int(twelve) % 11 % 10)


def fake_snils(nine: int) -> str:
    d = f"{nine:09d}"
    return f"{d[0:3]}-{d[3:6]}-{d[6:9]} {snils_checksum(d):02d}"


class Picker:
    """Weighted choice with precomputed cumulative weights."""

    def __init__(self, rng: random.Random, items: Sequence[Any], weights: Sequence[float]):
        self.rng = rng
        self.items = list(items)
        self.cum = list(accumulate(weights))

    def __call__(self) -> Any:
        return self.rng.choices(self.items, cum_weights=self.cum)[0]


class Writer:
    """Buffers rows of one table and inserts them in chunks, parents first."""

    def __init__(self, gen: "GeneratorBase", model: type, parents: Sequence["Writer"] = ()):
        self.gen = gen
        self.model = model
        self.table = model.__table__
        self.searchable = issubclass(model, Searchable)
        self.parents = list(parents)
        self.rows: list[dict] = []

    def add(self, row: dict) -> None:
        if self.searchable:
            row["search_key"] = row_search_key(self.model, row)
        self.rows.append(row)
        if len(self.rows) >= CHUNK_SIZE:
            self.flush()

    def flush(self) -> None:
        for parent in self.parents:
            parent.flush()
        if not self.rows:
            return
        self.gen.check_cancelled()
        self.gen.s.execute(self.table.insert(), self.rows)
        counts = self.gen.counts
        counts[self.table.name] = counts.get(self.table.name, 0) + len(self.rows)
        self.rows = []


_EDUCATIONAL = ("school", "kindergarten", "additional", "college", "university", "dpo",
                "methodical", "regional_centre")
PARTNERS = ("partner_culture", "partner_sport", "partner_health", "partner_business")
STAFF_WEIGHT = {"school": 55, "kindergarten": 22, "additional": 28, "college": 70,
                 "university": 40, "dpo": 30, "methodical": 12, "regional_centre": 25}
MANAGER_WORDS = ("директор", "заместитель", "заведующ", "руководитель", "ректор", "проректор")
EXPERT_CATEGORIES = ("highest", "methodist", "mentor")
PROGRAMME_HOURS = ((16, 10), (24, 12), (36, 25), (72, 30), (108, 13), (144, 10))
HOURS_TO_DAYS = {16: 3, 24: 5, 36: 10, 72: 21, 108: 30, 144: 45}
EVENT_HOURS = {
    "seminar": 4, "webinar": 2, "web_conference": 3, "conference": 6, "master_class": 2,
    "workshop": 4, "competition": 8, "discussion": 2, "rmo_meeting": 3, "nms_meeting": 2,
    "marathon": 16, "internship": 36, "open_day": 4, "network_game": 3, "training": 6,
    "lecture": 2, "consultation": 1,
}
EVENT_WEIGHTS = {
    "seminar": 14, "webinar": 14, "web_conference": 4, "conference": 3, "master_class": 12,
    "workshop": 8, "competition": 4, "discussion": 3, "rmo_meeting": 14, "nms_meeting": 2,
    "marathon": 2, "internship": 3, "open_day": 3, "network_game": 3, "training": 4,
    "lecture": 3, "consultation": 6,
}
GRADES = {"primary": (1, 4), "basic": (5, 9), "secondary": (10, 11)}
SCHOOL_SUBJECTS = {
    "Начальные классы", "Русский язык", "Математика", "Английский язык", "Немецкий язык",
    "История", "Физика", "Химия", "Биология", "География", "Информатика",
}
ORG_EVENTS = ("competition", "network_game", "conference", "open_day", "marathon")


class GeneratorBase:
    """The generator's state and plumbing; the entity generators are mixins over it (demo_*)."""

    def __init__(self, s: Session, n: int, seed: int, code: str, name: str,
                 progress: ProgressFn | None, is_cancelled: CancelFn | None):
        self.s = s
        self.n = n
        self.rng = random.Random(seed)
        self.code = code
        self.name = name
        self.progress = progress
        self.is_cancelled = is_cancelled
        self.today = date.today()
        self.counts: dict[str, int] = {}
        now = utcnow()
        self.base = {"origin": code, "created_at": now, "updated_at": now, "row_version": 1,
                     "change_seq": 0, "deleted_at": None}

    # -- plumbing ------------------------------------------------------
    def check_cancelled(self) -> None:
        if self.is_cancelled is not None and self.is_cancelled():
            raise DemoCancelled()

    def stage(self, fraction: float, message: str) -> None:
        self.check_cancelled()
        if self.progress is not None:
            self.progress(fraction, message)

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def row(self, **values: Any) -> dict:
        r = {"id": self.uid(), **self.base}
        r.update(values)
        return r

    def days_ago(self, lo: int, hi: int) -> date:
        return self.today - timedelta(days=self.rng.randint(lo, hi))

    def days_ahead(self, lo: int, hi: int) -> date:
        return self.today + timedelta(days=self.rng.randint(lo, hi))

    def between(self, a: date, b: date) -> date:
        if b <= a:
            return a
        return a + timedelta(days=self.rng.randint(0, (b - a).days))
