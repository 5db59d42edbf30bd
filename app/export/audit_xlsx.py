"""The audit log as an Excel book, streamed with openpyxl's write-only workbook.

The file appears under its name only when complete; every text that looks like a
formula is written as text.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from openpyxl import Workbook

from app.export.atomic_file import EXCEL, write_atomically
from app.export.xlsx_text import text_value
from app.services.accounts.audit_log import EXPORT_HEADERS, AuditFilter, change_lines, ids, rows
from app.services.access.personal_data import export_unmasked
from app.storage.database import Database

ProgressFn = Callable[[float, str], None]


def export_xlsx(db: Database, f: AuditFilter, path: str | os.PathLike, *, unmasked: bool = False,
                progress: ProgressFn | None = None, is_cancelled: Callable[[], bool] | None = None) -> int:
    """Writes the filtered log to ``path``; returns the number of entries (0 and no file when cancelled)."""
    unmasked = export_unmasked(db, unmasked)
    all_ids = ids(db, f)
    target = Path(path)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Журнал изменений")
    ws.append(list(EXPORT_HEADERS))
    for start in range(0, len(all_ids), 1000):
        if is_cancelled is not None and is_cancelled():
            return 0
        chunk = rows(db, all_ids[start:start + 1000])
        for i in all_ids[start:start + 1000]:
            r = chunk[i]
            before, after = change_lines(r, unmasked)
            ws.append([text_value(ws, v) for v in (
                r.at.strftime("%d.%m.%Y %H:%M:%S"), r.actor, r.action_label, r.entity_label, r.summary,
                r.record_id, before, after)])
        if progress is not None:
            progress(min(1.0, (start + 1000) / max(1, len(all_ids))), f"Записано {min(start + 1000, len(all_ids))}")
    write_atomically(target, wb.save, what="журнал изменений", hint=EXCEL)
    return len(all_ids)
