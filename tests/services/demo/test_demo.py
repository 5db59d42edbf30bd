"""The demo-data generator: complete, valid, deterministic, one transaction."""
from __future__ import annotations

import json
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select, text

from app.domain import enums
from app.domain.names import search_key
from app.domain.rules import add_years, credits_from_hours
from app.domain.validators import (
    is_valid_snils,
    normalize_email,
    normalize_inn,
    normalize_kpp,
    normalize_ogrn,
    normalize_phone,
)
from app.services.demo.generator import DemoCancelled, DemoResult, generate_demo
from app.storage.base import Base, Searchable, Synced
from app.storage.database import Database, row_search_key
from app.storage.migrate import upgrade_database
from app.storage.models import AppMeta, AuditLog, Municipality, Organization, Teacher

N = 300
CODE = "46-231"

# Attachments need the file store; the exchange's bookkeeping stays empty until packages travel;
# accounts are made by the `demo` command after the generator (accounts.create_demo_accounts).
TABLES_LEFT_EMPTY = {"material_file", "event_file", "sync_partner", "sync_package", "sync_identity", "sync_aggregate",
                     "account"}
# Rows every database starts with (migration 0008: the default criteria sheet), not made by the generator.
TABLES_SEEDED_BY_MIGRATION = {"criteria_sheet", "review_criterion"}

ENUM_COLUMNS = {
    ("organization", "kind"): enums.OrganizationKind,
    ("organization_role", "role"): enums.NetworkRole,
    ("teacher", "qualification_category"): enums.QualificationCategory,
    ("programme", "form"): enums.ProgrammeForm,
    ("programme", "certification_status"): enums.CertificationStatus,
    ("trajectory", "status"): enums.TrajectoryStatus,
    ("trajectory_item", "kind"): enums.ItemKind,
    ("trajectory_item", "formality"): enums.Formality,
    ("trajectory_item", "status"): enums.ItemStatus,
    ("mentorship", "form"): enums.MentorshipForm,
    ("community", "kind"): enums.CommunityKind,
    ("community_member", "role"): enums.CommunityRole,
    ("event", "kind"): enums.EventKind,
    ("event", "format"): enums.EventFormat,
    ("event", "status"): enums.EventStatus,
    ("participation", "role"): enums.ParticipationRole,
    ("participation", "attendance"): enums.Attendance,
    ("material", "kind"): enums.MaterialKind,
    ("material", "level"): enums.EducationLevel,
    ("material", "status"): enums.MaterialStatus,
    ("review", "decision"): enums.ReviewDecision,
    ("agreement", "kind"): enums.AgreementKind,
    ("agreement", "status"): enums.AgreementStatus,
    ("info_request", "direction"): enums.RequestDirection,
    ("info_request", "status"): enums.RequestStatus,
    ("network_course", "form"): enums.ProgrammeForm,
}

# Vocabularies of which the generator guarantees every value, whatever the seed.
COMPLETE_COLUMNS = [
    ("organization", "kind"), ("organization_role", "role"), ("programme", "form"),
    ("programme", "certification_status"), ("trajectory_item", "kind"),
    ("trajectory_item", "formality"), ("trajectory_item", "status"), ("mentorship", "form"),
    ("community", "kind"), ("community_member", "role"), ("event", "kind"), ("event", "status"),
    ("participation", "role"), ("participation", "attendance"), ("material", "kind"),
    ("material", "status"), ("review", "decision"), ("agreement", "kind"),
    ("agreement", "status"), ("info_request", "direction"), ("info_request", "status"),
]


