"""Demonstration data: course programmes, diagnostics and individual trajectories."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import bindparam, update

from app.domain.enums import COMPETENCE_LABELS, COMPETENCES, CertificationStatus, ProgrammeForm
from app.domain.names import initials
from app.domain.rules import add_years, credits_from_hours
from app.services.demo import vocabulary as V
from app.services.demo.common import HOURS_TO_DAYS, MANAGER_WORDS, PROGRAMME_HOURS, CHUNK_SIZE, Picker, Writer
from app.storage.models import Diagnostic, DiagnosticResult, Programme, Teacher, Trajectory, TrajectoryItem


class DevelopmentMixin:
    """Demonstration data: course programmes, diagnostics and individual trajectories."""

    # -- programmes ------------------------------------------------------------
    def programmes(self) -> None:
        rng = self.rng
        count = min(200, max(60, round(self.n / 500)))
        hours_pick = Picker(rng, [h for h, _ in PROGRAMME_HOURS], [w for _, w in PROGRAMME_HOURS])
        forms = [f.value for f in ProgrammeForm]
        form_pick = Picker(rng, forms, [40, 15, 35, 10])
        statuses = [c.value for c in CertificationStatus]
        status_pick = Picker(rng, statuses, [40, 15, 35, 10])
        providers = (self.by_kind["dpo"] * 3 + self.by_kind["regional_centre"] * 3
                     + self.by_kind["university"] + self.by_kind["methodical"] * 2
                     + self.by_kind["college"][:3])
        w = Writer(self, Programme)
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

    # -- diagnostics -----------------------------------------------------------------
    def diagnostics(self) -> None:
        rng, today = self.rng, self.today
        chosen = sorted(rng.sample(range(self.n), round(self.n * 0.4)))
        instruments = Picker(rng, list(V.DIAGNOSTIC_INSTRUMENTS), [40, 20, 15, 10, 15])
        dw = Writer(self, Diagnostic)
        rw = Writer(self, DiagnosticResult, parents=[dw])
        notes = ("", "", "Проведена в рамках региональной диагностики", "Повторная диагностика",
                 "Онлайн-тестирование на платформе ЦНППМ")
        self.diagnosis: dict[int, tuple[str, date, list[str]]] = {}
        for t in chosen:
            held = max(self.days_ago(10, 3 * 365), min(self.t_career[t] + timedelta(days=60), today))
            if any(w in self.t_position[t] for w in MANAGER_WORDS):
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
        tw = Writer(self, Trajectory)
        iw = Writer(self, TrajectoryItem, parents=[tw])
        kind_pick = Picker(rng, ["programme", "internship", "event", "mentoring", "self_education"],
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
            days = HOURS_TO_DAYS[p["hours"]]
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
