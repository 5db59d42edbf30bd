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
from app.export.xlsx_text import abandon, text_value
from app.services.accounts.audit_log import EXPORT_HEADERS, AuditFilter, change_lines, ids, reference_names, rows
from app.services.access.personal_data import export_unmasked
from app.storage.database import Database

ProgressFn = Callable[[float, str], None]


class ExportCancelled(Exception):
    """The user pressed Cancel: no file is written."""


def export_xlsx(db: Database, f: AuditFilter, path: str | os.PathLike, *, unmasked: bool = False,
                progress: ProgressFn | None = None, is_cancelled: Callable[[], bool] | None = None) -> int:
    """Writes the filtered log to ``path``; returns the number of entries (0 and no file when cancelled)."""
    unmasked = export_unmasked(db, unmasked)
    all_ids = ids(db, f)
    target = Path(path)

    def write(tmp: str) -> None:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Журнал изменений")
        try:
            ws.append(list(EXPORT_HEADERS))
            for start in range(0, len(all_ids), 1000):
                if is_cancelled is not None and is_cancelled():
                    raise ExportCancelled()
                chunk = rows(db, all_ids[start:start + 1000])
                names = reference_names(db, chunk.values(), unmasked)
                for i in all_ids[start:start + 1000]:
                    r = chunk[i]
                    before, after = change_lines(r, unmasked, names)
                    ws.append([text_value(ws, v) for v in (
                        r.at.strftime("%d.%m.%Y %H:%M:%S"), r.actor, r.action_label, r.entity_label, r.summary,
                        r.record_id, before, after)])
                if progress is not None:
                    done = min(start + 1000, len(all_ids))
                    progress(min(1.0, done / max(1, len(all_ids))), f"Записано {done}")
            wb.save(tmp)
        except BaseException:
            abandon(ws)
            raise

    try:
        write_atomically(target, write, what="журнал изменений", hint=EXCEL)
    except ExportCancelled:
        return 0
    return len(all_ids)
