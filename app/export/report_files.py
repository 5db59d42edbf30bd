"""A report saved to a file: the service runs it, the writer its suffix names draws it."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from app.services.reports import ReportParams, output_format, run_report
from app.storage.database import Database

Progress = Callable[[float, str], None]
Cancelled = Callable[[], bool]


def save_report(db: Database, name: str, params: ReportParams, path: str | Path, *,
                progress: Progress | None = None, cancelled: Cancelled | None = None) -> Path:
    """Runs the report and writes it to ``path`` (.xlsx or .pdf by its suffix); returns the file written."""
    run = run_report(db, name, params)
    if output_format(run.report, path) == "pdf":
        from app.export.report_pdf import write_report_pdf   # reportlab only when a PDF is asked for

        return write_report_pdf(run, path, progress=progress, cancelled=cancelled)
    from app.export.report_xlsx import write_report_xlsx

    return write_report_xlsx(run, path, progress=progress, cancelled=cancelled)
