"""Importing organisations: ИНН/КПП, the kind of organisation, matching by ИНН or name."""
from __future__ import annotations

import re

from app.domain.validators import ValidationError, normalize_inn
from app.services.importing.apply import Importer, Known, ImportRow
from app.services.importing.targets import INN_KPP, ORGANIZATIONS
from app.services.importing.rows import date_value, digits_value, inn_value, kind_value, text_value, guess_kind, org_key


class OrganizationImporter(Importer):
    TEXT_FIELDS = ("full_name", "short_name", "address", "phone", "email", "website", "head_name")

    def preload(self, s) -> None:
        self.preload_organizations(s)
        self.seen_inn: dict[str, int] = {}
        self.seen_name: dict[str, int] = {}

    def has_name(self, row: ImportRow) -> bool:
        return any(row.raw.get(t) is not None for t in ("full_name", "short_name"))

    def convert(self, row: ImportRow) -> None:
        raw, values = row.raw, row.values
        for name in self.TEXT_FIELDS:
            if raw.get(name) is not None:
                values[name] = text_value(raw[name])
        if not values.get("full_name") and values.get("short_name"):
            values["full_name"] = values["short_name"]
        if not values.get("full_name"):
            row.errors.append(("full_name", "не указано наименование организации"))
        if raw.get("inn") is not None:
            values["inn"] = inn_value(raw["inn"])
        if raw.get("kpp") is not None:
            values["kpp"] = digits_value(raw["kpp"], 9, (8,))
        if raw.get(INN_KPP) is not None:
            parts = [p for p in re.split(r"[/\\|,;\s]+", text_value(raw[INN_KPP])) if p]
            if parts:
                values.setdefault("inn", inn_value(parts[0]))
            if len(parts) > 1:
                values.setdefault("kpp", digits_value(parts[1], 9, (8,)))
        if raw.get("ogrn") is not None:
            values["ogrn"] = text_value(raw["ogrn"])
        for name in ("joined_on", "left_on"):
            if raw.get(name) is not None:
                values[name] = date_value(raw[name])
        if raw.get("kind") is not None:
            values["kind"] = kind_value(raw["kind"])

    def import_row(self, row: ImportRow) -> None:
        self.convert(row)
        inn = None
        if row.values.get("inn"):
            try:
                inn = normalize_inn(row.values["inn"])
            except ValidationError as exc:
                row.errors.append(("inn", str(exc)))
        keys = {org_key(row.values.get("full_name")), org_key(row.values.get("short_name"))} - {""}
        if keys and not row.has_error("full_name"):
            self.check_duplicates(row, inn, keys)
        known = self.match(row, inn, keys) if not row.errors else None
        if row.errors:
            self.more_errors(row, creating=known is None)
            self.reject(row)
            return
        self.create_or_update(row, known, lambda: self.create(row))

    def create(self, row: ImportRow) -> Known:
        values = dict(row.values)
        values.setdefault("kind", guess_kind(f"{values.get('full_name', '')} {values.get('short_name', '')}"))
        created = self.insert(ORGANIZATIONS, self.validated(ORGANIZATIONS, values))
        self.remember_org(created)
        return created

    def check_duplicates(self, row: ImportRow, inn: str | None, keys: set[str]) -> None:
        if inn and inn in self.seen_inn:
            row.errors.append(("inn", f"ИНН {inn} уже встречался в строке {self.seen_inn[inn]}; "
                                      "повторная строка не импортируется"))
        elif not inn:
            first = next((self.seen_name[k] for k in sorted(keys) if k in self.seen_name), None)
            if first is not None:
                row.errors.append(("full_name", f"та же организация, что в строке {first}; "
                                                "повторная строка не импортируется"))
        if inn:
            self.seen_inn.setdefault(inn, row.number)
        for k in keys:
            self.seen_name.setdefault(k, row.number)

    def match(self, row: ImportRow, inn: str | None, keys: set[str]) -> Known | None:
        """The organisation in the database: by ИНН, then by full or short name."""
        found_id = self.orgs_by_inn.get(inn) if inn else None
        if found_id is None:
            ids: list[str] = []
            for k in sorted(keys):
                ids.extend(i for i in self.orgs_by_name.get(k, []) if i not in ids)
            if inn:
                # The same name with another ИНН is another organisation (a namesake, a branch).
                ids = [i for i in ids if not self.orgs[i].values.get("inn")]
            if len(ids) > 1:
                row.errors.append(("full_name", "в базе несколько организаций с таким наименованием; укажите ИНН"))
                return None
            found_id = ids[0] if ids else None
        if found_id is None:
            return None
        if found_id in self.touched:
            row.errors.append(("full_name", f"та же организация, что в строке {self.touched[found_id]}; "
                                            "повторная строка не импортируется"))
            return None
        self.touched[found_id] = row.number
        return self.orgs[found_id]

    def update(self, row: ImportRow, known: Known) -> None:
        changes = self.changes_for(known, self.normalized(row.values))
        if not changes:
            self.result.unchanged += 1
            return
        self.remember_org(self.known_from(self.batch.update(ORGANIZATIONS, known.id, changes)))
        self.result.updated += 1
