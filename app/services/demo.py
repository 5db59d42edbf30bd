"""Demonstration data: a realistic municipal network of 100 to 100,000 teachers.

Everything is generated from one seed (and today's date), written in one
transaction with Core executemany in chunks, so a cancel or an error leaves
the database as it was. Every synchronised row carries the same change
sequence number, the municipality code as its origin and a search key.
"""
from __future__ import annotations

import json
import random
import time
import uuid
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from typing import Any, Callable, Sequence

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from app.domain.enums import (
    COMPETENCE_LABELS,
    COMPETENCES,
    AgreementKind,
    AgreementStatus,
    Attendance,
    CertificationStatus,
    CommunityKind,
    EducationLevel,
    EventFormat,
    EventKind,
    MaterialKind,
    MaterialStatus,
    MentorshipForm,
    ParticipationRole,
    ProgrammeForm,
    RequestStatus,
)
from app.domain.names import format_fio, initials
from app.domain.rules import add_years, credits_from_hours
from app.domain.validators import format_date, snils_checksum
from app.services import audit
from app.services import demo_vocabulary as V
from app.services.actor import Actor
from app.storage.base import Searchable, utcnow
from app.storage.database import Database, next_counter, row_search_key
from app.storage.models import (
    Agreement,
    AgreementParty,
    AppMeta,
    Community,
    CommunityMember,
    CourseEnrolment,
    Diagnostic,
    DiagnosticResult,
    Event,
    EventOrganizer,
    InfoRequest,
    Material,
    MaterialAuthor,
    Mentorship,
    Municipality,
    NetworkCourse,
    Organization,
    OrganizationRole,
    Participation,
    Programme,
    Review,
    Teacher,
    Trajectory,
    TrajectoryItem,
)

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
        gen = _Generator(s, teachers, seed, code, name, progress, is_cancelled)
        gen.run()
        counts = gen.counts
    db.forget_settings()
    if progress is not None:
        progress(1.0, "Демонстрационные данные созданы")
    return DemoResult(counts=dict(counts), seconds=time.perf_counter() - started)


# ---------------------------------------------------------------------------- helpers


