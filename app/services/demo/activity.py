"""Demonstration data: communities, events, participations, materials and reviews."""
from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from datetime import date, timedelta

from app.domain.certificate_codes import register_number
from app.domain.enums import (
    Attendance, CommunityKind, EducationLevel, EventFormat, EventKind, MaterialKind, MaterialStatus, ParticipationRole,
)
from app.domain.names import initials
from app.domain.rules import add_years
from app.services.demo import vocabulary as V
from app.services.demo.common import (
    EVENT_HOURS, EVENT_WEIGHTS, GRADES, ORG_EVENTS, SCHOOL_SUBJECTS, Picker, Writer, lower_first,
)
from sqlalchemy import select

from app.storage.models import (
    Community, CommunityMember, CriteriaSheet, Event, EventOrganizer, Material, MaterialAuthor, MaterialDecision,
    Participation, Review,
)


class ActivityMixin:
    """Demonstration data: communities, events, participations, materials and reviews."""

    # -- communities --------------------------------------------------------------
    def communities(self) -> None:
        rng, today = self.rng, self.today
        kinds = [k.value for k in CommunityKind]
        count = max(len(kinds), round(self.n / 100))
        kind_pick = Picker(rng, kinds, [40, 12, 12, 10, 8, 8, 10])
        rmo_subjects = [s for s in V.RMO_AUDIENCES if s and self.by_subject.get(s)]
        rmo_pick = Picker(rng, rmo_subjects, [len(self.by_subject[s]) for s in rmo_subjects]) \
            if rmo_subjects else None
        used: dict[str, int] = {}
        cw = Writer(self, Community)
        mw = Writer(self, CommunityMember, parents=[cw])
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
        kind_pick = Picker(rng, kinds, [EVENT_WEIGHTS[k] for k in kinds])
        forced_kinds = ["competition"] + [k for k in kinds if k != "competition"]
        rmo_communities = [c for c, k in enumerate(self.community_kind) if k == "rmo"]
        hosts = self.edu_orgs + self.by_kind["methodical"] * 5
        ew = Writer(self, Event)
        ow = Writer(self, EventOrganizer, parents=[ew])
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
            hours = float(EVENT_HOURS[kind])
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

    # -- participations -----------------------------------------------------------------
    def participations(self) -> None:
        rng = self.rng
        n_events = len(self.event_ids)
        k_pick = Picker(rng, list(range(8)), [10, 15, 20, 20, 15, 10, 6, 4])
        contest_roles = Picker(rng, ["participant", "winner", "prizewinner", "jury", "expert"],
                                [62, 8, 14, 7, 9])
        usual_roles = Picker(rng, ["participant", "speaker", "organizer", "expert"], [86, 8, 2, 4])
        attendance_pick = Picker(rng, ["present", "absent", "excused", "unknown"], [82, 7, 4, 7])
        missing_roles = [r.value for r in ParticipationRole]
        missing_attendance = [a.value for a in Attendance]
        certificates: dict[int, int] = {}
        in_first: set[int] = set()
        w = Writer(self, Participation)
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
                    # Numbered per year as the certificate register numbers them (demo_certificates).
                    year = self.event_start[e].year
                    certificates[year] = certificates.get(year, 0) + 1
                    certificate = register_number(year, certificates[year])
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
            if kind not in ORG_EVENTS:
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
        rng = self.rng
        count = max(20, round(self.n / 25))
        kinds = [k.value for k in MaterialKind]
        kind_pick = Picker(rng, kinds, [14, 12, 10, 10, 6, 12, 10, 12, 10, 4, 6, 4, 4, 6])
        statuses = [s.value for s in MaterialStatus]
        status_pick = Picker(rng, statuses, [10, 10, 15, 45, 10, 10])
        held = [e for e in range(len(self.event_ids)) if self.event_status[e] == "held"]
        mw = Writer(self, Material)
        aw = Writer(self, MaterialAuthor, parents=[mw])
        rw = Writer(self, Review, parents=[mw])
        dw = Writer(self, MaterialDecision, parents=[mw])
        self.review_sheet_id = self.s.scalar(
            select(CriteriaSheet.id).where(CriteriaSheet.is_default.is_(True), CriteriaSheet.deleted_at.is_(None)))
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
            if kind == "kim" and level in GRADES and subject in SCHOOL_SUBJECTS:
                topic = "Оценивание образовательных результатов"
                title = V.KIM_SUBJECT_TITLE.format(subject=lower_first(subject),
                                                   grade=rng.randint(*GRADES[level]))
            else:
                title = rng.choice(V.MATERIAL_TITLES[kind]).format(topic=topic)
            keywords = ", ".join(dict.fromkeys(
                k for k in (lower_first(topic.split(":")[0].strip("«» ")), lower_first(subject),
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
            reviews = self._reviews(status, submitted, set(authors))
            row["current_round"] = max((r["round"] for r in reviews), default=1)
            mw.add(row)
            for a in authors:
                aw.add(self.row(material_id=row["id"], teacher_id=self.t_id[a]))
            for review in reviews:
                review["material_id"] = row["id"]
                rw.add(review)
            for decision in self._decisions(status, reviews):
                decision["material_id"] = row["id"]
                dw.add(decision)
        aw.flush()
        rw.flush()
        dw.flush()

    def _decisions(self, status: str, reviews: list[dict]) -> list[dict]:
        """The council's decisions: one per finished round (an earlier round of an approved material: revision)."""
        out = []
        rounds = sorted({r["round"] for r in reviews})
        for round_no in rounds:
            decided = [r["decided_on"] for r in reviews if r["round"] == round_no and r["decided_on"]]
            last = round_no == rounds[-1]
            if last and status not in ("approved", "revision", "rejected"):
                continue
            if not decided:
                continue
            decision = status if last else "revision"
            out.append(self.row(material_id=None, round=round_no, decision=decision,
                                decided_on=min(max(decided) + timedelta(days=7), self.today),
                                decided_by="Методический совет", comment="",
                                protocol_number=f"{round_no}-{self.rng.randint(1, 12)}"))
        return out

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
                decision=decision, decided_on=decided, sheet_id=self.review_sheet_id,
            ))
        return out
