"""A report as a PDF table: A4 landscape, the header row repeated on every page, «Итого» in bold.

Only for reports short enough to print (``Report.pdf``): the whole table is
built in memory, as reportlab needs it.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from app.export.pdf_common import data_table, page_width, para, spacer, styles, write_pdf
from app.services.reports.base import DATE, INT, NUMBER, PERCENT, TEXT, ReportCancelled, ReportRun, display_text


def write_report_pdf(run: ReportRun, path: str | os.PathLike, *,
                     progress: Callable[[float, str], None] | None = None,
                     cancelled: Callable[[], bool] | None = None) -> Path:
    report, cols = run.report, run.columns
    st = styles()
    story = [para(report.title, st.title)]
    lines = run.header_lines()
    story.append(para(lines[0], st.subtitle))
    story += [para(line, st.small) for line in lines[1:]]
    story.append(spacer(3))
    rows = []
    for row in run.rows():
        rows.append([display_text(v, c.kind) for v, c in zip(row, cols)])
        if len(rows) % 200 == 0:
            if cancelled is not None and cancelled():
                raise ReportCancelled()
            if progress is not None:
                progress(0.5, f"Прочитано строк: {len(rows)}")
    totals = run.totals()
    bold = []
    if totals is not None:
        bold = [len(rows)]
        rows.append([display_text(v, c.kind) for v, c in zip(totals, cols)])
    width = page_width(wide=True)
    scale = width / sum(c.width for c in cols)
    widths = [c.width * scale for c in cols]
    flexible = max((i for i, c in enumerate(cols) if c.kind == TEXT), key=lambda i: cols[i].width, default=0)
    right = [i for i, c in enumerate(cols) if c.kind in (INT, NUMBER, PERCENT)]
    center = [i for i, c in enumerate(cols) if c.kind == DATE]
    if not rows:
        rows.append(["Нет данных за выбранный период"] + [""] * (len(cols) - 1))
    story.append(data_table([c.label for c in cols], rows, widths, flexible=flexible, st=st, right=right,
                            center=center, bold_rows=bold))
    if cancelled is not None and cancelled():
        raise ReportCancelled()
    if progress is not None:
        progress(0.8, "Вёрстка PDF…")
    result = write_pdf(path, story, title=report.title, subject=lines[0], wide=True)
    if progress is not None:
        progress(1.0, "Готово")
    return result
