"""Demonstration data: teachers and mentorships."""
from __future__ import annotations

from datetime import date, timedelta

from app.domain.enums import MentorshipForm
from app.domain.names import format_fio
from app.domain.rules import add_years
from app.domain.validators import format_date
from app.services.demo import vocabulary as V
from app.services.demo.common import EXPERT_CATEGORIES, STAFF_WEIGHT, Picker, Writer, fake_snils
from app.storage.models import Mentorship, Organization, Teacher


class PeopleMixin:
    """Demonstration data: teachers and mentorships."""

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
        staffed = [i for i, k in enumerate(self.org_kind) if k in STAFF_WEIGHT]
        weights = [STAFF_WEIGHT[self.org_kind[i]] * rng.uniform(0.5, 1.5) for i in staffed]
        orgs_of = rng.choices(staffed, weights=weights, k=n)
        pickers = {kind: Picker(rng, [(p, s) for p, s, _ in rows], [w for _, _, w in rows])
                   for kind, rows in V.POSITIONS.items()}
        domain_pick = Picker(rng, [d for d, _ in V.EMAIL_DOMAINS], [w for _, w in V.EMAIL_DOMAINS])
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
        cat_young = Picker(rng, ["none", "conformity", "first"], [40, 35, 25])
        cat_senior = Picker(rng, ["none", "conformity", "first", "highest", "methodist", "mentor"],
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
                snils=fake_snils(snils_numbers[i]), email=email, phone=phone,
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
        w = Writer(self, Organization)
        for org in self.orgs:
            w.add(org)
        w.flush()
        self._org_roles()
        w = Writer(self, Teacher)
        for r in rows:
            w.add(r)
        w.flush()
        # Derived indexes for later stages.
        self.by_subject: dict[str, list[int]] = {}
        for i, subj in enumerate(self.t_subject):
            self.by_subject.setdefault(subj, []).append(i)
        self.experienced = [i for i in range(n) if (today - self.t_career[i]).days >= 3650
                            and self.t_category[i] in ("first", "highest", "methodist", "mentor")]
        self.experts = [i for i in range(n) if self.t_category[i] in EXPERT_CATEGORIES]
        self.young = [i for i in range(n) if (today - self.t_career[i]).days < 3 * 365
                      or (today - self.t_birth[i]).days < 30 * 365]
        self.methodists = [i for i in range(n) if self.org_kind[orgs_of[i]] == "methodical"]
        if not self.experienced:
            self.experienced = list(range(n))
        if not self.experts:
            self.experts = self.experienced
        if not self.young:
            self.young = list(range(n))

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
        form_pick = Picker(rng, forms, [60, 20, 10, 10])
        goals = (
            "Адаптация молодого специалиста в коллективе, освоение ФОП и рабочей программы",
            "Развитие методических компетенций: проектирование урока, формирующее оценивание",
            "Подготовка к участию в конкурсе «Педагогический дебют»",
            "Освоение воспитательной работы классного руководителя",
        )
        w = Writer(self, Mentorship)
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