def _new_db(path) -> Database:
    db = Database("sqlite:///" + str(path))
    upgrade_database(db)
    return db


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db = _new_db(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    calls: list[tuple[float, str]] = []
    result = generate_demo(db, N, seed=7, progress=lambda f, m: calls.append((f, m)))
    yield db, result, calls
    db.dispose()


def _rows(db: Database, sql: str, **params) -> list[tuple]:
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def _scalar(db: Database, sql: str, **params):
    with db.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def _teacher_identity(db: Database) -> list[tuple]:
    return _rows(db, "SELECT id, snils, last_name, first_name, middle_name, birth_date, email, "
                     "organization_id, last_pd_on FROM teacher ORDER BY id")


# ---------------------------------------------------------------- completeness


def test_every_table_is_filled_and_counts_are_reported(demo):
    db, result, _ = demo
    assert isinstance(result, DemoResult)
    assert result.seconds > 0
    for table in Base.metadata.sorted_tables:
        count = _scalar(db, f"SELECT count(*) FROM {table.name}")
        if table.name in TABLES_LEFT_EMPTY:
            continue
        assert count > 0, f"таблица {table.name} пуста"
        if table.name in result.counts:
            assert result.counts[table.name] == count, table.name
    assert result.counts["teacher"] == N


def test_proportions_follow_the_number_of_teachers(demo):
    db, result, _ = demo
    c = result.counts
    assert c["organization"] >= 20
    assert c["event"] >= 30
    assert c["community"] >= 5
    assert c["info_request"] >= 10
    assert c["network_course"] >= 5
    assert 60 <= c["programme"] <= 200
    assert 0.35 * N <= c["diagnostic"] <= 0.45 * N
    assert 0.5 * N <= c["trajectory"] <= 0.7 * N
    assert 2 * N <= c["participation"] <= 4.5 * N
    assert 2 * c["trajectory"] <= c["trajectory_item"] <= 5 * c["trajectory"]


@pytest.mark.parametrize("table, column", COMPLETE_COLUMNS)
def test_every_value_of_the_vocabulary_occurs(demo, table, column):
    db, _, _ = demo
    present = {r[0] for r in _rows(db, f"SELECT DISTINCT {column} FROM {table}")}
    assert present == {m.value for m in ENUM_COLUMNS[(table, column)]}


@pytest.mark.parametrize("table, column", sorted(ENUM_COLUMNS))
def test_enum_columns_hold_only_known_codes(demo, table, column):
    db, _, _ = demo
    present = {r[0] for r in _rows(db, f"SELECT DISTINCT {column} FROM {table}")}
    assert present <= {m.value for m in ENUM_COLUMNS[(table, column)]}


def test_competence_codes_are_known(demo):
    db, _, _ = demo
    known = {code for code, _ in enums.COMPETENCES}
    assert {r[0] for r in _rows(db, "SELECT DISTINCT competence FROM diagnostic_result")} <= known
    for (codes,) in _rows(db, "SELECT competences FROM programme UNION SELECT deficits FROM trajectory"):
        assert set(filter(None, codes.split(","))) <= known


# ---------------------------------------------------------------- determinism


def test_same_seed_gives_the_same_data(tmp_path):
    a = _new_db(tmp_path / "a.sqlite")
    b = _new_db(tmp_path / "b.sqlite")
    c = _new_db(tmp_path / "c.sqlite")
    try:
        ra = generate_demo(a, 150, seed=3)
        rb = generate_demo(b, 150, seed=3)
        generate_demo(c, 150, seed=4)
        assert ra.counts == rb.counts
        assert _teacher_identity(a) == _teacher_identity(b)
        orgs = "SELECT id, full_name, inn, ogrn, address FROM organization ORDER BY id"
        assert _rows(a, orgs) == _rows(b, orgs)
        items = "SELECT id, kind, status, actual_end, document_number FROM trajectory_item ORDER BY id"
        assert _rows(a, items) == _rows(b, items)
        assert _teacher_identity(a) != _teacher_identity(c)
        snils_a = {r[1] for r in _teacher_identity(a)}
        snils_c = {r[1] for r in _teacher_identity(c)}
        assert snils_a != snils_c
    finally:
        for db in (a, b, c):
            db.dispose()


# ---------------------------------------------------------------- identifiers and contacts


def test_snils_valid_canonical_and_unique(demo):
    db, _, _ = demo
    values = [r[0] for r in _rows(db, "SELECT snils FROM teacher")]
    assert len(values) == N and None not in values
    assert all(is_valid_snils(v) for v in values)
    assert all(len(v) == 14 and v[3] == v[7] == "-" and v[11] == " " for v in values)
    assert len(set(values)) == N


def test_organisation_requisites_are_valid(demo):
    db, _, _ = demo
    rows = _rows(db, "SELECT inn, ogrn, kpp, phone, email FROM organization")
    for inn, ogrn, kpp, phone, email in rows:
        assert normalize_inn(inn) == inn and len(inn) == 10
        assert normalize_ogrn(ogrn) == ogrn and len(ogrn) == 13
        assert normalize_kpp(kpp) == kpp
        assert normalize_phone(phone) == phone
        assert normalize_email(email) == email
    assert len({r[0] for r in rows}) == len(rows)


def test_teacher_contacts_are_canonical(demo):
    db, _, _ = demo
    rows = _rows(db, "SELECT email, phone, consent_on FROM teacher")
    emails = [e for e, _, _ in rows if e]
    phones = [p for _, p, _ in rows if p]
    assert len(emails) > 0.7 * N and len(phones) > 0.6 * N
    assert sum(1 for *_, c in rows if c) > 0.8 * N
    assert all(normalize_email(e) == e for e in emails)
    assert all(normalize_phone(p) == p for p in phones)
    assert len(set(emails)) == len(emails)


# ---------------------------------------------------------------- bookkeeping columns


def test_synced_columns_are_stamped_with_one_change_seq(demo):
    db, _, _ = demo
    seq = _scalar(db, "SELECT value FROM counter WHERE name = 'change_seq'")
    assert seq >= 1
    for mapper in Base.registry.mappers:
        model = mapper.class_
        if not issubclass(model, Synced):
            continue
        table = model.__tablename__
        if table in TABLES_LEFT_EMPTY or table in TABLES_SEEDED_BY_MIGRATION:
            continue
        bad = _scalar(db, f"SELECT count(*) FROM {table} WHERE origin != :code OR row_version != 1 "
                          f"OR change_seq != :seq OR deleted_at IS NOT NULL OR created_at IS NULL "
                          f"OR updated_at IS NULL OR length(id) != 36", code=CODE, seq=seq)
        assert bad == 0, table


def test_search_keys_are_filled(demo):
    db, _, _ = demo
    with db.session() as s:
        for t in s.scalars(select(Teacher)):
            values = {f: getattr(t, f) for f in Teacher.__search_fields__}
            assert t.search_key == row_search_key(Teacher, values)
            # The storage layer may add spellings (СНИЛС digits) after the fields themselves.
            assert t.search_key.startswith(
                search_key(t.last_name, t.first_name, t.middle_name, t.snils, t.email))
            assert "ё" not in t.search_key
        for mapper in Base.registry.mappers:
            model = mapper.class_
            if issubclass(model, Searchable) and issubclass(model, Synced):
                for obj in s.scalars(select(model).limit(50)):
                    values = {f: getattr(obj, f) for f in model.__search_fields__}
                    assert obj.search_key == row_search_key(model, values), model.__name__


def test_some_names_have_yo_and_are_found_without_it(demo):
    db, _, _ = demo
    with db.session() as s:
        names = s.execute(select(Teacher.last_name, Teacher.first_name, Teacher.middle_name,
                                 Teacher.search_key)).all()
    with_yo = [n for n in names if "ё" in (n[0] + n[1] + n[2])]
    assert with_yo
    last, first, middle, key = with_yo[0]
    wanted = search_key(last.replace("ё", "е").upper())
    assert wanted in key


def test_genders_of_name_parts_agree(demo):
    db, _, _ = demo
    from app.services.demo import vocabulary as V
    female_first = set(V.FEMALE_NAMES)
    for last, first, middle in _rows(db, "SELECT last_name, first_name, middle_name FROM teacher"):
        if first in female_first:
            assert middle.endswith(("вна", "чна")), (last, first, middle)
            assert not last.endswith(("ов", "ев", "ин", "ский")), (last, first, middle)
        else:
            assert middle.endswith("ич"), (last, first, middle)


def test_settings_municipality_and_audit(demo):
    db, _, _ = demo
    with db.session() as s:
        assert s.get(AppMeta, "municipality_code").value == CODE
        assert s.get(AppMeta, "municipality_name").value == "Щёлковский городской округ"
        assert s.scalar(select(Municipality.name).where(Municipality.code == CODE)) == \
            "Щёлковский городской округ"
        log = s.scalars(select(AuditLog)).all()
    assert len(log) == 1
    assert (log[0].actor, log[0].action, log[0].entity, log[0].record_id) == ("demo", "demo", "database", "")
    assert log[0].summary == f"Сгенерированы демонстрационные данные: {N} педагогов"
    assert db.origin() == CODE


def test_progress_runs_from_zero_to_one(demo):
    _, _, calls = demo
    fractions = [f for f, _ in calls]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions)
    assert all(m and m[0].isupper() for _, m in calls)