def _plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def _lower_first(text: str) -> str:
    """«Математика» → «математика», but «STEM-образование» and «ФОП ДО» stay as they are."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _inn10(nine: str) -> str:
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    return nine + str(sum(int(d) * w for d, w in zip(nine, weights)) % 11 % 10)


def _ogrn13(twelve: str) -> str:
    return twelve + str(int(twelve) % 11 % 10)


def _snils(nine: int) -> str:
    d = f"{nine:09d}"
    return f"{d[0:3]}-{d[3:6]}-{d[6:9]} {snils_checksum(d):02d}"


class _Picker:
    """Weighted choice with precomputed cumulative weights."""

    def __init__(self, rng: random.Random, items: Sequence[Any], weights: Sequence[float]):
        self.rng = rng
        self.items = list(items)
        self.cum = list(accumulate(weights))

    def __call__(self) -> Any:
        return self.rng.choices(self.items, cum_weights=self.cum)[0]


class _Writer:
    """Buffers rows of one table and inserts them in chunks, parents first."""

    def __init__(self, gen: "_Generator", model: type, parents: Sequence["_Writer"] = ()):
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
_PARTNERS = ("partner_culture", "partner_sport", "partner_health", "partner_business")
_STAFF_WEIGHT = {"school": 55, "kindergarten": 22, "additional": 28, "college": 70,
                 "university": 40, "dpo": 30, "methodical": 12, "regional_centre": 25}
_MANAGER_WORDS = ("директор", "заместитель", "заведующ", "руководитель", "ректор", "проректор")
_EXPERT_CATEGORIES = ("highest", "methodist", "mentor")
_PROGRAMME_HOURS = ((16, 10), (24, 12), (36, 25), (72, 30), (108, 13), (144, 10))
_HOURS_TO_DAYS = {16: 3, 24: 5, 36: 10, 72: 21, 108: 30, 144: 45}
_EVENT_HOURS = {
    "seminar": 4, "webinar": 2, "web_conference": 3, "conference": 6, "master_class": 2,
    "workshop": 4, "competition": 8, "discussion": 2, "rmo_meeting": 3, "nms_meeting": 2,
    "marathon": 16, "internship": 36, "open_day": 4, "network_game": 3, "training": 6,
    "lecture": 2, "consultation": 1,
}
_EVENT_WEIGHTS = {
    "seminar": 14, "webinar": 14, "web_conference": 4, "conference": 3, "master_class": 12,
    "workshop": 8, "competition": 4, "discussion": 3, "rmo_meeting": 14, "nms_meeting": 2,
    "marathon": 2, "internship": 3, "open_day": 3, "network_game": 3, "training": 4,
    "lecture": 3, "consultation": 6,
}
_GRADES = {"primary": (1, 4), "basic": (5, 9), "secondary": (10, 11)}
_SCHOOL_SUBJECTS = {
    "Начальные классы", "Русский язык", "Математика", "Английский язык", "Немецкий язык",
    "История", "Физика", "Химия", "Биология", "География", "Информатика",
}
_ORG_EVENTS = ("competition", "network_game", "conference", "open_day", "marathon")


class _Generator:
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

    # -- the whole run ---------------------------------------------------
    def run(self) -> None:
        self.stage(0.0, "Подготовка базы данных…")
        self.base["change_seq"] = next_counter(self.s, "change_seq")
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
        self.stage(0.90, "Методические материалы и экспертиза…")
        self.materials()
        self.stage(0.915, "Договоры о сетевом взаимодействии…")
        self.agreements()
        self.stage(0.925, "Запросы и сетевые курсы…")
        self.requests()
        self.network_courses()
        audit.write(self.s, Actor(DEMO_ACTOR), "demo", "database", "",
                    summary=f"Сгенерированы демонстрационные данные: {self.n} "
                            f"{_plural(self.n, 'педагог', 'педагога', 'педагогов')}")
        self.counts["audit_log"] = self.counts.get("audit_log", 0) + 1
        self.s.flush()
        self.stage(0.93, "Сохранение в базе данных…")

    # -- settings, municipality -----------------------------------------------
    def settings(self) -> None:
        for key, value in (("municipality_code", self.code), ("municipality_name", self.name)):
            meta = self.s.get(AppMeta, key)
            if meta is None:
                self.s.add(AppMeta(key=key, value=value))
            else:
                meta.value = value
        self.s.flush()
        existing = self.s.scalar(select(Municipality.id).where(Municipality.code == self.code))
        if existing is None:
            self.s.execute(Municipality.__table__.insert(),
                           [self.row(code=self.code, name=self.name, region=V.REGION)])
            self.counts["municipality"] = 1

    # -- organisations ---------------------------------------------------
    def _kind_counts(self, m: int) -> dict[str, int]:
        counts = {
            "methodical": max(1, m // 400), "regional_centre": max(1, m // 600),
            "dpo": max(1, m // 400), "university": max(1, m // 500),
            "college": max(1, round(m * 0.03)), "additional": max(1, round(m * 0.08)),
        }
        for kind in _PARTNERS:
            counts[kind] = max(1, round(m * 0.015))
        rest = max(2, m - sum(counts.values()))
        counts["kindergarten"] = max(1, round(rest * 0.45))
        counts["school"] = rest - counts["kindergarten"]
        return counts

    def _address(self) -> tuple[str, str]:
        rng = self.rng
        settlement, postcode = rng.choice(V.SETTLEMENTS)
        address = (f"{postcode}{rng.randint(0, 9)}, {V.REGION}, {self.name}, {settlement}, "
                   f"{rng.choice(V.STREETS)}, д. {rng.randint(1, 60)}")
        return address, settlement

    def _named(self, names: Sequence[tuple[str, str]], i: int) -> tuple[str, str]:
        full, short = names[i % len(names)]
        branch = i // len(names)
        if branch:
            return f"{full}, филиал № {branch}", f"{short}, филиал № {branch}"
        return full, short

    def _org_names(self, kind: str, i: int, counters: dict[str, int]) -> tuple[str, str, str]:
        """(full name, short name, slug for e-mail and site)."""
        rng = self.rng
        if kind == "school":
            founder = rng.choices(("МБОУ", "МАОУ", "МОУ"), (70, 25, 5))[0]
            founder_full = {
                "МБОУ": "Муниципальное бюджетное общеобразовательное учреждение",
                "МАОУ": "Муниципальное автономное общеобразовательное учреждение",
                "МОУ": "Муниципальное общеобразовательное учреждение",
            }[founder]
            variant = rng.choices(("СОШ", "ООШ", "Гимназия", "Лицей", "УИОП"), (75, 8, 7, 6, 4))[0]
            key = "СОШ" if variant == "УИОП" else variant
            counters[key] = num = counters.get(key, 0) + rng.choice((1, 1, 1, 2))
            if variant == "СОШ":
                return (f"{founder_full} «Средняя общеобразовательная школа № {num}»",
                        f"{founder} СОШ № {num}", f"school{num}")
            if variant == "УИОП":
                return (f"{founder_full} «Средняя общеобразовательная школа № {num} "
                        f"с углублённым изучением отдельных предметов»",
                        f"{founder} СОШ № {num} с УИОП", f"school{num}")
            if variant == "ООШ":
                return (f"{founder_full} «Основная общеобразовательная школа № {num}»",
                        f"{founder} ООШ № {num}", f"oosh{num}")
            slug = "gymnasium" if variant == "Гимназия" else "lyceum"
            return (f"{founder_full} «{variant} № {num}»", f"{founder} {variant} № {num}",
                    f"{slug}{num}")
        if kind == "kindergarten":
            founder = rng.choices(("МБДОУ", "МАДОУ"), (60, 40))[0]
            founder_full = ("Муниципальное бюджетное дошкольное образовательное учреждение"
                            if founder == "МБДОУ" else
                            "Муниципальное автономное дошкольное образовательное учреждение")
            counters[kind] = num = counters.get(kind, 0) + rng.choice((1, 1, 2))
            title = rng.choice(V.KINDERGARTEN_NAMES)
            variant = rng.choices(("", "комбинированного вида ", "общеразвивающего вида "),
                                  (60, 25, 15))[0]
            return (f"{founder_full} детский сад {variant}№ {num} «{title}»",
                    f"{founder} детский сад № {num} «{title}»", f"ds{num}")
        if kind == "additional":
            title, abbr = V.ADDITIONAL_NAMES[i % len(V.ADDITIONAL_NAMES)]
            k = i // len(V.ADDITIONAL_NAMES) + 1
            suffix = f" № {k}" if k > 1 else ""
            return (f"Муниципальное бюджетное учреждение дополнительного образования "
                    f"«{title}{suffix}»", f"МБУ ДО {abbr}{suffix}", f"dod{i + 1}")
        if kind == "college":
            title = V.COLLEGE_NAMES[i % len(V.COLLEGE_NAMES)]
            k = i // len(V.COLLEGE_NAMES) + 1
            if k > 1:
                title = f"{title} № {k}"
            return (f"Государственное бюджетное профессиональное образовательное учреждение "
                    f"Московской области «{title}»", f"ГБПОУ МО «{title}»", f"college{i + 1}")
        names = {
            "university": V.UNIVERSITY_NAMES, "dpo": V.DPO_NAMES,
            "regional_centre": V.REGIONAL_NAMES, "methodical": V.METHODICAL_NAMES,
        }.get(kind) or V.PARTNER_NAMES[kind]
        full, short = self._named(names, i)
        slug = {"university": "univer", "dpo": "dpo", "regional_centre": "rc", "methodical": "imc",
                "partner_culture": "culture", "partner_sport": "sport", "partner_health": "health",
                "partner_business": "company"}[kind] + str(i + 1)
        return full, short, slug

    def organizations(self) -> None:
        rng = self.rng
        m = max(20, round(self.n / 35))
        kind_counts = self._kind_counts(m)
        order = ("methodical", "regional_centre", "dpo", "university", "college", "additional",
                 "school", "kindergarten") + _PARTNERS
        total = sum(kind_counts.values())
        inn_serials = rng.sample(range(10_000, 100_000), total)
        ogrn_serials = rng.sample(range(10_000, 100_000), total)
        counters: dict[str, int] = {}
        self.orgs: list[dict] = []
        self.org_kind: list[str] = []
        self.org_short: list[str] = []
        self.by_kind: dict[str, list[int]] = {k: [] for k in order}
        for kind in order:
            for i in range(kind_counts[kind]):
                idx = len(self.orgs)
                full, short, slug = self._org_names(kind, i, counters)
                municipal = kind in ("school", "kindergarten", "additional", "methodical")
                domain = V.ORG_DOMAIN if municipal else f"{slug}.ru"
                email = f"{slug}@{V.ORG_DOMAIN}" if municipal else f"info@{slug}.ru"
                website = f"https://{slug}.{V.ORG_DOMAIN}" if municipal else f"https://{domain}"
                tax = V.TAX_OFFICE if municipal or kind in _PARTNERS else "5018"
                if kind in ("regional_centre", "dpo", "university"):
                    address = rng.choice(V.REGIONAL_ADDRESSES).format(n=rng.randint(1, 40))
                else:
                    address, _ = self._address()
                joined = self.between(date(2017, 9, 27), self.today - timedelta(days=30))
                left = None
                if kind not in ("methodical", "regional_centre") and rng.random() < 0.03:
                    left = self.between(joined + timedelta(days=200), self.today)
                    if left >= self.today:
                        left = None
                yy = rng.randint(2, 23)
                self.orgs.append(self.row(
                    full_name=full, short_name=short, kind=kind,
                    inn=_inn10(f"{tax}{inn_serials[idx]:05d}"), kpp=f"{tax}01001",
                    ogrn=_ogrn13(f"1{yy:02d}50{tax[2:]}{ogrn_serials[idx]:05d}"),
                    address=address, phone=f"{V.PHONE_PREFIX}{rng.randrange(100_000):05d}",
                    email=email, website=website, head_name="", joined_on=joined, left_on=left,
                ))
                self.org_kind.append(kind)
                self.org_short.append(short)
                self.by_kind[kind].append(idx)
        self.org_ids = [o["id"] for o in self.orgs]
        self.main_centre = self.by_kind["methodical"][0]
        self.main_region = self.by_kind["regional_centre"][0]
        self.edu_orgs = [i for i, k in enumerate(self.org_kind)
                         if k in ("school", "kindergarten", "additional", "college")]
        self.partner_orgs = [i for k in _PARTNERS for i in self.by_kind[k]]
        # Organisations are inserted with the teachers: head_name comes from them.

    def _org_roles(self) -> None:
        rng = self.rng
        w = _Writer(self, OrganizationRole)
        self.internship_sites: list[int] = []
        self.course_hosts: list[int] = []
        chances = {
            "school": (("base_school", 0.10), ("resource_centre", 0.07), ("internship_site", 0.07),
                       ("innovation_site", 0.05), ("experimental_site", 0.03)),
            "kindergarten": (("resource_centre", 0.04), ("innovation_site", 0.04),
                             ("internship_site", 0.04)),
            "additional": (("resource_centre", 0.15), ("internship_site", 0.05)),
            "college": (("resource_centre", 0.30), ("internship_site", 0.20)),
            "dpo": (("internship_site", 0.5),),
        }
        forced = {}
        schools = self.by_kind["school"]
        forced[schools[0]] = ("base_school", "resource_centre", "internship_site")
        forced[schools[1 % len(schools)]] = forced.get(schools[1 % len(schools)], ()) + (
            "innovation_site", "experimental_site")
        for idx, kind in enumerate(self.org_kind):
            if kind in _PARTNERS or kind in ("methodical", "regional_centre", "university"):
                continue
            org = self.orgs[idx]
            roles = set(forced.get(idx, ()))
            for role, p in chances.get(kind, ()):
                if rng.random() < p:
                    roles.add(role)
            if kind != "dpo":
                roles.add("participant")
            for role in sorted(roles):
                since = org["joined_on"] if role == "participant" else self.between(
                    org["joined_on"], self.today)
                until = org["left_on"] if role == "participant" else None
                if role != "participant" and rng.random() < 0.12:
                    end = add_years(since, 3)
                    until = end if end < self.today else None
                w.add(self.row(organization_id=org["id"], role=role, since=since, until=until,
                               order_number=f"{rng.randint(10, 899)}-р"))
                if until is None:
                    if role in ("internship_site", "resource_centre"):
                        self.internship_sites.append(idx)
                    if role in ("base_school", "resource_centre") and kind == "school":
                        self.course_hosts.append(idx)
        w.flush()
        if not self.internship_sites:
            self.internship_sites = [schools[0]]
        self.internship_sites = sorted(set(self.internship_sites))
        self.course_hosts = sorted(set(self.course_hosts)) or schools[:1]

    # -- teachers ----------------------------------------------------------
    def _person(self, female: bool) -> tuple[str, str, str]:
        rng = self.rng
        last = rng.choice(V.SURNAMES)
        if female:
            return (V.feminine_surname(last), rng.choice(V.FEMALE_NAMES),
                    rng.choice(V.PATRONYMICS)[1])
        return last, rng.choice(V.MALE_NAMES), rng.choice(V.PATRONYMICS)[0]

    def teachers(self) -> None:
        rng, today, n = self.rng, self.today, self.n
        staffed = [i for i, k in enumerate(self.org_kind) if k in _STAFF_WEIGHT]
        weights = [_STAFF_WEIGHT[self.org_kind[i]] * rng.uniform(0.5, 1.5) for i in staffed]
        orgs_of = rng.choices(staffed, weights=weights, k=n)
        pickers = {kind: _Picker(rng, [(p, s) for p, s, _ in rows], [w for _, _, w in rows])
                   for kind, rows in V.POSITIONS.items()}
        domain_pick = _Picker(rng, [d for d, _ in V.EMAIL_DOMAINS], [w for _, w in V.EMAIL_DOMAINS])
        people = [self._person(rng.random() < 0.82) for _ in range(n)]
        if not any("ё" in "".join(p) for p in people[:n]):
            last, first, middle = people[0]
            people[0] = (V.feminine_surname("Семёнов") if middle.endswith("на") else "Семёнов",
                         first, middle)
        snils_numbers = rng.sample(range(2_000_000, 999_999_999), n)
        start_1960 = date(1960, 1, 1).toordinal()
        span_old = date(1995, 12, 31).toordinal() - start_1960
        start_young = date(1985, 1, 1).toordinal()
        span_young = date(2002, 12, 31).toordinal() - start_young
        last_sept = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
        emails: set[str] = set()
        cat_young = _Picker(rng, ["none", "conformity", "first"], [40, 35, 25])
        cat_senior = _Picker(rng, ["none", "conformity", "first", "highest", "methodist", "mentor"],
                             [8, 17, 35, 32, 4, 4])
        self.t_id: list[str] = []
        self.t_org = orgs_of
        self.t_subject: list[str] = []
        self.t_position: list[str] = []
        self.t_fio: list[str] = []
        self.t_email: list[str | None] = []
        self.t_phone: list[str | None] = []
        self.t_career: list[date] = []
        self.t_birth: list[date] = []
        self.t_category: list[str] = []
        rows: list[dict] = []
        for i in range(n):
            last, first, middle = people[i]
            org = orgs_of[i]
            kind = self.org_kind[org]
            if rng.random() < 0.7:
                birth = date.fromordinal(start_1960 + rng.randint(0, span_old))
            else:
                birth = date.fromordinal(start_young + rng.randint(0, span_young))
            career = date(birth.year + rng.randint(20, 24), 9, 1)
            if rng.random() < 0.08:   # came to school from another profession
                career = self.between(career, today)
            if career > today:
                career = last_sept if last_sept > birth else today
            hired = career if rng.random() < 0.45 else self.between(career, today)
            position, subjects = pickers[kind]()
            experience = (today - career).days // 365
            if experience < 2 or kind in ("university", "dpo"):
                category = "none"
            elif experience < 6:
                category = cat_young()
            else:
                category = cat_senior()
            until = None
            if category in ("first", "highest", "methodist", "mentor"):
                until = add_years(self.days_ago(0, 5 * 365 + 60), 5)
            email = None
            if rng.random() < 0.88:
                local = f"{V.translit(last)}.{V.translit(first)[:1]}{V.translit(middle)[:1]}"
                if rng.random() < 0.4:
                    local += f"{birth.year % 100:02d}"
                email = f"{local}@{domain_pick()}"
                k = 2
                while email in emails:
                    email = f"{local}{k}@{email.split('@', 1)[1]}"
                    k += 1
                emails.add(email)
            phone = f"+79{rng.randrange(10**9):09d}" if rng.random() < 0.82 else None
            consent = None
            if rng.random() < 0.92:
                consent = self.between(max(hired, today - timedelta(days=6 * 365)), today)
            notes = ""
            if rng.random() < 0.02 and birth.year > 1985:
                notes = f"Отпуск по уходу за ребёнком до {format_date(self.days_ahead(30, 900))}"
            row = self.row(
                last_name=last, first_name=first, middle_name=middle, birth_date=birth,
                snils=_snils(snils_numbers[i]), email=email, phone=phone,
                organization_id=self.org_ids[org], position=position, subjects=subjects,
                qualification_category=category, category_until=until, career_start=career,
                hired_on=hired, consent_on=consent,
                consent_basis=V.CONSENT_BASIS if consent else "", last_pd_on=None, notes=notes,
            )
            rows.append(row)
            self.t_id.append(row["id"])
            self.t_subject.append(subjects)
            self.t_position.append(position)
            self.t_email.append(email)
            self.t_phone.append(phone)
            self.t_career.append(career)
            self.t_birth.append(birth)
            self.t_category.append(category)
        # The most experienced teacher of each organisation heads it.
        self.org_teachers: dict[int, list[int]] = {}
        for i, org in enumerate(orgs_of):
            self.org_teachers.setdefault(org, []).append(i)
        for org, members in self.org_teachers.items():
            head = min(members, key=lambda t: (self.t_career[t], t))
            position = V.HEAD_POSITIONS[self.org_kind[org]]
            rows[head]["position"] = position
            rows[head]["subjects"] = ""
            self.t_position[head] = position
            self.t_subject[head] = ""
            r = rows[head]
            self.orgs[org]["head_name"] = format_fio(r["last_name"], r["first_name"], r["middle_name"])
        for idx, org in enumerate(self.orgs):
            if not org["head_name"]:
                org["head_name"] = format_fio(*self._person(rng.random() < 0.5))
        self.t_fio = [format_fio(r["last_name"], r["first_name"], r["middle_name"]) for r in rows]
        w = _Writer(self, Organization)
        for org in self.orgs:
            w.add(org)
        w.flush()
        self._org_roles()
        w = _Writer(self, Teacher)
        for r in rows:
            w.add(r)
        w.flush()
        # Derived indexes for later stages.
        self.by_subject: dict[str, list[int]] = {}
        for i, subj in enumerate(self.t_subject):
            self.by_subject.setdefault(subj, []).append(i)
        self.experienced = [i for i in range(n) if (today - self.t_career[i]).days >= 3650
                            and self.t_category[i] in ("first", "highest", "methodist", "mentor")]
        self.experts = [i for i in range(n) if self.t_category[i] in _EXPERT_CATEGORIES]
        self.young = [i for i in range(n) if (today - self.t_career[i]).days < 3 * 365
                      or (today - self.t_birth[i]).days < 30 * 365]
        self.methodists = [i for i in range(n) if self.org_kind[orgs_of[i]] == "methodical"]
        if not self.experienced:
            self.experienced = list(range(n))
        if not self.experts:
            self.experts = self.experienced
        if not self.young:
            self.young = list(range(n))

    # -- programmes ------------------------------------------------------------
    def programmes(self) -> None:
        rng = self.rng
        count = min(200, max(60, round(self.n / 500)))
        hours_pick = _Picker(rng, [h for h, _ in _PROGRAMME_HOURS], [w for _, w in _PROGRAMME_HOURS])
        forms = [f.value for f in ProgrammeForm]
        form_pick = _Picker(rng, forms, [40, 15, 35, 10])
        statuses = [c.value for c in CertificationStatus]
        status_pick = _Picker(rng, statuses, [40, 15, 35, 10])
        providers = (self.by_kind["dpo"] * 3 + self.by_kind["regional_centre"] * 3
                     + self.by_kind["university"] + self.by_kind["methodical"] * 2
                     + self.by_kind["college"][:3])
        w = _Writer(self, Programme)
        self.programme_rows: list[dict] = []
        self.comp_programmes: dict[str, list[int]] = {c: [] for c, _ in COMPETENCES}
        base_count = len(V.PROGRAMMES)
        for i in range(count):
            title, comps, audience = V.PROGRAMMES[i % base_count]
            title += V.PROGRAMME_VARIANTS[(i // base_count) % len(V.PROGRAMME_VARIANTS)]
            hours = hours_pick()
            form = forms[i] if i < len(forms) else form_pick()
            status = statuses[i] if i < len(statuses) else status_pick()
            if rng.random() < 0.85:
                provider = rng.choice(providers)
                provider_id, provider_name = self.org_ids[provider], self.org_short[provider]
            else:
                provider_id, provider_name = None, rng.choice(V.EXTERNAL_PROVIDERS)
            labels = ", ".join(COMPETENCE_LABELS[c].lower() for c in comps)
            row = self.row(
                title=title, provider_id=provider_id, provider_name=provider_name, hours=hours,
                credits=credits_from_hours(hours, self.hours_per_credit), form=form,
                registry_number=f"ФРДПП-{rng.randint(1000, 99999)}" if rng.random() < 0.55 else "",
                certification_status=status,
                certified_until=self.days_ahead(60, 1000) if status == "certified" else None,
                competences=",".join(comps),
                description=(f"Дополнительная профессиональная программа повышения квалификации "
                             f"для категории «{audience}», {hours} ч. Развиваемые компетенции: "
                             f"{labels}."),
            )
            w.add(row)
            self.programme_rows.append(row)
            for c in comps:
                self.comp_programmes[c].append(i)
        w.flush()

    # -- mentorships -------------------------------------------------------------
    def mentorships(self) -> None:
        rng, today = self.rng, self.today
        target = max(3, round(self.n * 0.05))
        fresh = [i for i in self.young if (today - self.t_career[i]).days < 3 * 365]
        others = [i for i in self.young if (today - self.t_career[i]).days >= 3 * 365]
        pool = fresh + others
        mentees = sorted(rng.sample(pool[:max(target, len(fresh))], min(target, len(pool))))
        experienced_by_org: dict[int, list[int]] = {}
        for t in self.experienced:
            experienced_by_org.setdefault(self.t_org[t], []).append(t)
        forms = [f.value for f in MentorshipForm]
        form_pick = _Picker(rng, forms, [60, 20, 10, 10])
        goals = (
            "Адаптация молодого специалиста в коллективе, освоение ФОП и рабочей программы",
            "Развитие методических компетенций: проектирование урока, формирующее оценивание",
            "Подготовка к участию в конкурсе «Педагогический дебют»",
            "Освоение воспитательной работы классного руководителя",
        )
        w = _Writer(self, Mentorship)
        self.mentorship_of: dict[int, tuple[str, date, date | None, int]] = {}
        self.mentor_of: dict[int, tuple[str, date, date | None, int]] = {}
        for k, mentee in enumerate(mentees):
            candidates = [t for t in experienced_by_org.get(self.t_org[mentee], ()) if t != mentee]
            mentor = rng.choice(candidates) if candidates else rng.choice(self.experienced)
            if mentor == mentee:
                continue
            start = max(self.t_career[mentee], today - timedelta(days=700))
            start = min(start + timedelta(days=rng.randint(0, 30)), today)
            end = add_years(start, rng.choice((1, 1, 2))) if rng.random() < 0.85 else None
            row = self.row(mentor_id=self.t_id[mentor], mentee_id=self.t_id[mentee],
                           form=forms[k] if k < len(forms) else form_pick(), starts_on=start,
                           ends_on=end, order_number=f"{rng.randint(10, 350)}-о",
                           goals=rng.choice(goals))
            w.add(row)
            info = (row["id"], start, end, mentor)
            self.mentorship_of[mentee] = info
            self.mentor_of.setdefault(mentor, (row["id"], start, end, mentee))
        w.flush()

    # -- communities --------------------------------------------------------------
    def communities(self) -> None:
        rng, today = self.rng, self.today
        kinds = [k.value for k in CommunityKind]
        count = max(len(kinds), round(self.n / 100))
        kind_pick = _Picker(rng, kinds, [40, 12, 12, 10, 8, 8, 10])
        rmo_subjects = [s for s in V.RMO_AUDIENCES if s and self.by_subject.get(s)]
        rmo_pick = _Picker(rng, rmo_subjects, [len(self.by_subject[s]) for s in rmo_subjects]) \
            if rmo_subjects else None
        used: dict[str, int] = {}
        cw = _Writer(self, Community)
        mw = _Writer(self, CommunityMember, parents=[cw])
        self.community_ids: list[str] = []
        self.community_kind: list[str] = []
        self.community_name: list[str] = []
        self.community_members: list[list[int]] = []
        for c in range(count):
            kind = kinds[c] if c < len(kinds) else kind_pick()
            subject = ""
            if kind == "rmo" and rmo_pick is not None:
                subject = rmo_pick()
                name = f"РМО {V.RMO_AUDIENCES[subject]}"
                pool = self.by_subject[subject]
            elif kind == "rmo":
                name, pool = "РМО педагогов", list(range(self.n))
            else:
                name = rng.choice(V.COMMUNITY_TITLES[kind])
                pool = self.young if kind == "young_club" else None
            if kind == "young_club":
                moderator = rng.choice(self.experienced)
            elif kind in ("working_group", "excellence_school") and self.methodists:
                moderator = rng.choice(self.methodists)
            else:
                moderator = rng.choice(pool) if pool else rng.randrange(self.n)
            base_org = self.t_org[moderator]
            seen = used.get(name, 0)
            used[name] = seen + 1
            if seen:
                name = (f"{name} (куст № {seen + 1})" if kind == "rmo"
                        else f"{name} — {self.org_short[base_org]}")
            problem, result = rng.choice(V.COMMUNITY_PROBLEMS)
            starts = self.days_ago(30, 5 * 365)
            ends = None if kind == "rmo" else add_years(starts, rng.choice((1, 2, 3)))
            decision = starts - timedelta(days=rng.randint(3, 20))
            row = self.row(name=name, kind=kind, problem=problem, expected_result=result,
                           starts_on=starts, ends_on=ends, decision_number=f"{rng.randint(5, 480)}-р",
                           decision_date=decision, moderator_id=self.t_id[moderator],
                           base_organization_id=self.org_ids[base_org], subject=subject)
            cw.add(row)
            size = rng.randint(6, 30)
            if pool is None:
                members = {rng.randrange(self.n) for _ in range(size)}
            else:
                members = set(rng.sample(pool, min(size, len(pool))))
            members.discard(moderator)
            head = None
            if kind in ("association", "excellence_school", "working_group") and members:
                head = min(members)
            ordered = [moderator] + sorted(members)
            for t in ordered:
                role = ("moderator" if t == moderator else "head" if t == head else "member")
                mw.add(self.row(community_id=row["id"], teacher_id=self.t_id[t], organization_id=None,
                                role=role, joined_on=min(today, starts + timedelta(days=rng.randint(0, 200)))
                                if t != moderator else starts))
            for org in set(rng.sample(self.edu_orgs, min(len(self.edu_orgs), rng.randint(0, 4)))):
                mw.add(self.row(community_id=row["id"], teacher_id=None, organization_id=self.org_ids[org],
                                role="member", joined_on=starts))
            self.community_ids.append(row["id"])
            self.community_kind.append(kind)
            self.community_name.append(name)
            self.community_members.append(ordered)
        mw.flush()

    # -- events -------------------------------------------------------------
    def _event_title(self, kind: str, topic: str, year: int, host: int, community: int | None) -> str:
        rng = self.rng
        short = self.org_short[host]
        if kind == "competition":
            return rng.choice(V.COMPETITIONS).format(year=year)
        if kind == "rmo_meeting":
            name = self.community_name[community] if community is not None else "РМО"
            return f"Заседание {name}: «{topic}»"
        if kind == "nms_meeting":
            return f"Заседание научно-методического совета: {rng.choice(V.NMS_TOPICS).lower()}"
        if kind == "internship":
            return f"Стажировка на базе {short}: «{topic}»"
        if kind == "open_day":
            return f"День открытых дверей в {short}"
        if kind == "network_game":
            return f"Сетевая игра «{rng.choice(V.NETWORK_GAMES)}» для обучающихся"
        if kind == "consultation" and rng.random() < 0.5:
            return "Консультация «Подготовка к аттестации педагогических работников»"
        prefix = {
            "seminar": "Семинар", "webinar": "Вебинар", "web_conference": "Веб-конференция",
            "conference": "Муниципальная научно-практическая конференция",
            "master_class": "Мастер-класс", "workshop": "Практикум",
            "discussion": "Педагогическая дискуссия", "marathon": "Педагогический марафон",
            "training": "Тренинг", "lecture": "Лекция", "consultation": "Консультация",
        }[kind]
        return f"{prefix} «{topic}»"

    def events(self) -> None:
        rng, today = self.rng, self.today
        count = max(30, round(self.n / 20))
        kinds = [k.value for k in EventKind]
        kind_pick = _Picker(rng, kinds, [_EVENT_WEIGHTS[k] for k in kinds])
        forced_kinds = ["competition"] + [k for k in kinds if k != "competition"]
        rmo_communities = [c for c, k in enumerate(self.community_kind) if k == "rmo"]
        hosts = self.edu_orgs + self.by_kind["methodical"] * 5
        ew = _Writer(self, Event)
        ow = _Writer(self, EventOrganizer, parents=[ew])
        self.event_ids: list[str] = []
        self.event_kind: list[str] = []
        self.event_status: list[str] = []
        self.event_start: list[date] = []
        self.event_end: list[date] = []
        self.event_hours: list[float] = []
        self.event_title: list[str] = []
        for e in range(count):
            kind = forced_kinds[e] if e < len(forced_kinds) else kind_pick()
            if e == 0:
                starts = self.days_ago(20, 300)
            elif e == 1:
                starts = self.days_ahead(5, 150)
            else:
                starts = today + timedelta(days=rng.randint(-730, 180))
            if e == 2:
                status = "cancelled"
            elif starts < today:
                status = "held" if e == 0 or rng.random() < 0.94 else "cancelled"
            else:
                status = "planned" if e == 1 or rng.random() < 0.93 else "cancelled"
            if kind in ("internship", "marathon", "competition"):
                ends = starts + timedelta(days=rng.randint(2, 14))
            elif kind == "conference":
                ends = starts + timedelta(days=rng.randint(0, 1))
            else:
                ends = starts
            if kind in ("webinar", "web_conference"):
                fmt = "remote"
            elif kind == "consultation":
                fmt = rng.choice(("remote", "in_person"))
            else:
                fmt = rng.choices(("in_person", "mixed", "remote"), (75, 15, 10))[0]
            host = rng.choice(self.internship_sites) if kind == "internship" else rng.choice(hosts)
            community = None
            if kind == "rmo_meeting" and rmo_communities:
                community = rng.choice(rmo_communities)
            elif rng.random() < 0.2:
                community = rng.randrange(len(self.community_ids))
            topic = rng.choice(V.EVENT_TOPICS)
            title = self._event_title(kind, topic, starts.year, host, community)
            if kind == "rmo_meeting" and community is not None:
                audience = f"члены {self.community_name[community]}"
            else:
                audience = rng.choice(V.AUDIENCES)
            venue = "" if fmt == "remote" else f"{self.org_short[host]}, {self.orgs[host]['address']}"
            link = "" if fmt == "in_person" else f"https://imc.{V.ORG_DOMAIN}/events/{starts.year}/{e + 1}"
            hours = float(_EVENT_HOURS[kind])
            row = self.row(
                title=title, kind=kind, format=fmt, starts_on=starts, ends_on=ends, venue=venue,
                link=link, audience=audience,
                community_id=self.community_ids[community] if community is not None else None,
                plan_year=starts.year, hours=hours, status=status,
                description=(f"{EventKind.label_of(kind)} для категории «{audience}». Тема: {topic}. "
                             f"Форма проведения: {EventFormat.label_of(fmt).lower()}."),
            )
            ew.add(row)
            organizers = {self.main_centre if rng.random() < 0.7 else rng.choice(hosts)}
            if fmt != "remote":
                organizers.add(host)
            for org in sorted(organizers):
                ow.add(self.row(event_id=row["id"], organization_id=self.org_ids[org]))
            self.event_ids.append(row["id"])
            self.event_kind.append(kind)
            self.event_status.append(status)
            self.event_start.append(starts)
            self.event_end.append(ends)
            self.event_hours.append(hours)
            self.event_title.append(title)
        ow.flush()
        # Sorted indexes by start date, per status, for picking an event within a period.
        self.events_sorted: dict[str, tuple[list[int], list[int]]] = {}
        for status in ("held", "planned", "any"):
            idx = sorted((e for e in range(count) if status == "any" or self.event_status[e] == status),
                         key=lambda e: (self.event_start[e], e))
            self.events_sorted[status] = ([self.event_start[e].toordinal() for e in idx], idx)

    def _event_between(self, status: str, a: date, b: date) -> int | None:
        keys, idx = self.events_sorted[status]
        lo = bisect_left(keys, a.toordinal())
        hi = bisect_right(keys, b.toordinal())
        if lo >= hi:
            return None
        return idx[self.rng.randrange(lo, hi)]

    # -- diagnostics -----------------------------------------------------------------
    def diagnostics(self) -> None:
        rng, today = self.rng, self.today
        chosen = sorted(rng.sample(range(self.n), round(self.n * 0.4)))
        instruments = _Picker(rng, list(V.DIAGNOSTIC_INSTRUMENTS), [40, 20, 15, 10, 15])
        dw = _Writer(self, Diagnostic)
        rw = _Writer(self, DiagnosticResult, parents=[dw])
        notes = ("", "", "Проведена в рамках региональной диагностики", "Повторная диагностика",
                 "Онлайн-тестирование на платформе ЦНППМ")
        self.diagnosis: dict[int, tuple[str, date, list[str]]] = {}
        for t in chosen:
            held = max(self.days_ago(10, 3 * 365), min(self.t_career[t] + timedelta(days=60), today))
            if any(w in self.t_position[t] for w in _MANAGER_WORDS):
                instrument, comps = V.MANAGER_INSTRUMENT
            else:
                instrument, comps = instruments()
            row = self.row(teacher_id=self.t_id[t], held_on=held, instrument=instrument,
                           notes=rng.choice(notes))
            dw.add(row)
            ability = rng.gauss(70, 10)
            deficits = []
            for comp in comps:
                score = round(min(100.0, max(15.0, ability + rng.gauss(0, 12))), 1)
                deficit = score < 60
                proposed = None
                if deficit:
                    deficits.append(comp)
                    options = self.comp_programmes.get(comp)
                    if options:
                        proposed = self.programme_rows[rng.choice(options)]["id"]
                rw.add(self.row(diagnostic_id=row["id"], competence=comp, score=score,
                                max_score=100.0, is_deficit=deficit, proposed_programme_id=proposed))
            self.diagnosis[t] = (row["id"], held, deficits)
        rw.flush()

    # -- trajectories ------------------------------------------------------------------
    def trajectories(self) -> None:
        rng, today = self.rng, self.today
        tw = _Writer(self, Trajectory)
        iw = _Writer(self, TrajectoryItem, parents=[tw])
        kind_pick = _Picker(rng, ["programme", "internship", "event", "mentoring", "self_education"],
                            [15, 12, 35, 10, 28])
        goals = (
            "Совершенствование предметных и методических компетенций",
            "Подготовка к аттестации на квалификационную категорию",
            "Освоение цифровых образовательных технологий",
            "Подготовка к участию в конкурсе профессионального мастерства",
            "Обобщение и распространение педагогического опыта",
        )
        self.last_pd: dict[int, date] = {}
        self.teacher_events: dict[int, set[int]] = {}
        routes = 0
        for t in range(self.n):
            diag = self.diagnosis.get(t)
            if rng.random() >= (0.9 if diag else 0.4):
                continue
            routes += 1
            first = routes == 1
            career = self.t_career[t]
            years = rng.choice((1, 1, 2, 3))
            anchor = None   # when the route's course ended: drives the three-year rule
            if first:
                start = max(self.days_ago(200, 500), career)
                end = today + timedelta(days=rng.randint(120, 400))
            else:
                # A mix for the three-year rule: a course long ago (overdue), about three
                # years ago (due soon), recent; and a few routes planned for the coming
                # months. The second and third routes make sure the first two occur.
                group = {2: "soon", 3: "overdue"}.get(routes)
                if group is None:
                    r = rng.random()
                    group = ("diag" if diag else "future" if r < 0.05 else "overdue" if r < 0.35
                             else "soon" if r < 0.5 else "recent")
                if group == "soon":
                    anchor = self.days_ago(3 * 365 - 170, 3 * 365 - 10)
                elif group == "overdue":
                    anchor = self.days_ago(3 * 365 + 10, 5 * 365)
                if anchor is not None and anchor < career + timedelta(days=60):
                    anchor, group = None, "recent"
                if anchor is not None:
                    start = max(career, anchor - timedelta(days=rng.randint(50, 200)))
                elif group == "diag":
                    start = diag[1] + timedelta(days=rng.randint(7, 45))
                elif group == "future":
                    start, years = self.days_ahead(10, 90), 1
                else:
                    start = max(self.days_ago(30, 2 * 365), career)
                end = add_years(start, years) - timedelta(days=1)
            if diag and diag[1] > start:
                diag = None
            if start > today:
                status = "draft"
            elif end < today:
                status = "completed"
            else:
                status = "active" if first or rng.random() < 0.9 else "draft"
            deficits = diag[2] if diag else []
            if deficits:
                goal = "Устранение профессиональных дефицитов: " + "; ".join(
                    COMPETENCE_LABELS[c].lower() for c in deficits[:3])
            else:
                goal = rng.choice(goals)
            row = self.row(teacher_id=self.t_id[t], diagnostic_id=diag[0] if diag else None,
                           period_start=start, period_end=end, goals=goal,
                           deficits=",".join(deficits), status=status)
            tw.add(row)
            forced = first
            if first:
                # One route shows every kind, status and formality, whatever the seed.
                plan = [("programme", "completed"), ("internship", "in_progress"),
                        ("event", "planned"), ("mentoring", "cancelled"),
                        ("self_education", "completed")]
            else:
                count = rng.randint(2, 5)
                kinds = ["programme" if anchor or rng.random() < 0.9 else kind_pick()]
                kinds += [kind_pick() for _ in range(count - 1)]
                if anchor is not None:
                    kinds[1:] = ["self_education" if k == "programme" else k for k in kinds[1:]]
                plan = [(k, self._item_status(status)) for k in kinds]
                if anchor is not None:
                    plan[0] = ("programme", "completed")
                if status == "active" and kinds[0] == "programme":
                    # The course of a route usually comes first and is done by now.
                    plan[0] = ("programme", rng.choices(("completed", "in_progress", "planned"),
                                                        (70, 15, 15))[0])
            for j, (kind, item_status) in enumerate(plan):
                iw.add(self._item(t, row["id"], kind, item_status, start, end, deficits,
                                  forced_formality=forced or (anchor is not None and j == 0),
                                  anchor=anchor if j == 0 else None))
        iw.flush()
        if self.last_pd:
            table = Teacher.__table__
            stmt = (update(table).where(table.c.id == bindparam("t_id"))
                    .values(last_pd_on=bindparam("t_pd")))
            items = [{"t_id": self.t_id[t], "t_pd": d} for t, d in sorted(self.last_pd.items())]
            for i in range(0, len(items), CHUNK_SIZE):
                self.check_cancelled()
                self.s.execute(stmt, items[i:i + CHUNK_SIZE])

    def _item_status(self, trajectory_status: str) -> str:
        r = self.rng.random()
        if trajectory_status == "completed":
            return "completed" if r < 0.9 else "cancelled"
        if trajectory_status == "draft":
            return "planned" if r < 0.92 else "cancelled"
        if r < 0.45:
            return "completed"
        if r < 0.70:
            return "in_progress"
        if r < 0.95:
            return "planned"
        return "cancelled"

    def _dates(self, status: str, start: date, end: date, days: int) -> tuple[date, date]:
        """Planned start and end inside the period [start, end] consistent with the status."""
        today = self.today
        if status == "completed":
            hi = min(end, today - timedelta(days=1))
            a = self.between(start, hi - timedelta(days=days))
            return a, min(a + timedelta(days=days), hi) if hi >= a else a
        if status == "in_progress":
            a = self.between(max(start, today - timedelta(days=days)), today)
            return a, max(a + timedelta(days=days), today)
        if status == "planned":
            a = self.between(max(start, today + timedelta(days=1)), end)
            return a, a + timedelta(days=days)
        a = self.between(start, end)
        return a, a + timedelta(days=days)

    def _item(self, t: int, trajectory_id: str, kind: str, status: str, start: date, end: date,
              deficits: list[str], forced_formality: bool, anchor: date | None = None) -> dict:
        rng, today = self.rng, self.today
        programme_id = event_id = organization_id = mentorship_id = None
        level_topics = V.PRESCHOOL_TOPICS if self.org_kind[self.t_org[t]] == "kindergarten" else V.TOPICS
        topic = rng.choice(level_topics)
        if kind == "programme":
            if deficits and rng.random() < 0.7:
                options = self.comp_programmes.get(rng.choice(deficits)) or [0]
                p = self.programme_rows[rng.choice(options)]
            else:
                p = rng.choice(self.programme_rows)
            programme_id, organization_id = p["id"], p["provider_id"]
            title, hours = p["title"], float(p["hours"])
            formality = "formal" if forced_formality or rng.random() < 0.92 else "non_formal"
            days = _HOURS_TO_DAYS[p["hours"]]
            if anchor is not None:
                planned_start, planned_end = anchor - timedelta(days=days), anchor
            else:
                planned_start, planned_end = self._dates(status, start, end, days)
        elif kind == "internship":
            site = rng.choice(self.internship_sites)
            organization_id = self.org_ids[site]
            title = f"Стажировка на базе {self.org_short[site]}: «{topic}»"
            hours = float(rng.choice((16, 24, 36)))
            formality = "non_formal" if forced_formality or rng.random() < 0.5 else "formal"
            planned_start, planned_end = self._dates(status, start, end, rng.randint(3, 10))
        elif kind == "event":
            formality = "non_formal"
            planned_start, planned_end = self._dates(status, start, end, 0)
            window = (start, min(end, today - timedelta(days=1))) if status == "completed" else \
                (max(start, today + timedelta(days=1)), end) if status == "planned" else (start, end)
            e = None
            if status != "in_progress":
                e = self._event_between({"completed": "held", "planned": "planned"}.get(status, "any"),
                                        *window)
            if e is not None:
                event_id = self.event_ids[e]
                title, hours = self.event_title[e], self.event_hours[e]
                planned_start, planned_end = self.event_start[e], self.event_end[e]
                if status != "cancelled":
                    self.teacher_events.setdefault(t, set()).add(e)
            else:
                title = f"Участие в региональном вебинаре «{topic}»"
                hours = 2.0
        elif kind == "mentoring":
            formality = "informal" if forced_formality else rng.choice(("non_formal", "informal"))
            link = self.mentorship_of.get(t) or self.mentor_of.get(t)
            if link is not None and not forced_formality:
                mentorship_id, m_start, m_end, other = link
                as_mentee = t in self.mentorship_of
                title = (f"Наставничество: наставник — {initials(*self.t_fio[other].split(' ', 2))}"
                         if as_mentee else
                         f"Наставничество: сопровождение молодого педагога "
                         f"{initials(*self.t_fio[other].split(' ', 2))}")
                planned_start = m_start
                planned_end = m_end or add_years(m_start, 1)
                status = ("completed" if planned_end < today else
                          "in_progress" if planned_start <= today else "planned")
            else:
                title = "Взаимопосещение уроков в паре с коллегой"
                planned_start, planned_end = self._dates(status, start, end, rng.randint(30, 120))
            hours = 18.0
        else:
            formality = "informal"
            title = f"Самообразование по теме «{topic}»"
            hours = float(rng.choice((12, 24, 36)))
            planned_start, planned_end = self._dates(status, start, end, rng.randint(60, 180))
        actual_start = actual_end = document_date = score = None
        document_number = ""
        credits = 0.0
        item_hours = 0.0
        shift = kind not in ("event", "mentoring")   # fixed dates: the event's, the order's
        if status in ("completed", "in_progress"):
            actual_start = min(planned_start + timedelta(days=rng.randint(0, 2) if shift else 0), today)
        if status == "completed":
            actual_end = min(max(planned_end + timedelta(days=rng.randint(-1, 3) if shift else 0),
                                 actual_start), today)
            item_hours = hours
            credits = credits_from_hours(hours, self.hours_per_credit)
            document_date = actual_end
            year = actual_end.year
            document_number = {
                "programme": f"{rng.randint(10**11, 10**12 - 1)}",
                "internship": f"С-{year}-{rng.randint(1, 9999):04d}",
                "event": f"{year}-{rng.randint(1, 99999):05d}",
                "mentoring": f"Приказ № {rng.randint(10, 350)}-о",
                "self_education": f"Протокол РМО № {rng.randint(1, 9)}",
            }[kind]
            if kind in ("programme", "internship"):
                score = float(rng.randint(60, 100))
            if kind == "programme" and formality == "formal":
                previous = self.last_pd.get(t)
                if previous is None or actual_end > previous:
                    self.last_pd[t] = actual_end
        return self.row(
            trajectory_id=trajectory_id, kind=kind, formality=formality, title=title,
            programme_id=programme_id, event_id=event_id, organization_id=organization_id,
            mentorship_id=mentorship_id, status=status, planned_start=planned_start,
            planned_end=planned_end, actual_start=actual_start, actual_end=actual_end,
            hours=item_hours, credits=credits, document_number=document_number,
            document_date=document_date, score=score,
        )

    # -- participations -----------------------------------------------------------------
    def participations(self) -> None:
        rng = self.rng
        n_events = len(self.event_ids)
        k_pick = _Picker(rng, list(range(8)), [10, 15, 20, 20, 15, 10, 6, 4])
        contest_roles = _Picker(rng, ["participant", "winner", "prizewinner", "jury", "expert"],
                                [62, 8, 14, 7, 9])
        usual_roles = _Picker(rng, ["participant", "speaker", "organizer", "expert"], [86, 8, 2, 4])
        attendance_pick = _Picker(rng, ["present", "absent", "excused", "unknown"], [82, 7, 4, 7])
        missing_roles = [r.value for r in ParticipationRole]
        missing_attendance = [a.value for a in Attendance]
        certificates = 0
        in_first: set[int] = set()
        w = _Writer(self, Participation)
        for t in range(self.n):
            chosen = set(self.teacher_events.get(t, ()))
            k = k_pick()
            if k:
                chosen.update(rng.sample(range(n_events), min(k, n_events)))
            for e in sorted(chosen):
                kind, status = self.event_kind[e], self.event_status[e]
                role = contest_roles() if kind == "competition" else usual_roles()
                attendance = attendance_pick() if status == "held" else "unknown"
                if status == "held":
                    if missing_roles and kind == "competition":
                        role = missing_roles.pop()
                        attendance = "present"
                    elif missing_attendance:
                        attendance = missing_attendance.pop()
                        role = "participant"
                if role in ("winner", "prizewinner", "jury") and kind != "competition":
                    role = "participant"
                if role in missing_roles:
                    missing_roles.remove(role)
                if attendance in missing_attendance:
                    missing_attendance.remove(attendance)
                present = attendance == "present"
                certificate = ""
                if present and (role != "participant" or rng.random() < 0.6):
                    certificates += 1
                    certificate = f"С-{self.event_start[e].year}/{certificates:06d}"
                w.add(self.row(event_id=self.event_ids[e], teacher_id=self.t_id[t], organization_id=None,
                               role=role, attendance=attendance,
                               hours=self.event_hours[e] if present else 0.0,
                               certificate_number=certificate))
                if e == 0:
                    in_first.add(t)
        # Event 0 is a held competition: whatever the seed missed, it gets.
        spare = (t for t in range(self.n) if t not in in_first)
        for role, attendance in ([(r, "present") for r in missing_roles]
                                 + [("participant", a) for a in missing_attendance]):
            t = next(spare, None)
            if t is None:
                break
            w.add(self.row(event_id=self.event_ids[0], teacher_id=self.t_id[t], organization_id=None,
                           role=role, attendance=attendance,
                           hours=self.event_hours[0] if attendance == "present" else 0.0,
                           certificate_number=""))
        # Organisations (teams) in competitions, network games, conferences …
        for e in range(n_events):
            kind, status = self.event_kind[e], self.event_status[e]
            if kind not in _ORG_EVENTS:
                continue
            for org in rng.sample(self.edu_orgs, min(len(self.edu_orgs), rng.randint(1, 4))):
                role = rng.choice(("participant", "participant", "winner", "prizewinner")) \
                    if kind == "competition" and status == "held" else "participant"
                attendance = rng.choice(("present", "present", "present", "absent")) \
                    if status == "held" else "unknown"
                w.add(self.row(event_id=self.event_ids[e], teacher_id=None,
                               organization_id=self.org_ids[org], role=role, attendance=attendance,
                               hours=0.0, certificate_number=""))
        w.flush()

    # -- materials and reviews ------------------------------------------------------------
    def _level(self, t: int) -> str:
        kind = self.org_kind[self.t_org[t]]
        if kind == "kindergarten":
            return "preschool"
        if kind == "college":
            return "vocational"
        if kind == "additional":
            return "additional"
        if self.t_subject[t] == "Начальные классы":
            return "primary"
        return self.rng.choice(("basic", "basic", "secondary"))

    def materials(self) -> None:
        rng, today = self.rng, self.today
        count = max(20, round(self.n / 25))
        kinds = [k.value for k in MaterialKind]
        kind_pick = _Picker(rng, kinds, [14, 12, 10, 10, 6, 12, 10, 12, 10, 4])
        statuses = [s.value for s in MaterialStatus]
        status_pick = _Picker(rng, statuses, [10, 10, 15, 45, 10, 10])
        held = [e for e in range(len(self.event_ids)) if self.event_status[e] == "held"]
        mw = _Writer(self, Material)
        aw = _Writer(self, MaterialAuthor, parents=[mw])
        rw = _Writer(self, Review, parents=[mw])
        for i in range(count):
            kind = kinds[i] if i < len(kinds) else kind_pick()
            status = statuses[i] if i < len(statuses) else status_pick()
            author = rng.randrange(self.n)
            colleagues = self.org_teachers.get(self.t_org[author], [author])
            authors = [author] + [c for c in rng.sample(colleagues, min(len(colleagues), rng.randint(0, 2)))
                                  if c != author]
            subject = self.t_subject[author].split(",")[0]
            level = self._level(author)
            topic = rng.choice(V.PRESCHOOL_TOPICS if level == "preschool" else V.TOPICS)
            if kind == "kim" and level in _GRADES and subject in _SCHOOL_SUBJECTS:
                topic = "Оценивание образовательных результатов"
                title = V.KIM_SUBJECT_TITLE.format(subject=_lower_first(subject),
                                                   grade=rng.randint(*_GRADES[level]))
            else:
                title = rng.choice(V.MATERIAL_TITLES[kind]).format(topic=topic)
            keywords = ", ".join(dict.fromkeys(
                k for k in (_lower_first(topic.split(":")[0].strip("«» ")), _lower_first(subject),
                            EducationLevel.label_of(level).lower() + " образование") if k))
            submitted = None if status == "draft" else self.days_ago(15, 700)
            names = ", ".join(initials(*self.t_fio[a].split(" ", 2)) for a in authors)
            row = self.row(
                title=title, kind=kind,
                description=(f"{MaterialKind.label_of(kind)}. Авторы: {names} "
                             f"({self.org_short[self.t_org[author]]})."),
                organization_id=self.org_ids[self.t_org[author]],
                community_id=rng.choice(self.community_ids) if rng.random() < 0.3 else None,
                event_id=self.event_ids[rng.choice(held)] if held and rng.random() < 0.3 else None,
                subject=subject, level=level, keywords=keywords, status=status, submitted_on=submitted,
            )
            mw.add(row)
            for a in authors:
                aw.add(self.row(material_id=row["id"], teacher_id=self.t_id[a]))
            for review in self._reviews(status, submitted, set(authors)):
                review["material_id"] = row["id"]
                rw.add(review)
        aw.flush()
        rw.flush()

    def _reviews(self, status: str, submitted: date | None, authors: set[int]) -> list[dict]:
        rng, today = self.rng, self.today
        if submitted is None:
            return []
        if status == "submitted":
            plan = [(1, "pending")] if rng.random() < 0.5 else []
        elif status == "in_review":
            plan = [(1, "pending"), (1, rng.choice(("pending", "approved", "revision")))]
        elif status == "approved":
            plan = ([(1, "revision"), (2, "approved"), (2, "approved")] if rng.random() < 0.2
                    else [(1, "approved"), (1, "approved")])
        elif status == "revision":
            plan = [(1, "revision"), (1, rng.choice(("approved", "revision")))]
        else:
            plan = [(1, "rejected"), (1, rng.choice(("rejected", "revision")))]
        experts = [e for e in rng.sample(self.experts, min(len(self.experts), 4)) if e not in authors]
        out = []
        for k, (round_no, decision) in enumerate(plan):
            expert = experts[k % len(experts)] if experts else rng.randrange(self.n)
            assigned = min(submitted + timedelta(days=rng.randint(1, 10) + (round_no - 1) * 30), today)
            if decision == "pending":
                scores, total, decided = {}, None, None
            else:
                lo, hi = {"approved": (4, 5), "revision": (2, 4), "rejected": (1, 3)}[decision]
                scores = {c: rng.randint(lo, hi) for c in V.REVIEW_CRITERIA}
                total = float(sum(scores.values()))
                decided = min(assigned + timedelta(days=rng.randint(3, 20)), today)
            out.append(self.row(
                material_id=None, round=round_no, expert_id=self.t_id[expert], assigned_on=assigned,
                due_on=assigned + timedelta(days=14), scores=json.dumps(scores, ensure_ascii=False),
                total_score=total, conclusion=rng.choice(V.REVIEW_CONCLUSIONS[decision]),
                decision=decision, decided_on=decided,
            ))
        return out

    # -- agreements ------------------------------------------------------------------------
    def agreements(self) -> None:
        rng, today = self.rng, self.today
        count = len(self.orgs)
        kinds = [k.value for k in AgreementKind]
        kind_pick = _Picker(rng, kinds, [50, 25, 25])
        statuses = [s.value for s in AgreementStatus]
        status_pick = _Picker(rng, statuses, [12, 55, 20, 13])
        schools = self.by_kind["school"]
        aw = _Writer(self, Agreement)
        pw = _Writer(self, AgreementParty, parents=[aw])
        suffix = {"agreement": "СВ", "contract": "СФ", "cooperation": "С"}
        for i in range(count):
            kind = kinds[i % 3] if i < 12 else kind_pick()
            status = statuses[i // 3] if i < 12 else status_pick()
            notes = ""
            if status == "active":
                valid_from = self.days_ago(30, 4 * 365)
                valid_to = add_years(valid_from, rng.randint(1, 5))
                if valid_to <= today:
                    valid_to = self.days_ahead(30, 700)
            elif status == "expired":
                valid_to = self.days_ago(1, 3 * 365)
                valid_from = add_years(valid_to, -rng.randint(1, 3))
            elif status == "terminated":
                valid_from = self.days_ago(200, 5 * 365)
                valid_to = add_years(valid_from, rng.randint(2, 5))
                notes = (f"Расторгнут по соглашению сторон "
                         f"{format_date(self.between(valid_from, min(valid_to, today)))}")
            else:
                valid_from = self.days_ahead(10, 120)
                valid_to = add_years(valid_from, rng.randint(1, 3))
                notes = "Проект на согласовании сторон"
            signed = None if status == "draft" else valid_from - timedelta(days=rng.randint(0, 10))
            number = (f"проект-{i + 1}" if signed is None
                      else f"{i + 1}/{signed.year}-{suffix[kind]}")
            if kind == "contract":
                first_org, first_role = rng.choice(self.course_hosts), "Базовая организация"
                others = rng.sample(schools + self.by_kind["additional"] + self.by_kind["college"],
                                    min(2, len(schools)))
                other_role = "Организация-участник"
            elif kind == "cooperation":
                first_org, first_role = rng.choice(self.edu_orgs + [self.main_centre]), \
                    "Образовательная организация"
                others = [rng.choice(self.partner_orgs)]
                other_role = "Партнёр"
            else:
                first_org, first_role = self.main_centre, "Координатор сети"
                others = rng.sample(self.edu_orgs, min(len(self.edu_orgs), rng.randint(1, 2)))
                other_role = "Участник сети"
            parties = [(first_org, first_role)] + [(o, other_role) for o in others if o != first_org]
            if len(parties) < 2:
                parties.append((self.main_region if first_org != self.main_region else self.main_centre,
                                "Участник сети"))
            subject = rng.choice(V.AGREEMENT_SUBJECTS[kind])
            row = self.row(number=number, signed_on=signed, kind=kind, subject=subject,
                           valid_from=valid_from, valid_to=valid_to, status=status, notes=notes)
            aw.add(row)
            for org, role in parties[:3]:
                pw.add(self.row(agreement_id=row["id"], organization_id=self.org_ids[org], party_role=role))
        pw.flush()

    # -- information requests ------------------------------------------------------------------
    def _preparer(self, org: int) -> tuple[str, str, str, str]:
        """ФИО, position, phone and e-mail of the person who prepared a request."""
        rng = self.rng
        staff = self.org_teachers.get(org)
        o = self.orgs[org]
        if staff:
            managers = [t for t in staff[:200] if any(w in self.t_position[t] for w in
                                                      ("методист", "заместитель", "директор", "заведующ"))]
            t = rng.choice(managers or staff)
            return (self.t_fio[t], self.t_position[t], self.t_phone[t] or o["phone"],
                    self.t_email[t] or o["email"])
        return (format_fio(*self._person(rng.random() < 0.7)), "специалист", o["phone"], o["email"])

    def requests(self) -> None:
        rng, today = self.rng, self.today
        count = max(10, round(self.n / 50))
        statuses = [s.value for s in RequestStatus]
        status_pick = _Picker(rng, statuses, [15, 20, 40, 25])
        w = _Writer(self, InfoRequest)
        senders_in = self.edu_orgs + [self.main_region] * max(3, len(self.edu_orgs) // 10)
        addressees_out = self.edu_orgs + self.by_kind["regional_centre"] + self.by_kind["dpo"]
        for i in range(count):
            status = statuses[i] if i < len(statuses) else status_pick()
            direction = "outgoing" if (i % 2 if i < 4 else rng.random() < 0.45) else "incoming"
            if direction == "outgoing":
                sender, addressee = self.main_centre, rng.choice(addressees_out)
            else:
                sender, addressee = rng.choice(senders_in), self.main_centre
            term = rng.choice((5, 10, 14, 30))
            answered = None
            answer = ""
            if status in ("received", "in_work"):
                overdue = i == 0 or (i != 1 and rng.random() < 0.45)
                if overdue:
                    due = self.days_ago(1, 60)
                    sent = due - timedelta(days=term)
                else:
                    due = self.days_ahead(0, 25)
                    sent = min(due - timedelta(days=term), today)
            else:
                sent = self.days_ago(5 + term, 600)
                due = sent + timedelta(days=term)
                answered = min(sent + timedelta(days=rng.randint(1, term + 7)), today)
                answer = rng.choice(V.REQUEST_ANSWERS)
            name, position, phone, email = self._preparer(sender)
            s_org = self.orgs[sender]
            ay = sent.year if sent.month >= 9 else sent.year - 1
            template = rng.choice(V.REQUEST_SUBJECTS)
            if "{next_year}" in template:
                subject = template.format(year=ay + 1, next_year=ay + 2)
            else:
                subject = template.format(year=sent.year - 1 if sent.month < 3 else sent.year)
            number = f"{'Исх' if direction == 'outgoing' else 'Вх'}-{i + 1:04d}/{sent.year % 100:02d}"
            w.add(self.row(
                number=number, direction=direction, sender_id=s_org["id"],
                addressee_id=self.org_ids[addressee],
                reply_contact=f"{s_org['short_name']}: {s_org['email']}, тел. {s_org['phone']}",
                sent_on=sent, prepared_by_name=name, prepared_by_position=position,
                prepared_by_phone=phone, prepared_by_email=email, subject=subject,
                content=(f"В рамках сетевого взаимодействия просим представить информацию "
                         f"{subject[0].lower() + subject[1:]} в срок до {format_date(due)}."),
                due_on=due, answered_on=answered, status=status, answer=answer,
            ))
        w.flush()

    # -- network courses -------------------------------------------------------------------------
    def network_courses(self) -> None:
        rng, today = self.rng, self.today
        count = max(5, round(self.n / 250))
        schools = self.by_kind["school"]
        y0 = today.year if today.month >= 9 else today.year - 1
        cw = _Writer(self, NetworkCourse)
        ew = _Writer(self, CourseEnrolment, parents=[cw])
        forms = _Picker(rng, ["network", "distance", "mixed"], [70, 15, 15])
        for i in range(count):
            title, subject, profile = V.NETWORK_COURSES[i % len(V.NETWORK_COURSES)]
            host = rng.choice(self.course_hosts) if rng.random() < 0.7 else rng.choice(schools)
            staff = self.org_teachers.get(host, [])
            fitting = [t for t in staff if subject.lower()[:5] in self.t_subject[t].lower()]
            teacher = rng.choice(fitting or staff) if staff else None
            year = y0 if rng.random() < 0.75 else y0 - 1
            row = self.row(title=title, host_organization_id=self.org_ids[host],
                           teacher_id=self.t_id[teacher] if teacher is not None else None,
                           subject=subject, profile=profile, academic_year=f"{year}/{year + 1}",
                           hours=rng.choice((34, 68)), form=forms())
            cw.add(row)
            small = i == 0 or (i != 1 and rng.random() < 0.2)
            partners = [s for s in rng.sample(schools, min(len(schools), 1 if small else rng.randint(1, 3)))
                        if s != host]
            pupils = {host: rng.randint(2, 4) if small else rng.randint(3, 15)}
            for s in partners:
                pupils[s] = rng.randint(1, 3) if small else rng.randint(3, 15)
            if small and sum(pupils.values()) >= 10:
                pupils = {host: 4}
            if not small and sum(pupils.values()) < 10:
                pupils[host] += 10 - sum(pupils.values())
            for org, k in pupils.items():
                ew.add(self.row(course_id=row["id"], organization_id=self.org_ids[org], pupils=k))
        ew.flush()
