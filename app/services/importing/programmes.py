"""Importing programmes (ДПП ПК): hours and credits, form, expertise status, provider, competences.

A programme is matched by its number in the federal registry, then by its
normalised title and provider; a matched programme is updated only with the
non-empty values of the file that differ. Credits left empty are computed
from the hours (the «hours_per_credit» setting, 36 by default).
"""
from __future__ import annotations

import re
from typing import Any

from app.domain import names, rules
from app.domain.enums import COMPETENCES, CertificationStatus, ProgrammeForm
from app.services.importing.apply import Importer, Known, ImportRow
from app.services.importing.targets import PROGRAMMES, PROVIDER, header_key
from app.services.importing.rows import date_value, enum_value, text_value, org_key
from app.storage.models import Programme

_FORM_PREFIXES = (("очнозаочн", ProgrammeForm.MIXED), ("смешан", ProgrammeForm.MIXED),
                  ("сетев", ProgrammeForm.NETWORK), ("дистанц", ProgrammeForm.DISTANCE),
                  ("заочн", ProgrammeForm.DISTANCE), ("дот", ProgrammeForm.DISTANCE),
                  ("электрон", ProgrammeForm.DISTANCE), ("онлайн", ProgrammeForm.DISTANCE),
                  ("очн", ProgrammeForm.FULL_TIME))
_STATUS_PREFIXES = (("непровод", CertificationStatus.NONE), ("нет", CertificationStatus.NONE),
                    ("безэкспертиз", CertificationStatus.NONE), ("отклон", CertificationStatus.REJECTED),
                    ("непрошл", CertificationStatus.REJECTED), ("отрицат", CertificationStatus.REJECTED),
                    ("наэкспертиз", CertificationStatus.IN_REVIEW), ("нарассмотр", CertificationStatus.IN_REVIEW),
                    ("вработе", CertificationStatus.IN_REVIEW), ("подан", CertificationStatus.IN_REVIEW),
                    ("сертифиц", CertificationStatus.CERTIFIED), ("прошл", CertificationStatus.CERTIFIED),
                    ("включен", CertificationStatus.CERTIFIED), ("вреестр", CertificationStatus.CERTIFIED),
                    ("положит", CertificationStatus.CERTIFIED), ("рекомендован", CertificationStatus.CERTIFIED),
                    ("да", CertificationStatus.CERTIFIED))
_COMPETENCE_KEYS = tuple((code, header_key(label)) for code, label in COMPETENCES)


def competence_code(text: str) -> str | None:
    """The competence a text names: a code, its label, or a part of the label (casefold, ё → е)."""
    stripped = text.strip()
    if any(stripped == code for code, _ in COMPETENCES):
        return stripped
    key = header_key(stripped)
    if not key:
        return None
    for code, label_key in _COMPETENCE_KEYS:
        if key == label_key or label_key in key or (len(key) >= 6 and key in label_key):
            return code
    return None


def competence_codes(text: str) -> tuple[list[str], list[str]]:
    """(codes, unknown parts) of a list such as «Предметные знания; Цифровые образовательные технологии»."""
    codes: list[str] = []
    unknown: list[str] = []
    for part in re.split(r"[;\n]+", text):
        part = part.strip(" .\t")
        if not part:
            continue
        code = competence_code(part)
        subparts = [(part, code)] if code else [(p.strip(" .\t"), competence_code(p)) for p in part.split(",")]
        for sub, sub_code in subparts:
            if not sub:
                continue
            if sub_code is None:
                unknown.append(sub)
            elif sub_code not in codes:
                codes.append(sub_code)
    return codes, unknown


