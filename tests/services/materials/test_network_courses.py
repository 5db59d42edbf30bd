"""Network courses: stored totals of enrolments, the ≥ 10 pupils rule as a filter, the CLI names."""
from __future__ import annotations

import json

from app.cli import main


def _course(records, host, title="Основы робототехники"):
    return records.create("courses", {"title": title, "host_organization_id": host["id"],
                                      "academic_year": "2026/2027", "subject": "Информатика"})["id"]


def test_totals_follow_the_enrolments_and_flag_fewer_than_ten(records, school):
    other = records.create("organizations", {"full_name": "Гимназия № 2", "kind": "school"})
    course = _course(records, school)
    row = records.rows("courses", [course])[course]
    assert (row["pupils_total"], row["enrolment_rule"]) == (0, "менее 10")
    a = records.create("enrolments", {"course_id": course, "organization_id": school["id"], "pupils": 6})
    records.create("enrolments", {"course_id": course, "organization_id": other["id"], "pupils": "5"})
    row = records.rows("courses", [course])[course]
    assert (row["pupils_total"], row["enrolment_rule"]) == (11, "")
    assert records.count("courses", filters={"enrolment": "small"}) == 0
    records.update("enrolments", a["id"], {"pupils": 3})
    assert records.rows("courses", [course])[course]["pupils_total"] == 8
    assert [r["id"] for r in records.list("courses", filters={"enrolment": "small"}).rows] == [course]
    records.delete("enrolments", a["id"])
    assert records.rows("courses", [course])[course]["pupils_total"] == 5
    records.restore("enrolments", a["id"])
    assert records.rows("courses", [course])[course]["pupils_total"] == 8


def test_list_network_courses_and_materials_from_the_command_line(records, school, db_path, capsys):
    _course(records, school)
    _course(records, school, "Химия в быту")
    records.create("materials", {"title": "Рекомендации по проектной деятельности", "kind": "guidelines",
                                 "description": "Как организовать исследовательские проекты школьников"})
    records.create("materials", {"title": "Презентация к уроку", "kind": "presentation"})
    assert main(["--db", str(db_path), "list", "network_courses", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert sorted(r["title"] for r in rows) == ["Основы робототехники", "Химия в быту"]
    assert all(r["pupils_total"] == 0 and r["enrolment_rule"] == "менее 10" for r in rows)
    assert main(["--db", str(db_path), "list", "materials", "--search", "исследовательские", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["title"] for r in rows] == ["Рекомендации по проектной деятельности"]
    assert rows[0]["kind"] == "guidelines" and rows[0]["status"] == "draft"
    assert main(["--db", str(db_path), "list", "network_courses"]) == 0
    out = capsys.readouterr().out
    assert "Обучающихся всего" in out and "Набор не менее 10" in out


def test_the_bank_offers_only_the_subjects_of_approved_materials(records):
    records.create("materials", {"title": "Черновик", "kind": "article", "subject": "История"})
    records.create("materials", {"title": "Одобренный", "kind": "project", "subject": "Физика", "status": "approved"})
    assert records.distinct_values("best_practices", "subject") == ["Физика"]
    assert sorted(records.distinct_values("materials", "subject")) == ["История", "Физика"]


def test_demo_courses_and_materials_are_consistent(db, records):
    from sqlalchemy import text

    from app.services.demo.generator import generate_demo

    generate_demo(db, 200, seed=3)
    with db.engine.connect() as conn:
        wrong = conn.execute(text(
            "SELECT count(*) FROM network_course c WHERE c.pupils_total != "
            "(SELECT COALESCE(SUM(e.pupils), 0) FROM course_enrolment e WHERE e.course_id = c.id)")).scalar()
        beyond = conn.execute(text(
            "SELECT count(*) FROM material m WHERE m.current_round < "
            "(SELECT COALESCE(MAX(r.round), 1) FROM review r WHERE r.material_id = m.id)")).scalar()
        undecided = conn.execute(text(
            "SELECT count(*) FROM material m WHERE m.status IN ('approved', 'rejected', 'revision') AND NOT EXISTS "
            "(SELECT 1 FROM material_decision d WHERE d.material_id = m.id)")).scalar()
    assert (wrong, beyond, undecided) == (0, 0, 0)
    assert records.count("courses", filters={"enrolment": "small"}) >= 1