# ---------------------------------------------------------------- domain consistency


def test_last_pd_on_is_the_latest_completed_formal_course(demo):
    db, _, _ = demo
    expected = dict(_rows(db, """
        SELECT t.id, max(i.actual_end) FROM teacher t
        JOIN trajectory r ON r.teacher_id = t.id
        JOIN trajectory_item i ON i.trajectory_id = r.id
        WHERE i.kind = 'programme' AND i.formality = 'formal' AND i.status = 'completed'
        GROUP BY t.id"""))
    actual = dict(_rows(db, "SELECT id, last_pd_on FROM teacher"))
    assert {k: v for k, v in actual.items() if v is not None} == expected
    today = date.today()
    states = Counter()
    for value in expected.values():
        last = date.fromisoformat(value)
        due = add_years(last, 3)
        states["overdue" if due < today else "soon" if (due - today).days <= 183 else "ok"] += 1
    assert states["overdue"] and states["soon"] and states["ok"], states


def test_completed_items_carry_evidence(demo):
    db, _, _ = demo
    bad = _scalar(db, """SELECT count(*) FROM trajectory_item WHERE status = 'completed' AND
        (actual_start IS NULL OR actual_end IS NULL OR hours <= 0 OR credits <= 0
         OR document_number = '' OR document_date IS NULL OR actual_end < actual_start)""")
    assert bad == 0
    assert _scalar(db, "SELECT count(*) FROM trajectory_item WHERE status IN ('planned', 'cancelled') "
                       "AND actual_end IS NOT NULL") == 0
    assert _scalar(db, "SELECT count(*) FROM trajectory_item WHERE kind = 'programme' "
                       "AND programme_id IS NULL") == 0