class ProgrammeImporter(Importer):
    TEXT_FIELDS = ("title", "registry_number", "description")

    def preload(self, s) -> None:
        from app.services.development.common import pd_settings
        self.hours_per_credit = pd_settings(self.db).hours_per_credit
        self.preload_organizations(s)
        self.by_registry: dict[str, Known] = {}
        self.by_title: dict[tuple[str, str], list[Known]] = {}
        self.seen_registry: dict[str, int] = {}
        self.seen_title: dict[tuple[str, str], int] = {}
        self.computed_credits: set[int] = set()     # rows whose credits come from their hours
        for known in self.load_known(s, Programme):
            self.remember(known)

    def field_names_of(self, model) -> list[str]:
        return self.field_names if model is Programme else super().field_names_of(model)

    def remember(self, known: Known) -> None:
        v = known.values
        if v.get("registry_number"):
            self.by_registry[self.registry_key(v["registry_number"])] = known
        bucket = self.by_title.setdefault(self.title_key(v), [])
        if known not in bucket:
            bucket.append(known)

    @staticmethod
    def registry_key(number: str) -> str:
        return re.sub(r"[\s№]+", "", str(number)).casefold()

    def title_key(self, values: dict[str, Any]) -> tuple[str, str]:
        provider = ""
        if values.get("provider_id") and values["provider_id"] in self.orgs:
            provider = values["provider_id"]
        elif values.get("provider_name"):
            provider = org_key(values["provider_name"])
        return org_key(values.get("title")), provider

    def has_name(self, row: ImportRow) -> bool:
        return row.raw.get("title") is not None

    # -- one row ----------------------------------------------------------
    def import_row(self, row: ImportRow) -> None:
        self.convert(row)
        if not row.has_error("title", "registry_number"):
            self.check_duplicates(row)
        known = self.match(row) if not row.errors else None
        if row.errors:
            if known is None:
                row.values.setdefault("form", ProgrammeForm.FULL_TIME.value)
            self.more_errors(row, creating=known is None)
            self.reject(row)
            return
        self.create_or_update(row, known, lambda: self.create(row))

    def create(self, row: ImportRow) -> Known:
        values = dict(row.values)
        values.setdefault("form", ProgrammeForm.FULL_TIME.value)
        created = self.insert(PROGRAMMES, self.validated(PROGRAMMES, values), values["title"])
        self.remember(created)
        return created

    def convert(self, row: ImportRow) -> None:
        raw, values = row.raw, row.values
        for name in self.TEXT_FIELDS:
            if raw.get(name) is not None:
                values[name] = names.collapse_spaces(text_value(raw[name])) if name != "description" \
                    else text_value(raw[name]).strip()
        if not values.get("title"):
            row.errors.append(("title", "не указано наименование программы"))
        if raw.get("hours") is not None:
            self.convert_hours(row, raw["hours"])
        elif "hours" in self.columns:
            row.errors.append(("hours", "не указан объём программы в часах"))
        if raw.get("credits") is not None:
            self.convert_credits(row, raw["credits"])
        if values.get("credits") is None and isinstance(values.get("hours"), int) and not row.has_error("credits"):
            values["credits"] = rules.credits_from_hours(values["hours"], self.hours_per_credit)
            self.computed_credits.add(row.number)
        if raw.get("form") is not None:
            values["form"] = enum_value(raw["form"], ProgrammeForm, _FORM_PREFIXES)
        if raw.get("certification_status") is not None:
            values["certification_status"] = enum_value(raw["certification_status"], CertificationStatus,
                                                         _STATUS_PREFIXES)
        if raw.get("certified_until") is not None:
            values["certified_until"] = date_value(raw["certified_until"])
        if raw.get("competences") is not None:
            codes, unknown = competence_codes(text_value(raw["competences"]))
            if unknown:
                row.errors.append(("competences", "неизвестные компетенции: " + "; ".join(f"«{u}»" for u in unknown)))
            elif codes:
                values["competences"] = ",".join(codes)
        if raw.get(PROVIDER) is not None:
            self.convert_provider(row, raw[PROVIDER])

    @staticmethod
    def _number(value: Any) -> float | None:
        if isinstance(value, bool):
            return None
        if isinstance(value, (int, float)):
            return float(value)
        text = re.sub(r"\s+", "", text_value(value)).replace(",", ".")
        text = re.sub(r"(ч|час|часа|часов|ак\.?ч\.?|зе|з\.е\.?)$", "", text.casefold())
        try:
            return float(text)
        except ValueError:
            return None

    def convert_hours(self, row: ImportRow, value: Any) -> None:
        number = self._number(value)
        if number is None:
            row.errors.append(("hours", f"«{text_value(value)}»: объём в часах должен быть числом"))
        elif number <= 0:
            row.errors.append(("hours", f"«{text_value(value)}»: объём в часах должен быть больше нуля"))
        elif number != int(number):
            row.errors.append(("hours", f"«{text_value(value)}»: объём в часах должен быть целым числом"))
        else:
            row.values["hours"] = int(number)

    def convert_credits(self, row: ImportRow, value: Any) -> None:
        number = self._number(value)
        if number is None:
            row.errors.append(("credits", f"«{text_value(value)}»: зачётные единицы должны быть числом"))
        elif number < 0:
            row.errors.append(("credits", f"«{text_value(value)}»: зачётные единицы не могут быть отрицательными"))
        elif number > 0:
            row.values["credits"] = number

    def convert_provider(self, row: ImportRow, value: Any) -> None:
        name = names.collapse_spaces(text_value(value))
        compact = re.sub(r"\s+", "", name)
        if compact.isdigit() and compact in self.orgs_by_inn:
            row.values["provider_id"] = self.orgs_by_inn[compact]
            return
        ids = self.orgs_by_name.get(org_key(name), [])
        if len(ids) == 1:
            row.values["provider_id"] = ids[0]
        elif name:
            row.values["provider_name"] = name

    def check_duplicates(self, row: ImportRow) -> None:
        number = row.values.get("registry_number")
        key = self.title_key(row.values)
        if number:
            reg = self.registry_key(number)
            if reg in self.seen_registry:
                row.errors.append(("registry_number", f"номер {number} уже встречался в строке "
                                                      f"{self.seen_registry[reg]}; повторная строка не импортируется"))
                return
            self.seen_registry[reg] = row.number
        elif key in self.seen_title:
            row.errors.append(("title", f"та же программа того же разработчика, что в строке {self.seen_title[key]}; "
                                        "повторная строка не импортируется"))
            return
        self.seen_title.setdefault(key, row.number)

    def match(self, row: ImportRow) -> Known | None:
        """The programme in the database: by registry number, then by title and provider."""
        number = row.values.get("registry_number")
        found = self.by_registry.get(self.registry_key(number)) if number else None
        if found is None:
            candidates = self.by_title.get(self.title_key(row.values), [])
            if number:
                # Another registry number under the same title is another programme (a new version).
                candidates = [k for k in candidates if not k.values.get("registry_number")]
            if len(candidates) > 1:
                row.errors.append(("title", "в базе несколько программ с таким наименованием и разработчиком; "
                                            "укажите номер в федеральном реестре"))
                return None
            found = candidates[0] if candidates else None
        if found is None:
            return None
        if found.id in self.touched:
            row.errors.append(("title", f"та же программа, что в строке {self.touched[found.id]}; "
                                        "повторная строка не импортируется"))
            return None
        self.touched[found.id] = row.number
        return found

    def update(self, row: ImportRow, known: Known) -> None:
        values = dict(row.values)
        if row.number in self.computed_credits and known.values.get("credits") \
                and known.values.get("hours") == values.get("hours"):
            del values["credits"]           # the stored credits stand while the hours do not change
        changes = self.changes_for(known, self.normalized(values))
        if not changes:
            self.result.unchanged += 1
            return
        updated = self.known_from(self.batch.update(PROGRAMMES, known.id, changes))
        old_number = known.values.get("registry_number")
        if old_number and old_number != updated.values.get("registry_number"):
            self.by_registry.pop(self.registry_key(old_number), None)
        for bucket in self.by_title.values():
            if known in bucket:
                bucket.remove(known)
        known.values = updated.values
        self.remember(known)
        self.result.updated += 1
