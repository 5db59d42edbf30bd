"""Importing teachers, organisations, programmes and diagnostics results from the spreadsheets offices really have.

Two steps, so that the GUI can show and correct what the program guessed:

1. ``detect(path, kind)`` reads the file, finds the header row among the
   title rows above it, maps each column to a field by its Russian name and
   returns an :class:`ImportPlan` (header row, mapping, sheet names, preview).
   The user may change the sheet (``detect(..., sheet=…)``), the header row
   (``detect(..., header_row=…)``) and any column's target
   (``plan.set_target``) and passes the plan on.
2. ``run_import(db, plan, ...)`` reads the rows below the header, validates
   every one through the same record services as the forms and writes all
   valid ones in ONE transaction: every rejected row is reported with its
   sheet row, column and reason; in all-or-nothing mode one rejected row
   leaves the database untouched, and so does Cancel.

Importing the same file again changes nothing: teachers are matched by СНИЛС,
then by ФИО and birth date; organisations by ИНН, then by name; programmes by
the federal registry number, then by title and provider; diagnostics by
teacher, date and instrument (their teachers must already be in the
database). A matched record is updated only with the non-empty values of the
file that differ.

The code lives in plan (targets, header detection, ImportPlan, detect), rows
(cell values, footers and captions), apply (the result and the common
importer) and one module per kind: teachers, organizations, programmes,
diagnostics and events (the year plan). This module is the entry point and
keeps the names importable from here.
"""
from __future__ import annotations

import os
from datetime import date

from app.services.common.actor import Actor
from app.services.maintenance.backups import backup_before
from app.services.access.permissions import IMPORT_DATA, require
from app.services.importing.apply import ImportResult, RejectedRow, SkippedRow  # noqa: F401
from app.services.importing.diagnostics import DiagnosticImporter
from app.services.importing.events import EventImporter
from app.services.importing.organizations import OrganizationImporter
from app.services.importing.headers import guess_mapping, max_score_in_header  # noqa: F401
from app.services.importing.plan import (  # noqa: F401
    HEADER_SCAN_ROWS, PREVIEW_ROWS, PROGRESS_EVERY, CancelFn, ImportPlan, PreviewRow, ProgressFn, detect,
)
from app.services.importing.targets import (  # noqa: F401
    CONSENT, CONSENT_GIVEN, DIAGNOSTICS, EVENTS, FIO, INN_KPP, KIND_TITLES, KINDS, ORGANIZATION, ORGANIZATION_INN,
    ORGANIZATION_TARGETS, ORGANIZATIONS, PROGRAMME_TARGETS, PROGRAMMES, PROVIDER, SCORE_PREFIX, TARGETS,
    TEACHER_TARGETS, TEACHERS, Target, header_key, target_label, targets, targets_of,
)
from app.services.importing.rows import guess_kind, org_key  # noqa: F401
from app.services.importing.programmes import ProgrammeImporter
from app.services.importing.teachers import TeacherImporter
from app.storage.database import Database


def run_import(db: Database, plan: ImportPlan, *, actor: Actor | None = None, all_or_nothing: bool = False,
               progress: ProgressFn | None = None, is_cancelled: CancelFn | None = None) -> ImportResult:
    """Imports the rows of ``plan`` in one transaction; see the module docstring.

    ``progress(fraction, message)`` is called every hundred rows;
    ``is_cancelled()`` is polled before every row — when it returns True the
    transaction is rolled back and the result says ``cancelled``. Raises
    ServiceError when the plan cannot run (see ``ImportPlan.problems``) or
    the file cannot be read.
    """
    importer_class = {TEACHERS: TeacherImporter, ORGANIZATIONS: OrganizationImporter,
                      PROGRAMMES: ProgrammeImporter, DIAGNOSTICS: DiagnosticImporter,
                      EVENTS: EventImporter}.get(plan.kind)
    if importer_class is None:
        targets_of(plan.kind)
    require(db, IMPORT_DATA)
    backup_before(db, f"import-{plan.kind}")
    return importer_class(db, plan, actor, all_or_nothing, progress, is_cancelled).run()


def import_file(db: Database, path: str | os.PathLike, kind: str, *, sheet: str | None = None,
                actor: Actor | None = None, all_or_nothing: bool = False,
                progress: ProgressFn | None = None, is_cancelled: CancelFn | None = None,
                default_date: date | None = None, default_instrument: str | None = None) -> ImportResult:
    """detect() and run_import() with the guessed mapping (what the command line does)."""
    plan = detect(path, kind, sheet, default_date=default_date, default_instrument=default_instrument)
    return run_import(db, plan, actor=actor, all_or_nothing=all_or_nothing, progress=progress,
                      is_cancelled=is_cancelled)


def import_plan_file(db, path, *, year: int | None = None, sheet: str | None = None, actor=None,
                     all_or_nothing: bool = False, progress=None, is_cancelled=None):
    """detect() and run_import() for a plan file; ``year`` serves rows without a plan year of their own."""
    plan = detect(path, EVENTS, sheet)
    plan.default_year = year
    return run_import(db, plan, actor=actor, all_or_nothing=all_or_nothing, progress=progress,
                      is_cancelled=is_cancelled)
