"""The steps of экспертиза, in their order, each one transaction with a Russian refusal when out of turn.

draft ─submit→ submitted ─assign expert→ in_review ─(every expert scores)→ decide:
approved (the bank of best practice) / rejected (final) / revision ─the author's
new version→ submitted again, in the next round.
"""
from __future__ import annotations

import json
import os
from datetime import date, timedelta
from typing import Any, Iterable

from sqlalchemy import select

from app.domain import enums as E
from app.domain.validators import ValidationError, format_date, parse_date
from app.services.common.errors import ServiceError
from app.services.materials.files import stage_file
from app.services.materials.save import add_file_rows
from app.services.registry.service import RecordService
from app.services.materials.review_criteria import sheet_of, default_sheet_id
from app.services.materials.review_state import ASSIGNABLE, MaterialReview, read_material_review
from app.storage.models import CriteriaSheet, Material, MaterialFile, Review

DEFAULT_REVIEW_DAYS = 14
S = E.MaterialStatus


def _date(value: date | str | None, what: str, default: date | None = None) -> date:
    if value in (None, ""):
        if default is None:
            raise ServiceError(f"Не указана дата: {what}.")
        return default
    if isinstance(value, date):
        return value
    try:
        return parse_date(str(value))
    except (ValidationError, ValueError) as exc:
        raise ServiceError(f"{what[:1].upper()}{what[1:]}: {exc}") from None


def _state(b, material_id: str) -> MaterialReview:
    return read_material_review(b.session, material_id)


def _refuse_status(state: MaterialReview, action: str) -> None:
    raise ServiceError(f"Нельзя {action}: материал «{state.title}» сейчас в состоянии «{state.status_label}».")


def submit(service: RecordService, material_id: str, on: date | str | None = None) -> None:
    """The application (заявка): a draft with its authors and file goes to экспертиза."""
    with service.batch() as b:
        state = _state(b, material_id)
        if not state.can_submit:
            _refuse_status(state, "подать заявку на экспертизу")
        if not state.authors:
            raise ServiceError(f"Материал «{state.title}»: укажите авторов, прежде чем подавать заявку.")
        if not state.round_files():
            raise ServiceError(f"Материал «{state.title}»: прикрепите файл материала, прежде чем подавать заявку.")
        b.update("materials", material_id, {"status": S.SUBMITTED.value,
                                            "submitted_on": _date(on, "дата подачи", date.today())})


def assign_expert(service: RecordService, material_id: str, expert_id: str, *, due_on: date | str | None = None,
                  assigned_on: date | str | None = None, sheet_id: str | None = None) -> str:
    """Adds an expert to the current round; the review's id."""
    with service.batch() as b:
        state = _state(b, material_id)
        if state.status not in ASSIGNABLE:
            _refuse_status(state, "назначить эксперта")
        if any(a.id == expert_id for a in state.authors):
            raise ServiceError("Автор материала не может быть его экспертом.")
        if any(r.expert.id == expert_id for r in state.round_reviews()):
            raise ServiceError(f"Этот эксперт уже назначен в раунде {state.current_round}.")
        assigned = _date(assigned_on, "дата назначения", date.today())
        due = _date(due_on, "срок экспертизы", assigned + timedelta(days=DEFAULT_REVIEW_DAYS))
        if due < assigned:
            raise ServiceError(f"Срок экспертизы {format_date(due)} раньше даты назначения {format_date(assigned)}.")
        sheet = sheet_id or default_sheet_id(b.session)
        if sheet is None:
            raise ServiceError("Нет ни одного листа экспертной оценки: создайте его на вкладке «Листы оценки».")
        review = b.create("reviews", {"material_id": material_id, "expert_id": expert_id,
                                      "round": state.current_round, "assigned_on": assigned, "due_on": due,
                                      "decision": E.ReviewDecision.PENDING.value, "sheet_id": sheet})
        if state.status != S.IN_REVIEW.value:
            b.update("materials", material_id, {"status": S.IN_REVIEW.value})
        return review["id"]


def unassign_expert(service: RecordService, review_id: str) -> None:
    """Withdraws an expert who has not yet given a conclusion."""
    with service.batch() as b:
        review = b.session.get(Review, review_id)
        if review is None or review.deleted_at is not None:
            raise ServiceError("Экспертиза не найдена.")
        if review.decision != E.ReviewDecision.PENDING.value:
            raise ServiceError("Эксперт уже дал заключение; снять его нельзя.")
        state = _state(b, review.material_id)
        if state.status in (S.APPROVED.value, S.REJECTED.value, S.REVISION.value):
            _refuse_status(state, "снять эксперта")
        b.delete("reviews", review_id)
        if len(state.round_reviews()) == 1:
            b.update("materials", review.material_id, {"status": S.SUBMITTED.value})


def _score(value: Any, title: str, maximum: float) -> float:
    if value in (None, ""):
        raise ServiceError(f"Не выставлен балл по критерию «{title}».")
    try:
        score = float(str(value).replace(",", ".").strip())
    except ValueError:
        raise ServiceError(f"Критерий «{title}»: «{value}» не является числом.") from None
    if score < 0:
        raise ServiceError(f"Критерий «{title}»: балл не может быть отрицательным.")
    if score > maximum:
        raise ServiceError(f"Критерий «{title}»: балл {score:g} больше максимального ({maximum:g}).".replace(".", ","))
    return score


