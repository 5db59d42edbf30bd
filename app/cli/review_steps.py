"""`review show|submit|assign|unassign|score|decide|revise`: the steps of экспертиза from the command line.

The same workflow the GUI's review dialog drives (services/materials/review_workflow):
an application, experts in the current round, their scores and conclusions,
the council's decision, a revised version that opens the next round. Each
step is one transaction; a refused step prints the workflow's Russian reason
and exits 1.
"""
from __future__ import annotations

import argparse
import sys
from typing import TextIO

from app.cli.common import EXIT_OK, EXIT_REFUSED
from app.cli.security import open_signed_in
from app.services.common.errors import ServiceError

RECOMMENDATIONS = {"approved": "одобрить", "revision": "вернуть на доработку", "rejected": "отклонить"}
_DATE = "ДД.ММ.ГГГГ"


def register(sub) -> None:
    rv = sub.add_parser("review", help="экспертиза материалов: show, submit, assign, unassign, score, decide, revise",
                        description="Шаги экспертизы методического материала. Идентификатор материала — "
                                    "`list materials`, экспертизы (назначения эксперта) — `review show`; эксперта "
                                    "можно указать СНИЛС или идентификатором педагога. Даты — ДД.ММ.ГГГГ, "
                                    "по умолчанию сегодня.")
    steps = rv.add_subparsers(dest="review_command", metavar="ШАГ", required=True)
    show = steps.add_parser("show", help="состояние экспертизы материала: раунд, эксперты, баллы, решения")
    _material(show)
    submit = steps.add_parser("submit", help="подать заявку на экспертизу (черновик с авторами и файлом)")
    _material(submit)
    _on(submit, "дата подачи")
    assign = steps.add_parser("assign", help="назначить эксперта в текущий раунд")
    _material(assign)
    assign.add_argument("--expert", required=True, metavar="СНИЛС_ИЛИ_ID", help="педагог-эксперт")
    assign.add_argument("--due", metavar=_DATE, help="срок экспертизы (по умолчанию — через 14 дней)")
    assign.add_argument("--sheet", metavar="ID", help="лист оценки (по умолчанию — основной)")
    _on(assign, "дата назначения")
    unassign = steps.add_parser("unassign", help="снять эксперта, ещё не давшего заключения")
    _review(unassign)
    score = steps.add_parser("score", help="баллы по критериям, заключение и рекомендация эксперта")
    _review(score)
    score.add_argument("--score", action="append", default=[], metavar="КОД=БАЛЛ",
                       help="балл по критерию листа оценки (повторяется для каждого критерия)")
    score.add_argument("--conclusion", required=True, metavar="ТЕКСТ", help="заключение эксперта")
    score.add_argument("--recommendation", required=True, choices=tuple(RECOMMENDATIONS),
                       help="approved — одобрить, revision — на доработку, rejected — отклонить")
    _on(score, "дата заключения")
    decide = steps.add_parser("decide", help="решение методического совета по текущему раунду")
    _material(decide)
    decide.add_argument("--decision", required=True, choices=tuple(RECOMMENDATIONS),
                        help="approved — одобрено, revision — на доработку, rejected — отклонено")
    decide.add_argument("--comment", default="", metavar="ТЕКСТ", help="обязателен для доработки и отклонения")
    decide.add_argument("--protocol", default="", metavar="N", help="номер протокола совета")
    _on(decide, "дата решения")
    revise = steps.add_parser("revise", help="доработанная версия: новые файлы открывают следующий раунд")
    _material(revise)
    revise.add_argument("--file", action="append", required=True, metavar="ФАЙЛ", help="файл доработанной версии")
    _on(revise, "дата подачи доработки")
    rv.set_defaults(run=lambda args: cmd_review(args, open_signed_in(args)))


def _material(p: argparse.ArgumentParser) -> None:
    p.add_argument("--material", required=True, metavar="ID", help="идентификатор материала")


def _review(p: argparse.ArgumentParser) -> None:
    p.add_argument("--review", required=True, metavar="ID", help="идентификатор экспертизы (review show)")


def _on(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--date", metavar=_DATE, help=f"{what} (по умолчанию — сегодня)")


def cmd_review(args, db, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        print(_run(args, db), file=out)
    except (ServiceError, ValueError) as exc:
        print(f"Ошибка: {exc}", file=err)
        return EXIT_REFUSED
    return EXIT_OK


def _run(args, db) -> str:
    from app.domain.enums import CouncilDecision
    from app.services.development import find_teacher
    from app.services.materials import review_workflow as wf
    from app.services.materials.review_state import material_review
    from app.services.registry.service import RecordService

    service = RecordService(db)
    step = args.review_command
    if step == "show":
        return describe(material_review(db, args.material))
    if step == "submit":
        wf.submit(service, args.material, args.date)
        return f"Заявка подана: «{material_review(db, args.material).title}» передан на экспертизу."
    if step == "assign":
        review_id = wf.assign_expert(service, args.material, find_teacher(db, args.expert), due_on=args.due,
                                     assigned_on=args.date, sheet_id=args.sheet)
        return f"Эксперт назначен; экспертиза {review_id}."
    if step == "unassign":
        wf.unassign_expert(service, args.review)
        return "Эксперт снят."
    if step == "score":
        total = wf.score_review(service, args.review, parse_scores(args.score), args.conclusion,
                                args.recommendation, args.date)
        return f"Заключение эксперта сохранено; сумма баллов {_number(total)}."
    if step == "decide":
        wf.decide(service, args.material, CouncilDecision(args.decision).label, comment=args.comment,
                  protocol_number=args.protocol, decided_on=args.date)
        return f"Решение записано: {CouncilDecision(args.decision).label.lower()}."
    if step == "revise":
        round_no = wf.submit_revision(service, args.material, args.file, args.date)
        return f"Доработанная версия принята; начат раунд {round_no}."
    raise ServiceError(f"Неизвестный шаг экспертизы «{step}».")


def parse_scores(items: list[str]) -> dict[str, str]:
    scores = {}
    for item in items:
        code, sep, value = item.partition("=")
        if not sep or not code.strip():
            raise ServiceError(f"Балл «{item}»: укажите его как КОД=БАЛЛ, например K1=4.")
        scores[code.strip()] = value.strip()
    return scores


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def describe(state) -> str:
    from app.domain.validators import format_date

    lines = [f"Материал: «{state.title}»", f"Состояние: {state.status_label}; раунд {state.current_round}",
             f"Авторы: {state.authors_text or '—'}",
             f"Файлы раунда: {', '.join(f.file_name for f in state.round_files()) or '—'}"]
    for r in state.reviews:
        due = f", срок {format_date(r.due_on)}" if r.due_on else ""
        total = f", баллов: {_number(r.total)}" if r.total is not None else ""
        lines.append(f"Раунд {r.round}: экспертиза {r.id} — {r.expert.short_name}{due}: {r.decision_label}{total}")
    for d in state.decisions:
        protocol = f", протокол № {d.protocol_number}" if d.protocol_number else ""
        comment = f" — {d.comment}" if d.comment else ""
        lines.append(f"Решение раунда {d.round} от {format_date(d.decided_on)}{protocol}: {d.decision_label}{comment}")
    return "\n".join(lines)
