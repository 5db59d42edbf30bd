"""Demonstration data: settings, organisations, agreements, information requests and network courses."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Sequence

from sqlalchemy import select

from app.domain.enums import AgreementKind, AgreementStatus, RequestStatus
from app.domain.names import format_fio
from app.domain.rules import add_years
from app.domain.validators import format_date
from app.services.demo import vocabulary as V
from app.services.demo.common import PARTNERS, Picker, Writer, fake_inn10, fake_ogrn13
from app.storage.models import (
    Agreement, AgreementParty, AppMeta, CourseEnrolment, InfoRequest, Municipality, NetworkCourse, OrganizationRole,
)


class NetworkMixin:
    """Demonstration data: settings, organisations, agreements, information requests and network courses."""

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
        for kind in PARTNERS:
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
                 "school", "kindergarten") + PARTNERS
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
                tax = V.TAX_OFFICE if municipal or kind in PARTNERS else "5018"
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
                    inn=fake_inn10(f"{tax}{inn_serials[idx]:05d}"), kpp=f"{tax}01001",
                    ogrn=fake_ogrn13(f"1{yy:02d}50{tax[2:]}{ogrn_serials[idx]:05d}"),
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
        self.partner_orgs = [i for k in PARTNERS for i in self.by_kind[k]]
        # Organisations are inserted with the teachers: head_name comes from them.

    def _org_roles(self) -> None:
        rng = self.rng
        w = Writer(self, OrganizationRole)
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
            if kind in PARTNERS or kind in ("methodical", "regional_centre", "university"):
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

    # -- agreements ------------------------------------------------------------------------
    def agreements(self) -> None:
        rng, today = self.rng, self.today
        count = len(self.orgs)
        kinds = [k.value for k in AgreementKind]
        kind_pick = Picker(rng, kinds, [50, 25, 25])
        statuses = [s.value for s in AgreementStatus]
        status_pick = Picker(rng, statuses, [12, 55, 20, 13])
        schools = self.by_kind["school"]
        aw = Writer(self, Agreement)
        pw = Writer(self, AgreementParty, parents=[aw])
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
        status_pick = Picker(rng, statuses, [15, 20, 40, 25])
        w = Writer(self, InfoRequest)
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
        cw = Writer(self, NetworkCourse)
        ew = Writer(self, CourseEnrolment, parents=[cw])
        forms = Picker(rng, ["network", "distance", "mixed"], [70, 15, 15])
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
            row["pupils_total"] = sum(pupils.values())
            cw.add(row)
            for org, k in pupils.items():
                ew.add(self.row(course_id=row["id"], organization_id=self.org_ids[org], pupils=k))
        ew.flush()
