"""Group routes from a template: one validated, audited transaction — all or nothing."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.services.common.actor import Actor
from app.services.development import ItemTemplate, RouteTemplate, create_group_routes
from app.services.common.errors import ServiceError
from app.storage.models import AuditLog, Trajectory, TrajectoryItem

from tests.services.development.conftest import make_org, make_teacher


def _count(db, model) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model).where(model.deleted_at.is_(None)))


def _audit(db, entity: str) -> list[tuple[str, str]]:
    with db.read() as s:
        return list(s.execute(select(AuditLog.actor, AuditLog.action).where(AuditLog.entity == entity)))


@pytest.fixture
def group(records):
    org = make_org(records)
    teachers = [make_teacher(records, org, last, first) for last, first in
                (("Иванова", "Мария"), ("Петров", "Сергей"), ("Сидорова", "Елена"))]
    programme = records.create("programmes", {"title": "Функциональная грамотность: математическая", "hours": 72,
                                              "credits": 2, "form": "distance", "provider_id": org["id"]})
    return org, [t["id"] for t in teachers], programme


def _template(programme, **kw) -> RouteTemplate:
    values = dict(
        period_start=date(2025, 9, 1), period_end=date(2026, 5, 31), goals="Развитие функциональной грамотности",
        deficits=["functional_literacy", "Цифровые образовательные технологии"],
        items=[
            ItemTemplate("programme", "formal", "", programme["id"], date(2025, 10, 1), date(2025, 11, 15)),
            ItemTemplate("event", "non_formal", "Семинар «Читательская грамотность»", None, date(2025, 12, 5),
                         date(2025, 12, 5), 4),
            ItemTemplate("self_education", "Информальное", "Самообразование: сборник задач", hours=18, credits=0),
        ])
    values.update(kw)
    return RouteTemplate(**values)


def test_one_route_with_items_per_teacher_validated_and_audited(db, group):
    org, ids, programme = group
    created = create_group_routes(db, Actor("методист"), ids, _template(programme))
    assert len(created) == 3 and _count(db, Trajectory) == 3 and _count(db, TrajectoryItem) == 9
    with db.read() as s:
        routes = {r.id: r for r in s.scalars(select(Trajectory))}
        assert [routes[i].teacher_id for i in created] == ids
        assert {(r.deficits, r.status, r.goals) for r in routes.values()} == {
            ("functional_literacy,digital", "draft", "Развитие функциональной грамотности")}
        items = list(s.scalars(select(TrajectoryItem).where(TrajectoryItem.trajectory_id == created[0])
                               .order_by(TrajectoryItem.planned_start)))
        by_kind = {i.kind: i for i in items}
        course = by_kind["programme"]
        assert (course.title, course.hours, course.credits, course.organization_id, course.status) == (
            "Функциональная грамотность: математическая", 72.0, 2.0, org["id"], "planned")
        assert (by_kind["event"].hours, by_kind["event"].credits) == (4.0, 0.11)          # computed: 4 / 36
        # 0 credits count as none (the ledger reads them so): computed from 18 h.
        assert (by_kind["self_education"].formality, by_kind["self_education"].credits) == ("informal", 0.5)
    assert _audit(db, "trajectories") == [("методист", "create")] * 3
    assert _audit(db, "trajectory_items") == [("методист", "create")] * 9


def test_one_unknown_teacher_creates_nothing(db, group):
    _, ids, programme = group
    before = len(_audit(db, "trajectories"))
    with pytest.raises(ServiceError, match="Не найдены педагоги.*no-such-teacher.*не созданы"):
        create_group_routes(db, None, ids + ["no-such-teacher"], _template(programme))
    assert _count(db, Trajectory) == 0 and _count(db, TrajectoryItem) == 0
    assert len(_audit(db, "trajectories")) == before


def test_an_invalid_item_creates_nothing(db, group):
    _, ids, programme = group
    bad = _template(programme, items=[
        ItemTemplate("event", "non_formal", "Вебинар", planned_start=date(2025, 10, 1), planned_end=date(2025, 9, 1)),
    ])
    with pytest.raises(ServiceError, match="Элемент 1 «Вебинар».*План: окончание"):
        create_group_routes(db, None, ids, bad)
    wrong_kind = _template(programme, items=[ItemTemplate("экскурсия", "formal", "Экскурсия")])
    with pytest.raises(ServiceError, match="Вид"):
        create_group_routes(db, None, ids, wrong_kind)
    assert _count(db, Trajectory) == 0 and _count(db, TrajectoryItem) == 0


def test_template_checks(db, group):
    _, ids, programme = group
    with pytest.raises(ServiceError, match="Дефицит «астрология»"):
        create_group_routes(db, None, ids, _template(programme, deficits="fgos,астрология"))
    with pytest.raises(ServiceError, match="Конец периода"):
        create_group_routes(db, None, ids, _template(programme, period_end=date(2025, 1, 1)))
    with pytest.raises(ServiceError, match="ни одного элемента"):
        create_group_routes(db, None, ids, _template(programme, items=[]))
    with pytest.raises(ServiceError, match="ни один педагог"):
        create_group_routes(db, None, [], _template(programme))
    assert _count(db, Trajectory) == 0


def test_repeated_ids_give_one_route_each(db, group):
    _, ids, programme = group
    created = create_group_routes(db, None, [ids[0], ids[0], ids[1]], _template(programme))
    assert len(created) == 2 and _count(db, Trajectory) == 2
