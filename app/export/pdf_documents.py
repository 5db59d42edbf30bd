"""PDF documents of professional development: the route (ИОМ), the credits statement, the group plan.

The data come from app.services.development (frozen dataclasses); this module
only lays them out. Every writer returns the path of the saved file.
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Iterable

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether

from app.domain.masking import masked
from app.services.access.personal_data import export_unmasked
from app.domain.validators import format_date
from app.export.pdf_common import (
    data_table, esc, fields_table, fmt_date, fmt_number, fmt_period, page_width, para, rich, signature_table,
    spacer, styles, write_pdf,
)
from app.services.development import (
    IomDocument, RouteItem, credits_ledger, group_plan, iom_document, pd_settings, teacher_info,
)
from app.storage.database import Database

IOM_TITLE = "Индивидуальный образовательный маршрут педагога"
CREDITS_TITLE = "Выписка о накопленных зачётных единицах"
GROUP_TITLE = "План индивидуальных образовательных маршрутов группы педагогов"


def _heading_block(st, municipality: str, title: str, subtitle: str) -> list:
    out = []
    top = "Муниципальная методическая служба" + (f" · {municipality}" if municipality else "")
    out.append(para(top, st.header))
    out.append(para(title, st.title))
    if subtitle:
        out.append(para(subtitle, st.subtitle))
    return out


def _numbered(number: str) -> str:
    """«12-К» → «№ 12-К»; a number that already says what it is («Приказ № 31-о») stays as it is."""
    number = number.strip().replace("№ ", "№\u00a0")
    return number if "№" in number else f"№\u00a0{number}"


def _mark(item: RouteItem) -> str:
    """«Отметка о выполнении / документ» of a route item."""
    parts = [item.status_label]
    if item.document_number or item.document_date:
        doc = "док. " + _numbered(item.document_number) if item.document_number else "документ"
        if item.document_date:
            doc += f" от {format_date(item.document_date)}"
        parts.append(doc)
    return "\n".join(parts)


def _credits_text(value: float, computed: bool) -> str:
    return fmt_number(value) + ("*" if computed else "")


# -- ИОМ --------------------------------------------------------------------------------------

def write_iom_pdf(db: Database, teacher_id: str, path: str | os.PathLike, route_id: str | None = None,
                  today: date | None = None, unmasked: bool = False) -> Path:
    """«Индивидуальный образовательный маршрут педагога» for the current (or given, or latest) route."""
    doc = iom_document(db, teacher_id, route_id, today)
    return write_pdf(path, _iom_story(doc, export_unmasked(db, unmasked)), title=IOM_TITLE,
                     subject=doc.teacher.full_name, wide=True)


def _iom_story(doc: IomDocument, unmasked: bool = False) -> list:
    st = styles()
    width = page_width(wide=True)
    t, r = doc.teacher, doc.route
    story = _heading_block(st, doc.municipality, IOM_TITLE,
                           f"на период с {format_date(r.period_start)} по {format_date(r.period_end)}")
    story.append(fields_table([
        ("Фамилия, имя, отчество", t.full_name),
        ("СНИЛС", masked("snils", t.snils, unmasked) or "не указан"),
        ("Должность", t.position),
        ("Образовательная организация", t.organization_full),
        ("Статус маршрута", r.status_label),
        ("Последнее повышение квалификации", fmt_date(t.last_pd_on) or "нет сведений"),
        ("Следующее — не позднее", f"{fmt_date(t.pd_due)} ({t.pd_status_label})" if t.pd_due else "нет сведений"),
    ], width, st))

    story.append(para("Цели маршрута", st.heading))
    story.append(para(r.goals or "—", st.body))

    source = f" (по результатам: {r.deficits_source})" if r.deficits_source and r.deficits_source != "маршрут" else ""
    story.append(para(f"Профессиональные дефициты{source}", st.heading))
    if r.deficits:
        lines = []
        for d in r.deficits:
            score = (f" — {fmt_number(d.score, 1)} из {fmt_number(d.max_score, 0)} баллов"
                     if d.score is not None and d.max_score else "")
            lines.append(f"• {esc(d.label)}{esc(score)}")
        story.append(rich("<br/>".join(lines), st.body))
    else:
        story.append(para("Не выявлены или не указаны.", st.body))

    story.append(para("Содержание маршрута", st.heading))
    rows = [[str(i.number), i.title + (f"\n({i.organization})" if i.organization else ""), i.kind_label,
             i.formality_label, fmt_period(i.planned_start, i.planned_end), fmt_period(i.actual_start, i.actual_end),
             fmt_number(i.hours), _credits_text(i.credits, i.credits_computed), _mark(i)] for i in r.items]
    if not rows:
        rows = [["", "Элементы маршрута не запланированы", "", "", "", "", "", "", ""]]
    header = ["№", "Содержание (программа, мероприятие, стажировка …)", "Вид", "Форма образования",
              "Сроки (план)", "Сроки (факт)", "Часы", "З.е.", "Отметка о выполнении / документ"]
    widths = [8 * mm, 0, 32 * mm, 26 * mm, 21 * mm, 21 * mm, 12 * mm, 12 * mm, 42 * mm]
    widths[1] = width - sum(widths)
    story.append(data_table(header, rows, widths, flexible=1, st=st, right=(6, 7), center=(0,)))

    tot = r.totals
    totals = data_table(
        ["", "Элементов", "Часы", "Зачётные единицы"],
        [["По плану (без отменённых)", str(tot.planned_items), fmt_number(tot.planned_hours),
          fmt_number(tot.planned_credits)],
         ["Выполнено (факт)", str(tot.done_items), fmt_number(tot.done_hours), fmt_number(tot.done_credits)]],
        [70 * mm, 30 * mm, 30 * mm, 40 * mm], flexible=0, st=st, right=(1, 2, 3))
    totals.hAlign = "LEFT"
    story += [spacer(4), KeepTogether([para("Итоги: план и факт", st.heading), totals])]
    if any(i.credits_computed for i in r.items):
        story.append(para(f"* зачётные единицы рассчитаны по часам (1 з.е. = {doc.hours_per_credit} ч).",
                          st.small))

    story.append(spacer(8))
    story.append(KeepTogether([
        signature_table([("Педагог", t.signature_name), ("Руководитель ОО", ""), ("Методист", "")], width, st),
        spacer(5),
        para(f"Дата: {format_date(doc.today)}", st.body),
    ]))
    return story


# -- credits statement -----------------------------------------------------------------------------

def write_credits_pdf(db: Database, teacher_id: str, path: str | os.PathLike, today: date | None = None,
                      unmasked: bool = False) -> Path:
    """«Выписка о накопленных зачётных единицах»: every completed item, totals per year and overall."""
    today = today or date.today()
    info = teacher_info(db, teacher_id, today)
    ledger = credits_ledger(db, teacher_id)
    conf = pd_settings(db)
    st = styles()
    width = page_width()
    story = _heading_block(st, conf.municipality_name, CREDITS_TITLE, f"по состоянию на {format_date(today)}")
    story.append(fields_table([
        ("Фамилия, имя, отчество", info.full_name),
        ("СНИЛС", masked("snils", info.snils, export_unmasked(db, unmasked)) or "не указан"),
        ("Дата рождения", fmt_date(info.birth_date)),
        ("Образовательная организация", info.organization_full),
        ("Должность", info.position),
    ], width, st))
    story.append(spacer(1))
    story.append(para(f"Учитываются выполненные элементы индивидуальных образовательных маршрутов за весь период. "
                      f"1 зачётная единица = {ledger.hours_per_credit} академических часов.", st.small))

    story.append(para("Освоенные программы и иные элементы маршрутов", st.heading))
    rows = [[str(n), fmt_date(r.on), r.title + (f"\n({r.organization})" if r.organization else ""),
             f"{r.kind_label}\n{r.formality_label.lower()}", fmt_number(r.hours),
             _credits_text(r.credits, r.credits_computed),
             (_numbered(r.document_number) if r.document_number else "") +
             (f"\nот {fmt_date(r.document_date)}" if r.document_date else "")]
            for n, r in enumerate(ledger.rows, 1)]
    if not rows:
        rows = [["", "", "Выполненных элементов маршрутов нет", "", "", "", ""]]
    header = ["№", "Дата", "Наименование", "Вид, форма образования", "Часы", "З.е.", "Документ"]
    widths = [7 * mm, 18 * mm, 0, 30 * mm, 11 * mm, 11 * mm, 26 * mm]
    widths[2] = width - sum(widths)
    story.append(data_table(header, rows, widths, flexible=2, st=st, right=(4, 5), center=(0, 1)))

    year_rows = [[y.label, str(y.items), fmt_number(y.hours), fmt_number(y.credits)] for y in ledger.by_year]
    year_rows.append(["Итого за весь период", str(ledger.total_items), fmt_number(ledger.total_hours),
                      fmt_number(ledger.total_credits)])
    years = data_table(["Год", "Элементов", "Часы", "Зачётные единицы"], year_rows,
                       [70 * mm, 30 * mm, 30 * mm, 40 * mm], flexible=0, st=st, right=(1, 2, 3),
                       bold_rows=(len(year_rows) - 1,))
    years.hAlign = "LEFT"
    story.append(KeepTogether([para("Итоги по годам", st.heading), years]))

    if ledger.by_kind:
        kinds = data_table(["Вид", "Элементов", "Часы", "Зачётные единицы"],
                           [[g.label, str(g.items), fmt_number(g.hours), fmt_number(g.credits)]
                            for g in ledger.by_kind] +
                           [[f"в т. ч. {g.label.lower()} образование", str(g.items), fmt_number(g.hours),
                             fmt_number(g.credits)] for g in ledger.by_formality],
                           [70 * mm, 30 * mm, 30 * mm, 40 * mm], flexible=0, st=st, right=(1, 2, 3))
        kinds.hAlign = "LEFT"
        story.append(KeepTogether([para("Итоги по видам и формам образования", st.heading), kinds]))
    if any(r.credits_computed for r in ledger.rows):
        story.append(para(f"* зачётные единицы рассчитаны по часам (1 з.е. = {ledger.hours_per_credit} ч).",
                          st.small))

    last = fmt_date(info.last_pd_on) or "нет сведений"
    due = f"{fmt_date(info.pd_due)} — {info.pd_status_label}" if info.pd_due else "нет сведений"
    # The three-year rule, the date and the signature stay on one page.
    story.append(KeepTogether([
        para("Повышение квалификации (273-ФЗ, ст. 47: не реже одного раза в три года)", st.heading),
        fields_table([("Последнее повышение квалификации", last), ("Следующее — не позднее", due)],
                     width, st, label_width=70 * mm),
        spacer(8),
        para(f"Дата выдачи: {format_date(today)}", st.body),
        signature_table([("Методист", "")], width, st),
    ]))
    return write_pdf(path, story, title=CREDITS_TITLE, subject=info.full_name)


# -- group plan ------------------------------------------------------------------------------------

def write_group_plan_pdf(db: Database, group: str | Iterable[str], path: str | os.PathLike,
                         today: date | None = None) -> Path:
    """The route plan of a group, teacher × items: ``group`` is an organisation id (a str: all its
    teachers, by name) or a list of teacher ids (in that order)."""
    if isinstance(group, str):
        plan = group_plan(db, organization_id=group, today=today)
    else:
        plan = group_plan(db, teacher_ids=list(group), today=today)
    st = styles()
    width = page_width(wide=True)
    subtitle = (f"{plan.organization} · " if plan.organization else "") + f"по состоянию на {format_date(plan.today)}"
    story = _heading_block(st, plan.municipality, GROUP_TITLE, subtitle)

    rows, group_rows, spans = [], [], []
    planned = done = with_route = 0
    for n, m in enumerate(plan.members, 1):
        t, r = m.teacher, m.route
        # A group plan circulates among colleagues: no СНИЛС in it (152-ФЗ, data minimisation).
        who = f"<b>{esc(t.short_name)}</b>" + (f"<br/>{esc(t.position)}" if t.position else "")
        if r is None:
            group_rows.append(len(rows))
            spans.append(("SPAN", (2, len(rows) + 1), (-1, len(rows) + 1)))
            rows.append([str(n), rich(who, st.cell), "Маршрут не составлен", "", "", "", "", "", ""])
            continue
        with_route += 1
        planned += r.totals.planned_items
        done += r.totals.done_items
        who += (f'<br/><font color="#5A6272">маршрут {esc(fmt_period(r.period_start, r.period_end, "–"))}, '
                f"{esc(r.status_label.lower())}; выполнено {r.totals.done_items} из {r.totals.planned_items}</font>")
        if not r.items:
            spans.append(("SPAN", (2, len(rows) + 1), (-1, len(rows) + 1)))
            rows.append([str(n), rich(who, st.cell), "Элементы не запланированы", "", "", "", "", "", ""])
            continue
        for k, i in enumerate(r.items):
            name = rich(who, st.cell) if k == 0 else rich(f'<font color="#8A94A6">{esc(t.short_name)}</font>', st.cell)
            fact = fmt_period(i.actual_start, i.actual_end)
            if i.document_number:
                fact += ("\n" if fact else "") + _numbered(i.document_number)
            rows.append([f"{n}.{i.number}", name, i.title, f"{i.kind_label}\n{i.formality_label.lower()}",
                         fmt_period(i.planned_start, i.planned_end), i.status_label, fact,
                         fmt_number(i.hours), _credits_text(i.credits, i.credits_computed)])
    header = ["№", "Педагог, маршрут", "Элемент маршрута", "Вид, форма образования", "Сроки (план)", "Состояние",
              "Факт / документ", "Часы", "З.е."]
    widths = [10 * mm, 52 * mm, 0, 34 * mm, 21 * mm, 22 * mm, 27 * mm, 11 * mm, 11 * mm]
    widths[2] = width - sum(widths)
    story.append(data_table(header, rows, widths, flexible=2, st=st, right=(7, 8), center=(0,),
                            bold_rows=group_rows, extra=spans))
    story.append(spacer(4))
    story.append(para(f"Педагогов: {len(plan.members)}, из них с маршрутом: {with_route}. "
                      f"Элементов по плану (без отменённых): {planned}, выполнено: {done}.", st.body))
    story.append(spacer(8))
    story.append(KeepTogether([para(f"Дата: {format_date(plan.today)}", st.body),
                               signature_table([("Методист", "")], width, st)]))
    return write_pdf(path, story, title=GROUP_TITLE, subject=plan.organization or "группа педагогов", wide=True)
