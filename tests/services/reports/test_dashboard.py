"""The dashboard and «На контроле» figures: against a hand count on a fixed day, and against independent counts
(the list filters the figures open, a Python pass of the three-year rule, the PD reports) on the real today."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.domain import rules
from app.services.reports.attention import ITEMS_PER_GROUP, attention_groups, urgent_count
from app.services.reports.dashboard import (
    compute_dashboard, event_month_bars, figures, material_status_bars, overdue_organization_bars, pd_status_bars,
)
from app.services.development.pd_terms import coverage_by_organization, coverage_total, young_without_mentor
from tests.services.reports.dashboard_data import EXPECTED, build

FIXED_DAY = date(2026, 6, 15)


@pytest.fixture
def fixed(records):
    return build(records, FIXED_DAY)


def test_figures_on_a_fixed_day_match_the_hand_count(db, fixed):
    d = compute_dashboard(db, FIXED_DAY)
    assert d.teachers == EXPECTED["teachers"] and d.organizations == EXPECTED["organizations"]
    assert d.covered == EXPECTED["covered"] and d.coverage_percent == EXPECTED["coverage_percent"]
    assert d.pd_counts == EXPECTED["pd"]
    assert [(o.organization, o.overdue) for o in d.overdue_by_organization] == EXPECTED["overdue_by_org"]
    assert d.young_without_mentor == EXPECTED["young_without_mentor"]
    assert d.events_this_year == EXPECTED["events_this_year"]
    assert d.events_by_month[1] == {"planned": 1, "held": 1, "cancelled": 0}
    assert d.events_by_month[4] == {"planned": 0, "held": 0, "cancelled": 1}
    assert sum(sum(m.values()) for i, m in enumerate(d.events_by_month) if i not in (1, 4)) == 0
    assert d.materials_by_status == EXPECTED["materials"]
    shown = {f.key: f.text for f in figures(d)}
    assert shown["coverage"] == "37,5\u00a0%" and shown["overdue"] == "3" and shown["events"] == "3"


def test_attention_on_a_fixed_day_names_the_records_before_their_dates(db, fixed):
    groups = {g.key: g for g in attention_groups(db, FIXED_DAY)}
    for key in ("requests_overdue", "requests_soon", "reviews_overdue", "reviews_soon", "agreements_expiring"):
        assert groups[key].count == EXPECTED[key], key
    assert groups["pd_due_soon"].count == EXPECTED["pd"]["due_soon"]
    assert groups["young_without_mentor"].count == EXPECTED["young_without_mentor"]
    ids = fixed.ids
    # Most urgent first; each line leads to its record in the filtered list.
    assert [i.record_id for i in groups["reviews_soon"].items] == [ids["r6"], ids["r2"], ids["r5"]]
    assert [i.when for i in groups["reviews_soon"].items] == [
        "15.06.2026 — сегодня", "20.06.2026 — через 5 дней", "22.06.2026 — через 7 дней"]
    assert [i.record_id for i in groups["agreements_expiring"].items] == [ids["a1"], ids["a2"]]
    assert groups["agreements_expiring"].items[0].text == "№ 1/С — Соглашение 1/С"
    assert groups["requests_overdue"].items[0].when == "13.06.2026 — просрочено на 2 дня"
    item = groups["requests_soon"].items[1]
    assert item.record_id == ids["q3"]
    assert item.target.entity == "requests" and item.target.filter_dict() == {"deadline": "soon"}
    assert item.target.record_id == ids["q3"]
    # Alarms (past dates) come before what is merely near.
    keys = [g.key for g in attention_groups(db, FIXED_DAY)]
    assert keys[:2] == ["requests_overdue", "reviews_overdue"] and keys[-2:] == ["pd_due_soon", "young_without_mentor"]
    assert urgent_count(list(groups.values())) > 0


def test_attention_is_empty_and_calm_on_an_empty_base(db):
    groups = attention_groups(db, FIXED_DAY)
    assert groups == [] and urgent_count(groups) == 0
    d = compute_dashboard(db, FIXED_DAY)
    assert d.teachers == 0 and d.coverage_percent == 0.0 and d.attention == []


def test_a_long_group_names_only_the_first_records(db, records):
    build(records, FIXED_DAY)
    for n in range(ITEMS_PER_GROUP + 2):
        records.create("agreements", {"number": f"9{n}/С", "kind": "agreement", "subject": "Ещё одно",
                                      "valid_to": FIXED_DAY + timedelta(days=n + 1), "status": "active"})
    group = next(g for g in attention_groups(db, FIXED_DAY) if g.key == "agreements_expiring")
    assert group.count == EXPECTED["agreements_expiring"] + ITEMS_PER_GROUP + 2
    assert len(group.items) == ITEMS_PER_GROUP and group.more == group.count - ITEMS_PER_GROUP
    assert [i.days_left for i in group.items] == [1, 2, 3, 4, 5]


# -- independent counts on the real today (the list filters count from date.today()) ------------

@pytest.fixture
def current(records):
    return build(records, date.today())


def test_every_figure_and_bar_opens_exactly_its_records(db, records, current):
    d = compute_dashboard(db)
    targets = [(f.key, f.value, f.target) for f in figures(d) if f.target.entity]
    bars = pd_status_bars(d) + material_status_bars(d) + overdue_organization_bars(d)
    bars += [b for month_bars in event_month_bars(d).values() for b in month_bars]
    targets += [(b.label, b.value, b.target) for b in bars]
    assert len(targets) > 30
    for what, value, target in targets:
        assert records.count(target.entity, filters=target.filter_dict()) == value, what
    for group in d.attention:
        if group.target.entity:
            assert records.count(group.target.entity, filters=group.target.filter_dict()) == group.count, group.key


def test_pd_figures_agree_with_the_rule_applied_teacher_by_teacher(db, records, current):
    today = date.today()
    d = compute_dashboard(db, today)
    by_rule = {"ok": 0, "due_soon": 0, "overdue": 0, "unknown": 0}
    for row in records.list("teachers").rows:
        full = records.get("teachers", row["id"])
        due = rules.next_pd_due(full["last_pd_on"], full["career_start"] or full["hired_on"])
        by_rule[rules.pd_status(due, today).value] += 1
    assert d.pd_counts == by_rule
    total = coverage_total(coverage_by_organization(db, today, warn_months=6))
    assert (d.teachers, d.covered, d.coverage_percent) == (total.teachers, total.covered, total.percent_covered)
    assert d.young_without_mentor == len(young_without_mentor(db, today))
