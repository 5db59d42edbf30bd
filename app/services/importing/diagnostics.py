"""Importing the results of a group diagnostics: a row per teacher, a column per competence.

The teacher of a row must already be in the database: matched by СНИЛС, then
by ФИО (and birth date when the file gives it); an unknown teacher rejects
the row. Each row becomes one Diagnostic (teacher, date, instrument) with a
DiagnosticResult per competence that has a score; a score below 60 % of the
maximum (100, or the one the header names: «… (из 10)») is a deficit, and a
new deficit gets the catalogue's best programme for its competence proposed
(diagnostic_proposals). A diagnostic already stored for the same teacher, date and instrument is not
created again: its results are updated where the file differs.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import select

from app.domain import names
from app.domain.enums import COMPETENCE_LABELS
from app.domain.validators import ValidationError, normalize_snils
from app.services.development.diagnostic_proposals import programmes_by_competence
from app.services.common.errors import ValidationFailed
from app.services.common.fields import normalize
from app.services.registry.specs import spec_for
from app.services.importing.apply import Known, ImportRow
from app.services.importing.headers import max_score_in_header
from app.services.importing.targets import DIAGNOSTICS, FIO, SCORE_PREFIX, header_key
from app.services.importing.rows import date_value, snils_value, split_fio_cell, text_value
from app.services.importing.teachers import TeacherImporter
from app.storage.models import Diagnostic, DiagnosticResult, Teacher

DEFICIT_SHARE = 0.6
DEFAULT_MAX_SCORE = 100.0
RESULTS = "diagnostic_results"


def is_deficit(score: float, max_score: float) -> bool:
    return score < DEFICIT_SHARE * max_score


class DiagnosticImporter(TeacherImporter):
    def preload(self, s) -> None:
        self.hold_organizations(s)
        self.proposals = programmes_by_competence(self.db)
        self.by_snils: dict[str, Known] = {}
        self.by_fio: dict[str, list[Known]] = {}
        for known in self.load_known(s, Teacher):
            self.remember_teacher(known)
        self.existing: dict[tuple[str, date, str], str] = {}
        for d_id, teacher_id, held_on, instrument in s.execute(
                select(Diagnostic.id, Diagnostic.teacher_id, Diagnostic.held_on, Diagnostic.instrument)
                .where(Diagnostic.deleted_at.is_(None))):
            self.existing.setdefault((teacher_id, held_on, header_key(instrument)), d_id)
        self.results: dict[str, dict[str, tuple[str, float, float | None]]] = {}
        for r_id, d_id, competence, score, max_score in s.execute(
                select(DiagnosticResult.id, DiagnosticResult.diagnostic_id, DiagnosticResult.competence,
                       DiagnosticResult.score, DiagnosticResult.max_score)
                .where(DiagnosticResult.deleted_at.is_(None))):
            self.results.setdefault(d_id, {})[competence] = (r_id, score, max_score)
        self.seen: dict[tuple[str, date, str], int] = {}
        self.score_columns = sorted((c, t) for t, c in self.columns.items() if t.startswith(SCORE_PREFIX))
        self.max_scores = {t: max_score_in_header(self.plan.headers.get(c)) or DEFAULT_MAX_SCORE
                           for c, t in self.score_columns}

    def has_name(self, row: ImportRow) -> bool:
        return any(row.raw.get(t) is not None for t in (FIO, "last_name", "first_name", "snils"))

    def teacher_column(self) -> str:
        if "last_name" in self.columns or FIO in self.columns:
            return self.name_column()
        return "snils"

    # -- one row ----------------------------------------------------------
    def import_row(self, row: ImportRow) -> None:
        self.convert_person(row)
        teacher = self.find_teacher(row) if not row.errors else None
        held_on = self.held_on(row)
        instrument = self.instrument(row)
        scores = self.scores(row)
        if not scores and not any(e[0] and e[0].startswith(SCORE_PREFIX) for e in row.errors):
            row.errors.append((None, "в строке нет ни одного балла по компетенциям"))
        key = None
        if teacher is not None and held_on is not None and instrument:
            key = (teacher.id, held_on, header_key(instrument))
            if key in self.seen:
                row.errors.append((self.teacher_column(), f"тот же педагог, дата и инструмент, что в строке "
                                                          f"{self.seen[key]}; повторная строка не импортируется"))
            else:
                self.seen[key] = row.number
        if row.errors or key is None:
            self.reject(row)
            return
        try:
            if key in self.existing:
                self.update(row, self.existing[key], scores)
            else:
                self.create(row, teacher, held_on, instrument, scores)
        except ValidationFailed as exc:
            self.field_errors(row, exc)
            self.reject(row)

    def convert_person(self, row: ImportRow) -> None:
        raw, values = row.raw, row.values
        for name in ("last_name", "first_name", "middle_name"):
            if raw.get(name) is not None:
                values[name] = text_value(raw[name])
        if raw.get("snils") is not None:
            values["snils"] = snils_value(raw["snils"])
        if raw.get("birth_date") is not None:
            birth = date_value(raw["birth_date"])
            if isinstance(birth, date):
                values["birth_date"] = birth
            else:
                row.errors.append(("birth_date", f"«{birth}»: не является датой"))
        split_from = split_fio_cell(raw, values, row.errors)
        if not values.get("last_name") and not values.get("snils") and not row.has_error(FIO):
            row.errors.append((self.teacher_column(), "не указаны ФИО или СНИЛС педагога"))
        self.check_name(row, split_from)

    def find_teacher(self, row: ImportRow) -> Known | None:
        """The teacher in the database: by СНИЛС, then by ФИО (and birth date)."""
        values = row.values
        snils = None
        if values.get("snils"):
            try:
                snils = normalize_snils(values["snils"])
            except ValidationError as exc:
                row.errors.append(("snils", str(exc)))
                return None
        has_name = bool(values.get("last_name"))
        found = self.by_snils.get(snils) if snils else None
        if found is not None:
            problem = self.someone_else(found, values, snils) if has_name else None
            if problem:
                row.errors.append(("snils", problem))
                return None
            return found
        if has_name:
            found = self.match_by_name(row, snils)
            if found is not None or row.errors:
                return found
            who = names.format_fio(values.get("last_name"), values.get("first_name"), values.get("middle_name"))
            row.errors.append((self.teacher_column(), f"педагог «{who}» не найден в базе; сначала добавьте или "
                                                      "импортируйте педагога"))
        else:
            row.errors.append(("snils", f"педагог со СНИЛС {snils} не найден в базе; сначала добавьте или "
                                        "импортируйте педагога"))
        return None

    def held_on(self, row: ImportRow) -> date | None:
        value = row.raw.get("held_on")
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.plan.default_date is None:
                row.errors.append(("held_on", "не указана дата диагностики"))
            return self.plan.default_date
        held = date_value(value)
        if not isinstance(held, date):
            row.errors.append(("held_on", f"«{held}»: не является датой"))
            return None
        return held

    def instrument(self, row: ImportRow) -> str | None:
        value = row.raw.get("instrument")
        text = names.collapse_spaces(text_value(value)) if value is not None else ""
        text = text or names.collapse_spaces(self.plan.default_instrument or "")
        if not text:
            row.errors.append(("instrument", "не указан инструмент диагностики"))
            return None
        limit = spec_for(DIAGNOSTICS).field("instrument").max_length
        if limit and len(text) > limit:
            row.errors.append(("instrument", f"не длиннее {limit} символов (сейчас {len(text)})"))
            return None
        return text

    def scores(self, row: ImportRow) -> dict[str, tuple[float, float]]:
        """{competence: (score, max)} of the row; problems go to row.errors."""
        out = {}
        for _col, target in self.score_columns:
            value = row.raw.get(target)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            maximum = self.max_scores[target]
            number = self._number(value)
            if number is None:
                row.errors.append((target, f"«{text_value(value)}»: балл должен быть числом"))
            elif not 0 <= number <= maximum:
                row.errors.append((target, f"балл {number:g} вне диапазона от 0 до {maximum:g}".replace(".", ",")))
            else:
                out[target[len(SCORE_PREFIX):]] = (number, maximum)
        return out

    @staticmethod
    def _number(value: Any) -> float | None:
        if isinstance(value, bool):
            return None
        if isinstance(value, (int, float)):
            return float(value)
        text = re.sub(r"\s+", "", text_value(value)).replace(",", ".").rstrip("%")
        try:
            return float(text)
        except ValueError:
            return None

    # -- writing ----------------------------------------------------------
    def create(self, row: ImportRow, teacher: Known, held_on: date, instrument: str,
               scores: dict[str, tuple[float, float]]) -> None:
        v = teacher.values
        who = names.format_fio(v.get("last_name"), v.get("first_name"), v.get("middle_name"))
        clean = self.validated(DIAGNOSTICS, {"teacher_id": teacher.id, "held_on": held_on, "instrument": instrument})
        created = self.insert(DIAGNOSTICS, clean, f"{who}: {instrument}")
        self.batch.session.flush()
        for competence, (score, maximum) in scores.items():
            self.insert(RESULTS, self.result_values(created.id, competence, score, maximum),
                        f"{who}: {COMPETENCE_LABELS.get(competence, competence)}")
        self.existing[(teacher.id, held_on, header_key(instrument))] = created.id
        self.result.created += 1

    def result_values(self, diagnostic_id: str, competence: str, score: float, maximum: float) -> dict[str, Any]:
        spec = spec_for(RESULTS)
        deficit = is_deficit(score, maximum)
        # A new deficit gets the catalogue's best programme for it proposed (diagnostic_proposals).
        options = self.proposals.get(competence) if deficit else None
        values = {"diagnostic_id": diagnostic_id, "competence": competence, "score": score, "max_score": maximum,
                  "is_deficit": deficit, "proposed_programme_id": options[0].id if options else None}
        return {k: normalize(spec.field(k), v) for k, v in values.items()}

    def update(self, row: ImportRow, diagnostic_id: str, scores: dict[str, tuple[float, float]]) -> None:
        stored = self.results.get(diagnostic_id, {})
        changed = False
        for competence, (score, maximum) in scores.items():
            old = stored.get(competence)
            if old is not None and old[1] == score and (old[2] or DEFAULT_MAX_SCORE) == maximum:
                continue
            changed = True
            if old is None:
                self.insert(RESULTS, self.result_values(diagnostic_id, competence, score, maximum),
                            COMPETENCE_LABELS.get(competence, competence))
            else:
                self.batch.update(RESULTS, old[0], {"score": score, "max_score": maximum,
                                                    "is_deficit": is_deficit(score, maximum)})
        if changed:
            self.result.updated += 1
        else:
            self.result.unchanged += 1