def test_programme_credits_follow_hours(demo):
    db, _, _ = demo
    rows = _rows(db, "SELECT hours, credits FROM programme")
    assert {h for h, _ in rows} <= {16, 24, 36, 72, 108, 144}
    assert all(c == credits_from_hours(h) for h, c in rows)


def test_diagnostic_deficits_are_scores_below_60(demo):
    db, _, _ = demo
    rows = _rows(db, "SELECT score, is_deficit FROM diagnostic_result")
    assert all(bool(d) == (s < 60) for s, d in rows)
    assert any(d for _, d in rows) and not all(d for _, d in rows)


def test_reviews_have_scores_when_decided(demo):
    db, _, _ = demo
    for scores, total, decision, decided in _rows(db, "SELECT scores, total_score, decision, decided_on FROM review"):
        data = json.loads(scores)
        if decision == "pending":
            assert data == {} and total is None and decided is None
        else:
            assert set(data) >= {"actuality", "fgos"} and total == sum(data.values()) and decided


def test_agreements_have_two_or_three_parties(demo):
    db, _, _ = demo
    sizes = [r[0] for r in _rows(db, "SELECT count(*) FROM agreement_party GROUP BY agreement_id")]
    assert len(sizes) == _scalar(db, "SELECT count(*) FROM agreement")
    assert set(sizes) <= {2, 3}


