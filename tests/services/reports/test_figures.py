"""Every figure of every report against an independent count on the same database."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest

from app.export.report_files import save_report
from app.services.reports import ReportParams
from tests.services.reports.conftest import DAY, START
from tests.services.reports.readback import column, read_xlsx

PERIOD = ReportParams(date_from=START, date_to=DAY)
ON_DAY = ReportParams(date_to=DAY)


def _d(text):
    return date.fromisoformat(text) if text else None


def _plus_years(d: date, n: int) -> date:
    return d.replace(year=d.year + n)


def _save(db, tmp_path, name, params, **kw):
    return read_xlsx(save_report(db, name, params, tmp_path / f"{name}.xlsx"), **kw)


def _teachers(sql):
    return sql.execute("SELECT t.id, t.last_name, t.organization_id, t.last_pd_on, t.career_start, t.hired_on, "
                       "t.birth_date, t.snils, coalesce(nullif(o.short_name, ''), o.full_name) "
                       "FROM teacher t LEFT JOIN organization o ON o.id = t.organization_id "
                       "WHERE t.deleted_at IS NULL").fetchall()


def test_pk_coverage_counts_each_organisation(db, network, sql, tmp_path):
    sheet = _save(db, tmp_path, "pk-coverage", ON_DAY)
    warn_end = date(2026, 12, 31)
    expected = defaultdict(Counter)
    for _id, _last, _org, last_pd, career, hired, _b, _s, org_name in _teachers(sql):
        row = expected[org_name or "Без организации"]
        row["n"] += 1
        base = _d(last_pd) or _d(career) or _d(hired)
        if base is None:
            row["unknown"] += 1
            continue
        due = _plus_years(base, 3)
        row["covered"] += bool(last_pd) and due >= DAY
        row["overdue"] += due < DAY
        row["soon"] += DAY <= due <= warn_end
    got = {r[0]: r for r in sheet.rows}
    assert set(got) == set(expected)
    for name, c in expected.items():
        assert got[name][1:6] == [c["n"], c["covered"], c["soon"], c["overdue"], c["unknown"]], name
        assert got[name][6] == pytest.approx(c["covered"] / c["n"], abs=1e-4)
    n = sum(c["n"] for c in expected.values())
    covered = sum(c["covered"] for c in expected.values())
    assert sheet.totals[:3] == ["Итого", n, covered]
    assert sheet.totals[6] == pytest.approx(covered / n, abs=1e-4)


def test_pk_coverage_for_one_municipality_only_lists_its_organisations(db, network, sql, tmp_path):
    sheet = _save(db, tmp_path, "pk-coverage", ReportParams(date_to=DAY, municipality="A"))
    names = {r[0] for r in sql.execute(
        "SELECT coalesce(nullif(o.short_name, ''), o.full_name) FROM organization o JOIN teacher t "
        "ON t.organization_id = o.id WHERE o.origin = 'A' AND o.deleted_at IS NULL AND t.deleted_at IS NULL")}
    assert {r[0] for r in sheet.rows} == names
    assert "Муниципальное образование: Город А" in sheet.lines


def test_pk_due_lists_the_overdue_and_soon_due_with_masked_snils(db, network, sql, tmp_path):
    sheet = _save(db, tmp_path, "pk-due", ON_DAY)
    warn_end = date(2026, 12, 31)
    expected = {}
    for _id, last, _org, last_pd, career, hired, _b, snils, _o in _teachers(sql):
        base = _d(last_pd) or _d(career) or _d(hired)
        if base is not None and _plus_years(base, 3) <= warn_end:
            expected[f"{last} Анна Петровна"] = (_plus_years(base, 3), snils)
    assert sorted(column(sheet, "ФИО")) == sorted(expected)
    for r in sheet.rows:
        due, snils = expected[r[1]]
        assert r[6].date() == due
        assert r[7] == (due - DAY).days
        assert r[2] == ("***-***-" + snils[8:] if snils else None)
    overdue = sum(1 for due, _ in expected.values() if due < DAY)
    assert sheet.totals[0] == f"Итого педагогов: {len(expected)}"
    assert sheet.totals[1] == f"из них срок прошёл: {overdue}"


def test_pk_due_unmasked_shows_the_whole_snils(db, network, tmp_path):
    sheet = _save(db, tmp_path, "pk-due", ReportParams(date_to=DAY, unmasked=True))
    assert "123-456-789 64" in column(sheet, "СНИЛС")
    assert "Персональные данные показаны полностью" in sheet.lines


def test_pk_credits_sums_per_teacher_and_year(db, network, sql, tmp_path):
    sheet = _save(db, tmp_path, "pk-credits", PERIOD)
    expected = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for last, end, hours, credits in sql.execute(
            "SELECT t.last_name, i.actual_end, i.hours, i.credits FROM trajectory_item i "
            "JOIN trajectory r ON r.id = i.trajectory_id JOIN teacher t ON t.id = r.teacher_id "
            "WHERE i.status = 'completed' AND i.deleted_at IS NULL AND r.deleted_at IS NULL "
            "AND t.deleted_at IS NULL AND i.actual_end BETWEEN ? AND ?", (str(START), str(DAY))):
        key = (f"{last} Анна Петровна", int(end[:4]))
        if not credits:
            credits = (Decimal(str(hours)) / 36).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        expected[key][0] += 1
        expected[key][1] += Decimal(str(hours))
        expected[key][2] += Decimal(str(credits))
    got = {(r[1], r[3]): [r[4], Decimal(str(r[5])), Decimal(str(r[6]))] for r in sheet.rows}
    assert got == dict(expected)
    assert sheet.totals[4] == sum(v[0] for v in expected.values())
    assert Decimal(str(sheet.totals[6])) == sum(v[2] for v in expected.values())


def test_events_count_present_teachers_and_organisations(db, network, sql, tmp_path):
    sheet = _save(db, tmp_path, "events", PERIOD)
    events = sql.execute("SELECT id, title FROM event WHERE deleted_at IS NULL AND starts_on BETWEEN ? AND ?",
                         (str(START), str(DAY))).fetchall()
    assert sorted(column(sheet, "Мероприятие")) == sorted(t for _, t in events)
    by_title = {r[2]: r for r in sheet.rows}
    for event_id, title in events:
        teachers = sql.execute(
            "SELECT count(DISTINCT p.teacher_id) FROM participation p JOIN teacher t ON t.id = p.teacher_id "
            "WHERE p.event_id = ? AND p.deleted_at IS NULL AND p.attendance != 'absent' AND t.deleted_at IS NULL",
            (event_id,)).fetchone()[0]
        orgs = sql.execute(
            "SELECT count(DISTINCT coalesce(p.organization_id, t.organization_id)) FROM participation p "
            "LEFT JOIN teacher t ON t.id = p.teacher_id WHERE p.event_id = ? AND p.deleted_at IS NULL "
            "AND p.attendance != 'absent'", (event_id,)).fetchone()[0]
        assert by_title[title][5:7] == [teachers, orgs], title
    assert sheet.totals[5] == sum(r[5] for r in sheet.rows)
    # Grouped by kind: all seminars before the webinar.
    assert column(sheet, "Вид") == sorted(column(sheet, "Вид"), key=lambda k: k != "Семинар")


def test_materials_count_reviews_by_decision(db, network, sql, tmp_path):
    sheet = _save(db, tmp_path, "materials", PERIOD)
    rows = {r[0]: r for r in sheet.rows}
    found = sql.execute("SELECT id, title FROM material WHERE deleted_at IS NULL AND submitted_on BETWEEN ? AND ?",
                        (str(START), str(DAY))).fetchall()
    assert set(rows) == {t for _, t in found}
    for mid, title in found:
        decisions = Counter(d for (d,) in sql.execute("SELECT decision FROM review WHERE material_id = ? "
                                                      "AND deleted_at IS NULL", (mid,)))
        scores = [x for (x,) in sql.execute("SELECT total_score FROM review WHERE material_id = ? "
                                            "AND total_score IS NOT NULL", (mid,))]
        assert rows[title][6:11] == [sum(decisions.values()), decisions["approved"], decisions["revision"],
                                     decisions["rejected"], decisions["pending"]]
        assert rows[title][11] == (pytest.approx(sum(scores) / len(scores)) if scores else None)
    assert rows["Рекомендации"][3] == "Охватова А. П., Скорова А. П."


def test_young_teachers_and_their_mentors(db, network, sql, tmp_path):
    sheet = _save(db, tmp_path, "young", ON_DAY)
    young = set()
    for _id, last, _o, _pd, career, _h, birth, _s, _on in _teachers(sql):
        by_age = birth and _plus_years(_d(birth), 35) > DAY
        by_work = career and _plus_years(_d(career), 3) > DAY
        if by_age or by_work:
            young.add(f"{last} Анна Петровна")
    assert set(column(sheet, "ФИО")) == young
    mentored = {f"{last} Анна Петровна" for (last,) in sql.execute(
        "SELECT t.last_name FROM mentorship m JOIN teacher t ON t.id = m.mentee_id WHERE m.deleted_at IS NULL "
        "AND m.starts_on <= ? AND (m.ends_on IS NULL OR m.ends_on >= ?)", (str(DAY), str(DAY)))}
    with_mentor = {r[1] for r in sheet.rows if r[6] != "нет"}
    assert with_mentor == mentored & young
    assert sheet.totals[0] == f"Итого молодых педагогов: {len(young)}"
    assert sheet.totals[6] == f"с наставником: {len(with_mentor)}, без наставника: {len(young) - len(with_mentor)}"


def test_agreements_register_on_a_day(db, network, sql, tmp_path):
    sheet = _save(db, tmp_path, "agreements", ON_DAY)
    signed = sql.execute("SELECT number FROM agreement WHERE deleted_at IS NULL AND signed_on <= ?",
                         (str(DAY),)).fetchall()
    assert sorted(column(sheet, "Номер")) == sorted(n for (n,) in signed)
    in_force = sql.execute("SELECT count(*) FROM agreement WHERE deleted_at IS NULL AND signed_on <= ? "
                           "AND status = 'active' AND (valid_from IS NULL OR valid_from <= ?) "
                           "AND (valid_to IS NULL OR valid_to >= ?)", (str(DAY), str(DAY), str(DAY))).fetchone()[0]
    assert column(sheet, "На дату отчёта").count("действует") == in_force
    assert sheet.totals[3] == f"действуют на 30.06.2026: {in_force}"
    parties = {r[0]: r[3] for r in sheet.rows}
    assert parties["1/2025"] == "Детский сад № 3; Школа № 1"


def test_agreements_of_one_organisation(db, network, tmp_path):
    sheet = _save(db, tmp_path, "agreements", ReportParams(date_to=DAY, organization_id=network["s1"]))
    assert column(sheet, "Номер") == ["1/2025"]


def test_requests_log_with_lateness_and_masked_contacts(db, network, sql, tmp_path):
    sheet = _save(db, tmp_path, "requests", PERIOD)
    found = sql.execute("SELECT number, due_on, answered_on FROM info_request WHERE deleted_at IS NULL "
                        "AND sent_on BETWEEN ? AND ?", (str(START), str(DAY))).fetchall()
    assert sorted(column(sheet, "Номер")) == sorted(n for n, *_ in found)
    late = {}
    for number, due, answered in found:
        days = ((_d(answered) or DAY) - _d(due)).days
        late[number] = days if days > 0 else None
    assert {r[0]: r[12] for r in sheet.rows} == late
    assert set(column(sheet, "Телефон")) == {"+7 (***) ***-**-89"}
    assert set(column(sheet, "E-mail")) == {"i***@school.ru"}
    assert sheet.totals[5] == f"с нарушением срока: {sum(1 for v in late.values() if v)}"


def test_participants_register_numbers_the_members_on_the_day(db, network, sql, tmp_path):
    sheet = _save(db, tmp_path, "participants", ON_DAY)
    members = sql.execute("SELECT full_name FROM organization WHERE deleted_at IS NULL "
                          "AND (joined_on IS NULL OR joined_on <= ?) AND (left_on IS NULL OR left_on > ?)",
                          (str(DAY), str(DAY))).fetchall()
    assert sorted(column(sheet, "Полное наименование")) == sorted(n for (n,) in members)
    assert column(sheet, "№ п/п") == list(range(1, len(members) + 1))
    roles = dict(zip(column(sheet, "Полное наименование"), column(sheet, "Роль в сети")))
    assert roles["Школа № 1 полное"] == "Ресурсный центр"
    assert roles["Детский сад № 3"] is None        # its role ended before the day
    assert sheet.totals[1] == f"Итого участников: {len(members)}"


def test_communities_activity_in_the_period(db, network, sql, tmp_path):
    sheet = _save(db, tmp_path, "communities", PERIOD)
    assert column(sheet, "Сообщество") == ["РМО учителей"]
    cid = network["c1"]
    (teachers,) = sql.execute("SELECT count(DISTINCT m.teacher_id) FROM community_member m JOIN teacher t "
                              "ON t.id = m.teacher_id WHERE m.community_id = ? AND m.deleted_at IS NULL",
                              (cid,)).fetchone()
    (events,) = sql.execute("SELECT count(*) FROM event WHERE community_id = ? AND deleted_at IS NULL "
                            "AND starts_on BETWEEN ? AND ?", (cid, str(START), str(DAY))).fetchone()
    (takes,) = sql.execute("SELECT count(*) FROM participation p JOIN event e ON e.id = p.event_id "
                           "WHERE e.community_id = ? AND e.deleted_at IS NULL AND p.deleted_at IS NULL "
                           "AND p.attendance != 'absent' AND e.starts_on BETWEEN ? AND ?",
                           (cid, str(START), str(DAY))).fetchone()
    (materials,) = sql.execute("SELECT count(*) FROM material WHERE community_id = ? AND deleted_at IS NULL "
                               "AND submitted_on BETWEEN ? AND ?", (cid, str(START), str(DAY))).fetchone()
    row = sheet.rows[0]
    assert row[7:12] == [teachers, 1, events, takes, materials]
    assert row[4] == "№ 12-р от 20.08.2024"
    assert row[2] == "Наставникова Анна Петровна"


def test_efficiency_compares_with_the_previous_period_of_the_same_length(db, network, sql, tmp_path):
    sheet = _save(db, tmp_path, "efficiency", PERIOD)
    up = sum(1 for r in sheet.rows if r[5] is not None and r[5] > 0)
    down = sum(1 for r in sheet.rows if r[5] is not None and r[5] < 0)
    assert sheet.totals[0] == f"Итого показателей: {len(sheet.rows)}"
    assert sheet.totals[1].startswith(f"выросли: {up}, снизились: {down}")
    length = (DAY - START).days + 1
    prev_end = date.fromordinal(START.toordinal() - 1)
    prev_start = date.fromordinal(START.toordinal() - length)
    assert sheet.lines[0] == (f"За период с 01.01.2026 по 30.06.2026; предыдущий период — "
                              f"с {prev_start:%d.%m.%Y} по {prev_end:%d.%m.%Y}")
    rows = {r[1]: r for r in sheet.rows}

    def events(a, b):
        return sql.execute("SELECT count(*) FROM event WHERE deleted_at IS NULL AND status != 'cancelled' "
                           "AND starts_on BETWEEN ? AND ?", (str(a), str(b))).fetchone()[0]

    def takes(a, b):
        return sql.execute("SELECT count(*), count(DISTINCT p.teacher_id) FROM participation p "
                           "JOIN event e ON e.id = p.event_id JOIN teacher t ON t.id = p.teacher_id "
                           "WHERE e.deleted_at IS NULL AND e.status != 'cancelled' AND p.deleted_at IS NULL "
                           "AND t.deleted_at IS NULL AND p.attendance != 'absent' AND e.starts_on BETWEEN ? AND ?",
                           (str(a), str(b))).fetchone()

    now, before = events(START, DAY), events(prev_start, prev_end)
    assert rows["Сетевых мероприятий (кроме отменённых)"][3:6] == [now, before, now - before]
    assert rows["Сетевых мероприятий (кроме отменённых)"][6] == pytest.approx((now - before) / before)
    n_takes, n_people = takes(START, DAY)
    assert rows["Участий педагогов в мероприятиях"][3] == n_takes
    assert rows["Педагогов — участников мероприятий"][3] == n_people
    (approved,) = sql.execute("SELECT count(DISTINCT material_id) FROM review WHERE decision = 'approved' "
                              "AND decided_on BETWEEN ? AND ?", (str(START), str(DAY))).fetchone()
    assert rows["Материалов, одобренных экспертизой"][3] == approved
    requests = sql.execute("SELECT due_on, answered_on FROM info_request WHERE sent_on BETWEEN ? AND ?",
                           (str(START), str(DAY))).fetchall()
    on_time = sum(1 for due, answered in requests if answered and answered <= due)
    assert rows["Запросов, исполненных в срок"][3] == pytest.approx(round(100 * on_time / len(requests), 1))
    # The states on the last day agree with the registers.
    register = _save(db, tmp_path, "participants", ON_DAY)
    assert rows["Организаций — участников сети (на конец периода)"][3] == len(register.rows)
    assert isinstance(sheet.lines[-1], str) and sheet.lines[-1].startswith("Сформировано: ")
    assert datetime.strptime(sheet.lines[-1].split(": ")[1], "%d.%m.%Y %H:%M")


def test_efficiency_remaining_indicators_against_the_database(db, network, sql, tmp_path):
    sheet = _save(db, tmp_path, "efficiency", PERIOD)
    rows = {r[1]: r[3] for r in sheet.rows}
    items = sql.execute(
        "SELECT r.teacher_id, i.kind, i.formality, i.hours, i.credits FROM trajectory_item i "
        "JOIN trajectory r ON r.id = i.trajectory_id JOIN teacher t ON t.id = r.teacher_id "
        "WHERE i.status = 'completed' AND i.deleted_at IS NULL AND r.deleted_at IS NULL AND t.deleted_at IS NULL "
        "AND i.actual_end BETWEEN ? AND ?", (str(START), str(DAY))).fetchall()
    credits = sum(Decimal(str(c)) if c else (Decimal(str(h)) / 36).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                  for *_, h, c in items)
    assert Decimal(str(rows["Зачётных единиц за выполненные элементы маршрутов"])) == credits
    trained = {t for t, kind, formality, *_ in items if kind == "programme" and formality == "formal"}
    assert rows["Педагогов, завершивших курсы повышения квалификации"] == len(trained)
    (submitted,) = sql.execute("SELECT count(*) FROM material WHERE deleted_at IS NULL AND submitted_on "
                               "BETWEEN ? AND ?", (str(START), str(DAY))).fetchone()
    assert rows["Подано методических материалов"] == submitted
    (roles,) = sql.execute("SELECT count(DISTINCT organization_id) FROM organization_role WHERE deleted_at IS NULL "
                           "AND (since IS NULL OR since <= ?) AND (until IS NULL OR until >= ?)",
                           (str(DAY), str(DAY))).fetchone()
    assert rows["Организаций с ролью в сети (ресурсный центр, площадка …)"] == roles
    (communities,) = sql.execute("SELECT count(*) FROM community WHERE deleted_at IS NULL AND (starts_on IS NULL "
                                 "OR starts_on <= ?) AND (ends_on IS NULL OR ends_on >= ?)",
                                 (str(DAY), str(DAY))).fetchone()
    assert rows["Действующих сообществ (на конец периода)"] == communities
    (in_force,) = sql.execute("SELECT count(*) FROM agreement WHERE deleted_at IS NULL AND signed_on <= ? "
                              "AND status = 'active' AND (valid_from IS NULL OR valid_from <= ?) "
                              "AND (valid_to IS NULL OR valid_to >= ?)", (str(DAY), str(DAY), str(DAY))).fetchone()
    assert rows["Действующих договоров (на конец периода)"] == in_force
    teachers = _teachers(sql)
    covered = sum(1 for t in teachers if t[3] and _plus_years(_d(t[3]), 3) >= DAY)
    assert rows["Охват повышением квалификации за три года (на конец периода)"] == pytest.approx(
        round(100 * covered / len(teachers), 1))
