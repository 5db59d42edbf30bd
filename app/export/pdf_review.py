"""PDF documents of экспертиза: the expert's conclusion and the protocol of the methodical council.

The data come from app.services.materials.review_state (frozen dataclasses); this
module only lays them out. Every writer returns the path of the saved file.
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether

from app.domain.validators import format_date
from app.export.pdf_common import (
    data_table, fields_table, fmt_date, fmt_number, page_width, para, signature_table, spacer, styles, write_pdf,
)
from app.services.common.errors import ServiceError
from app.services.registry.overview import settings
from app.services.materials.review_state import MaterialReview, ReviewInfo, material_review, review_with_material
from app.storage.database import Database

CONCLUSION_TITLE = "Экспертное заключение"
PROTOCOL_TITLE = "Протокол заседания методического совета"


def _top(st, db: Database) -> list:
    municipality = settings(db).get("municipality_name", "")
    top = "Муниципальная методическая служба" + (f" · {municipality}" if municipality else "")
    return [para(top, st.header)]


def _percent(total: float | None, maximum: float) -> str:
    if total is None or not maximum:
        return ""
    return f"{fmt_number(100 * total / maximum, 0)} %"


def write_conclusion_pdf(db: Database, review_id: str, path: str | os.PathLike) -> Path:
    """«Экспертное заключение» of one expert: the material, the scores per criterion, total, conclusion."""
    review, state = review_with_material(db, review_id)
    if review.is_pending:
        raise ServiceError(f"Эксперт {review.expert.short_name} ещё не дал заключение: документ формируется "
                           "после оценки по критериям.")
    return write_pdf(path, _conclusion_story(db, review, state), title=CONCLUSION_TITLE, subject=state.title)


def _conclusion_story(db: Database, review: ReviewInfo, state: MaterialReview) -> list:
    st = styles()
    width = page_width()
    story = _top(st, db)
    story.append(para(CONCLUSION_TITLE, st.title))
    story.append(para(f"на методический материал (раунд экспертизы {review.round})", st.subtitle))
    story.append(fields_table([
        ("Материал", state.title),
        ("Вид", state.kind_label),
        ("Авторы", state.authors_text or "—"),
        ("Организация", state.organization),
        ("Предмет, уровень образования", ", ".join(x for x in (state.subject, state.level_label) if x)),
        ("Файлы версии", ", ".join(f.file_name for f in state.round_files(review.round)) or "—"),
        ("Эксперт", review.expert.full_name + (f", {review.expert.position}" if review.expert.position else "")
         + (f" ({review.expert.organization})" if review.expert.organization else "")),
        ("Назначен / срок", f"{fmt_date(review.assigned_on)} / {fmt_date(review.due_on) or '—'}"),
    ], width, st))

    story.append(para("Оценка по критериям", st.heading))
    criteria = review.sheet.criteria if review.sheet is not None else ()
    rows = [[str(n), c.title, fmt_number(c.max_score), fmt_number(review.scores.get(c.code))]
            for n, c in enumerate(criteria, start=1)]
    maximum = review.sheet.max_total if review.sheet is not None else 0
    rows.append(["", "Итого", fmt_number(maximum), fmt_number(review.total)])
    widths = [8 * mm, 0, 24 * mm, 24 * mm]
    widths[1] = width - sum(widths)
    story.append(data_table(["№", "Критерий", "Максимальный балл", "Балл эксперта"], rows, widths, flexible=1,
                            st=st, right=(2, 3), center=(0,), bold_rows=(len(rows) - 1,)))
    if review.sheet is not None:
        story.append(para(f"Лист оценки: {review.sheet.title}. Итог: {fmt_number(review.total)} из "
                          f"{fmt_number(maximum)} ({_percent(review.total, maximum)}).", st.small))

    story.append(para("Заключение", st.heading))
    story.append(para(review.conclusion or "—", st.body))
    story.append(para("Рекомендация эксперта", st.heading))
    story.append(para(review.decision_label, st.body))
    story.append(spacer(8))
    story.append(KeepTogether([
        signature_table([("Эксперт", review.expert.short_name)], width, st),
        spacer(5),
        para(f"Дата: {format_date(review.decided_on) if review.decided_on else '«___» __________ 20___ г.'}",
             st.body),
    ]))
    return story


def write_protocol_pdf(db: Database, material_ids: Sequence[str], path: str | os.PathLike, *,
                       number: str = "", held_on: date | None = None) -> Path:
    """«Протокол заседания методического совета»: the materials, the experts' totals and the decisions.

    Each material is shown with its latest round that has a decision (or its
    current round, marked «решение не принято», when none was taken yet).
    """
    if not material_ids:
        raise ServiceError("Выберите хотя бы один материал для протокола.")
    states = [material_review(db, m) for m in material_ids]
    return write_pdf(path, _protocol_story(db, states, number, held_on or date.today()), title=PROTOCOL_TITLE,
                     wide=True)


def _protocol_story(db: Database, states: list[MaterialReview], number: str, held_on: date) -> list:
    st = styles()
    width = page_width(wide=True)
    story = _top(st, db)
    title = PROTOCOL_TITLE + (f" № {number}" if number else "")
    story.append(para(title, st.title))
    story.append(para(f"от {format_date(held_on)}", st.subtitle))
    story.append(para("Повестка: рассмотрение результатов экспертизы методических материалов "
                      "(продуктов сетевого взаимодействия).", st.body))
    story.append(para("Результаты экспертизы", st.heading))
    rows = []
    for n, state in enumerate(states, start=1):
        decided = [d for d in state.decisions]
        decision = decided[-1] if decided else None
        round_no = decision.round if decision is not None else state.current_round
        reviews = [r for r in state.round_reviews(round_no) if not r.is_pending]
        experts = "\n".join(
            f"{r.expert.short_name}: {fmt_number(r.total)} из "
            f"{fmt_number(r.sheet.max_total if r.sheet else 0)} ({r.decision_label.lower()})" for r in reviews)
        totals = [r.total for r in reviews if r.total is not None]
        average = fmt_number(sum(totals) / len(totals), 1) if totals else "—"
        verdict = (decision.decision_label + (f"\n{decision.comment}" if decision.comment else "")
                   if decision is not None else "решение не принято")
        rows.append([str(n), f"{state.title}\n{state.kind_label}", state.authors_text or "—", str(round_no),
                     experts or "заключений нет", average, verdict])
    widths = [8 * mm, 0, 40 * mm, 14 * mm, 62 * mm, 18 * mm, 50 * mm]
    widths[1] = width - sum(widths)
    story.append(data_table(["№", "Материал", "Авторы", "Раунд", "Эксперты: итоговый балл (рекомендация)",
                             "Средний балл", "Решение"], rows, widths, flexible=1, st=st, right=(5,),
                            center=(0, 3)))
    approved = sum(1 for s in states if s.decisions and s.decisions[-1].decision == "approved")
    story.append(spacer(3))
    story.append(para(f"Решили: материалы с решением «Одобрено» ({approved}) включить в банк лучших практик "
                      "(адреса передового педагогического опыта).", st.body))
    story.append(spacer(8))
    story.append(KeepTogether([signature_table([("Председатель", ""), ("Секретарь", "")], width, st)]))
    return story