def test_communities_have_a_moderator_among_members(demo):
    db, _, _ = demo
    rows = _rows(db, """SELECT c.id, count(m.id) FROM community c JOIN community_member m
        ON m.community_id = c.id AND m.teacher_id = c.moderator_id AND m.role = 'moderator' GROUP BY c.id""")
    assert len(rows) == _scalar(db, "SELECT count(*) FROM community")
    assert _scalar(db, "SELECT count(*) FROM community WHERE decision_number = '' OR decision_date IS NULL") == 0
    assert _scalar(db, "SELECT count(*) FROM community_member WHERE organization_id IS NOT NULL") > 0


def test_mentors_are_not_their_own_mentees(demo):
    db, _, _ = demo
    assert _scalar(db, "SELECT count(*) FROM mentorship WHERE mentor_id = mentee_id") == 0
    assert _scalar(db, "SELECT count(DISTINCT mentee_id) FROM mentorship") == \
        _scalar(db, "SELECT count(*) FROM mentorship")


def test_requests_have_every_section_18_field(demo):
    db, _, _ = demo
    empty = _scalar(db, """SELECT count(*) FROM info_request WHERE number = '' OR reply_contact = ''
        OR prepared_by_name = '' OR prepared_by_position = '' OR prepared_by_phone = ''
        OR prepared_by_email = '' OR subject = '' OR sent_on IS NULL OR due_on IS NULL""")
    assert empty == 0
    today = date.today().isoformat()
    assert _scalar(db, "SELECT count(*) FROM info_request WHERE answered_on IS NULL AND due_on < :d", d=today)
    assert _scalar(db, "SELECT count(*) FROM info_request WHERE answered_on IS NULL AND due_on >= :d", d=today)
    assert _scalar(db, "SELECT count(*) FROM info_request WHERE answered_on IS NOT NULL AND answer != ''")


def test_some_network_courses_have_fewer_than_ten_pupils(demo):
    db, _, _ = demo
    totals = [r[0] for r in _rows(db, "SELECT sum(pupils) FROM course_enrolment GROUP BY course_id")]
    assert len(totals) == _scalar(db, "SELECT count(*) FROM network_course")
    assert any(t < 10 for t in totals) and any(t >= 10 for t in totals)


def test_events_span_past_and_future(demo):
    db, _, _ = demo
    today = date.today().isoformat()
    assert _scalar(db, "SELECT count(*) FROM event WHERE starts_on < :d AND status = 'held'", d=today)
    assert _scalar(db, "SELECT count(*) FROM event WHERE starts_on > :d AND status = 'planned'", d=today)
    assert _scalar(db, "SELECT count(*) FROM event e WHERE NOT EXISTS "
                       "(SELECT 1 FROM event_organizer o WHERE o.event_id = e.id)") == 0


# ---------------------------------------------------------------- refusals


def test_cancel_leaves_nothing(tmp_path):
    db = _new_db(tmp_path / "cancel.sqlite")
    reached: list[float] = []
    try:
        with pytest.raises(DemoCancelled):
            generate_demo(db, 150, progress=lambda f, m: reached.append(f),
                          is_cancelled=lambda: bool(reached) and reached[-1] >= 0.3)
        assert max(reached) >= 0.3   # teachers had been inserted before the cancel
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Teacher)) == 0
            assert s.scalar(select(func.count()).select_from(Organization)) == 0
            assert s.scalar(select(func.count()).select_from(AuditLog)) == 0
            assert s.get(AppMeta, "municipality_code") is None
        assert _scalar(db, "SELECT value FROM counter WHERE name = 'change_seq'") == 0
    finally:
        db.dispose()


@pytest.mark.parametrize("teachers", [0, 99, 100_001, -5, True, 150.0, "150"])
def test_teacher_count_outside_the_range_is_refused(tmp_path, teachers):
    db = _new_db(tmp_path / "refuse.sqlite")
    try:
        with pytest.raises(ValueError, match="педагогов"):
            generate_demo(db, teachers)
        assert _scalar(db, "SELECT count(*) FROM organization") == 0
    finally:
        db.dispose()