def score_review(service: RecordService, review_id: str, scores: dict[str, Any], conclusion: str,
                 recommendation: str, decided_on: date | str | None = None) -> float:
    """The expert's scores by criteria, conclusion and recommendation; the total."""
    with service.batch() as b:
        review = b.session.get(Review, review_id)
        if review is None or review.deleted_at is not None:
            raise ServiceError("Экспертиза не найдена.")
        state = _state(b, review.material_id)
        if state.status != S.IN_REVIEW.value:
            _refuse_status(state, "внести заключение эксперта")
        if review.round != state.current_round:
            raise ServiceError(f"Это экспертиза раунда {review.round}; материал уже в раунде {state.current_round}.")
        if review.sheet_id is None:
            review.sheet_id = default_sheet_id(b.session)
        row = b.session.get(CriteriaSheet, review.sheet_id) if review.sheet_id else None
        sheet = sheet_of(b.session, row) if row is not None else None
        if sheet is None or not sheet.criteria:
            raise ServiceError("У экспертизы нет листа оценки с критериями.")
        known = {c.code for c in sheet.criteria}
        unknown = [k for k in scores if k not in known]
        if unknown:
            raise ServiceError(f"В листе оценки нет критериев: {', '.join(unknown)}.")
        clean = {c.code: _score(scores.get(c.code), c.title, c.max_score) for c in sheet.criteria}
        if not (conclusion or "").strip():
            raise ServiceError("Напишите заключение эксперта.")
        if recommendation not in (E.ReviewDecision.APPROVED.value, E.ReviewDecision.REVISION.value,
                                  E.ReviewDecision.REJECTED.value):
            raise ServiceError("Выберите рекомендацию эксперта: одобрить, вернуть на доработку или отклонить.")
        decided = _date(decided_on, "дата заключения", date.today())
        if decided < review.assigned_on:
            raise ServiceError(f"Дата заключения {format_date(decided)} раньше даты назначения эксперта "
                               f"{format_date(review.assigned_on)}.")
        total = round(sum(clean.values()), 2)
        b.update("reviews", review_id, {"scores": json.dumps(clean, ensure_ascii=False), "total_score": total,
                                        "conclusion": conclusion.strip(), "decision": recommendation,
                                        "decided_on": decided})
        return total


def decide(service: RecordService, material_id: str, decision: str, *, comment: str = "",
           protocol_number: str = "", decided_on: date | str | None = None) -> str:
    """The council's decision on the current round, recorded in the history; the decision's id."""
    with service.batch() as b:
        state = _state(b, material_id)
        if state.status != S.IN_REVIEW.value:
            _refuse_status(state, "принять решение")
        reviews = state.round_reviews()
        if not reviews:
            raise ServiceError("Решение принимается по заключениям экспертов, а эксперты ещё не назначены.")
        waiting = [r for r in reviews if r.is_pending]
        if waiting:
            names = ", ".join(f"{r.expert.short_name}" + (f" (срок {format_date(r.due_on)})" if r.due_on else "")
                              for r in waiting)
            raise ServiceError(f"Решение можно принять, когда все эксперты дадут заключения. Ждём: {names}.")
        try:
            code = E.CouncilDecision.from_label(decision).value
        except ValueError:
            raise ServiceError(f"Неизвестное решение «{decision}»: одобрено, на доработку или отклонено.") from None
        if code != E.CouncilDecision.APPROVED.value and not comment.strip():
            raise ServiceError("Укажите в комментарии, почему материал возвращён на доработку или отклонён.")
        on = _date(decided_on, "дата решения", date.today())
        last = max(r.decided_on for r in reviews if r.decided_on)
        if on < last:
            raise ServiceError(f"Дата решения {format_date(on)} раньше последнего заключения эксперта "
                               f"({format_date(last)}).")
        row = b.create("material_decisions", {
            "material_id": material_id, "round": state.current_round, "decision": code, "decided_on": on,
            "decided_by": service.actor.name, "comment": comment.strip(), "protocol_number": protocol_number.strip()})
        b.update("materials", material_id, {"status": code})
        return row["id"]


def submit_revision(service: RecordService, material_id: str, paths: Iterable[str | os.PathLike],
                    on: date | str | None = None) -> int:
    """The author's revised version: new files open the next round; the new round's number."""
    paths = list(paths)
    if not paths:
        raise ServiceError("Прикрепите доработанную версию материала (новый файл).")
    staged = [stage_file(service.db, p) for p in paths]
    with service.batch() as b:
        state = _state(b, material_id)
        if not state.can_revise:
            _refuse_status(state, "подать доработанную версию")
        seen = set(b.session.scalars(select(MaterialFile.sha256).where(
            MaterialFile.material_id == material_id, MaterialFile.deleted_at.is_(None))))
        for f in staged:
            if f.sha256 in seen:
                raise ServiceError(f"Файл «{f.file_name}» не отличается от версии, уже поданной на экспертизу; "
                                   "прикрепите доработанный файл.")
        new_round = state.current_round + 1
        b.session.get(Material, material_id).current_round = new_round
        b.update("materials", material_id, {"status": S.SUBMITTED.value,
                                            "submitted_on": _date(on, "дата подачи", date.today())})
        add_file_rows(b, material_id, staged, round_no=new_round)
        return new_round
