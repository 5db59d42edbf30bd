"""Importing teachers: ФИО, consent, the organisation a row names, matching by СНИЛС or ФИО and birth date."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from app.domain import names
from app.domain.validators import ValidationError, format_date, normalize_inn, normalize_snils
from app.services.common.errors import FieldError, ValidationFailed
from app.services.importing.apply import Importer, Known, NewOrganization, ImportRow
from app.services.importing.targets import (
    CONSENT, CONSENT_GIVEN, FIO, ORGANIZATION, ORGANIZATION_INN, ORGANIZATIONS, TEACHERS,
)
from app.services.importing.rows import (
    NAME_JUNK, NO_WORDS, YES_WORDS, category_value, check_name_part, date_value, guess_kind, inn_value, org_key,
    snils_value, split_fio_cell, text_value, year_end_value,
)
from app.storage.models import Teacher


class TeacherImporter(Importer):
    DATE_FIELDS = ("birth_date", "category_until", "career_start", "hired_on", "last_pd_on")
    TEXT_FIELDS = ("last_name", "first_name", "middle_name", "email", "phone", "position", "subjects",
                   "consent_basis", "notes")

    def preload(self, s) -> None:
        self.preload_organizations(s)
        self.new_orgs: dict[str, NewOrganization] = {}
        self.by_snils: dict[str, Known] = {}
        self.by_fio: dict[str, list[Known]] = {}
        self.seen_snils: dict[str, int] = {}
        self.seen_person: dict[tuple[str, date | None], tuple[int, str | None]] = {}
        for known in self.load_known(s, Teacher):
            self.remember_teacher(known)

    def remember_teacher(self, known: Known) -> None:
        v = known.values
        if v.get("snils"):
            self.by_snils[v["snils"]] = known
        # Stored names are folded as the file's are: one typed with a Latin «a» before that was cleaned on input.
        bucket = self.by_fio.setdefault(names.search_key(*(names.fold_lookalikes(v[n]) for n in (
            "last_name", "first_name", "middle_name"))), [])
        if known not in bucket:
            bucket.append(known)

    def has_name(self, row: ImportRow) -> bool:
        return any(row.raw.get(t) is not None for t in (FIO, "last_name", "first_name"))

    def name_column(self) -> str:
        return "last_name" if "last_name" in self.columns else FIO

    # -- one row ----------------------------------------------------------
    def import_row(self, row: ImportRow) -> None:
        self.convert(row)
        if row.values.get("last_name") and not row.has_error(FIO, "last_name", "first_name", "middle_name"):
            self.check_duplicates(row)
        org_ref = self.resolve_organization(row)
        known = self.match(row) if not row.errors else None
        if row.errors:
            self.more_errors(row, creating=known is None)
            self.reject(row)
            return
        try:
            if known is None:
                self.create(row, org_ref)
            else:
                self.update(row, known, org_ref)
        except ValidationFailed as exc:
            self.field_errors(row, exc)
            self.reject(row)

    def convert(self, row: ImportRow) -> None:
        raw, values = row.raw, row.values
        for name in self.TEXT_FIELDS:
            if raw.get(name) is not None:
                values[name] = text_value(raw[name])
        if raw.get("snils") is not None:
            values["snils"] = snils_value(raw["snils"])
        for name in self.DATE_FIELDS:
            if raw.get(name) is not None:
                values[name] = (year_end_value if name == "last_pd_on" else date_value)(raw[name])
        if raw.get("qualification_category") is not None:
            values["qualification_category"] = category_value(raw["qualification_category"])
        if raw.get(CONSENT) is not None:
            self.convert_consent(raw[CONSENT], values)
        split_from = split_fio_cell(raw, values, row.errors)
        if not values.get("last_name") and not row.has_error(FIO):
            row.errors.append(("last_name", "не указана фамилия"))
        self.check_name(row, split_from)

    def check_name(self, row: ImportRow, split_from: str | None) -> None:
        """Names are letters, spaces, hyphens and apostrophes: no initials, numbers or notes."""
        values = row.values
        if split_from is not None:
            parts = [values.get(n, "") for n in ("last_name", "first_name", "middle_name")]
            if any(NAME_JUNK.search(p) for p in parts if p):
                given = [p for p in parts[1:] if p]
                if given and all(len(re.sub(r"[.\-\s]", "", p)) <= 2 for p in given) and "." in "".join(given):
                    problem = f"«{split_from}»: укажите имя и отчество полностью, а не инициалы"
                else:
                    problem = f"«{split_from}»: в ФИО допустимы только буквы, пробелы, дефисы и апострофы"
                row.errors.append((FIO, problem))
            return
        for name, label, accusative in (("last_name", "Фамилия", "фамилию"), ("first_name", "Имя", "имя"),
                                        ("middle_name", "Отчество", "отчество")):
            text = values.get(name)
            if text:
                problem = check_name_part(label, accusative, text)
                if problem:
                    row.errors.append((name, problem))

    @staticmethod
    def convert_consent(value: Any, values: dict[str, Any]) -> None:
        if isinstance(value, (date, datetime)) or (isinstance(value, (int, float)) and not isinstance(value, bool)
                                                   and 10_000 <= value <= 80_000):
            values["consent_on"] = date_value(value)
            return
        if isinstance(value, bool):
            if value:
                values["consent_basis"] = CONSENT_GIVEN
            return
        key = text_value(value).strip().casefold()
        if key in YES_WORDS:
            values["consent_basis"] = CONSENT_GIVEN
        elif key not in NO_WORDS:
            values["consent_on"] = date_value(value)

    @staticmethod
    def person_key(values: dict[str, Any]) -> str:
        parts = [names.normalize_name_part(values.get(n, "")) for n in ("last_name", "first_name", "middle_name")]
        return names.search_key(*parts)

    @staticmethod
    def birth(values: dict[str, Any]) -> date | None:
        b = values.get("birth_date")
        return b if isinstance(b, date) else None

    @staticmethod
    def canonical_snils(values: dict[str, Any]) -> str | None:
        if not values.get("snils"):
            return None
        try:
            return normalize_snils(values["snils"])
        except ValidationError:
            return None

    def check_duplicates(self, row: ImportRow) -> None:
        """The second row of the same person in the file is refused, naming the first."""
        snils = self.canonical_snils(row.values)
        person = (self.person_key(row.values), self.birth(row.values))
        first = self.seen_person.get(person)
        if snils and snils in self.seen_snils:
            row.errors.append(("snils", f"СНИЛС {snils} уже встречался в строке {self.seen_snils[snils]}; "
                                        "повторная строка не импортируется"))
        elif first is not None and not (snils and first[1] and snils != first[1]):
            # Same name and birth date with two different СНИЛС are two people.
            what = "те же ФИО и дата рождения" if person[1] else "те же ФИО"
            row.errors.append((self.name_column(), f"{what}, что в строке {first[0]}; "
                                                   "повторная строка не импортируется"))
        if snils:
            self.seen_snils.setdefault(snils, row.number)
        self.seen_person.setdefault(person, (row.number, snils))

    def match(self, row: ImportRow) -> Known | None:
        """The teacher in the database: by СНИЛС, then by ФИО and birth date."""
        snils = self.canonical_snils(row.values)
        found = self.by_snils.get(snils) if snils else None
        if found is not None:
            problem = self.someone_else(found, row.values, snils)
            if problem:
                row.errors.append(("snils", problem))
                return None
        else:
            found = self.match_by_name(row, snils)
        if found is not None and found.id in self.touched:
            row.errors.append((self.name_column(), f"тот же педагог, что в строке {self.touched[found.id]}; "
                                                   "повторная строка не импортируется"))
            return None
        if found is not None:
            self.touched[found.id] = row.number
        return found

    @staticmethod
    def someone_else(known: Known, values: dict[str, Any], snils: str) -> str | None:
        """Why the teacher stored with this СНИЛС is not the person of the row (None if they may be).

        A new surname is allowed (marriage); another first name, patronymic or
        birth date means the СНИЛС was taken from someone else's line.
        """
        v = known.values
        birth, stored_birth = values.get("birth_date"), v.get("birth_date")
        given = [names.search_key(names.normalize_name_part(values.get(n) or ""))
                 for n in ("first_name", "middle_name")]
        stored = [names.search_key(names.fold_lookalikes(v.get(n))) for n in ("first_name", "middle_name")]
        differs = (isinstance(birth, date) and stored_birth is not None and birth != stored_birth) \
            or given[0] != stored[0] or (given[1] and stored[1] and given[1] != stored[1])
        if not differs:
            return None
        who = names.format_fio(v.get("last_name"), v.get("first_name"), v.get("middle_name"))
        born = f", дата рождения {format_date(stored_birth)}" if stored_birth else ""
        return f"СНИЛС {snils} в базе принадлежит другому педагогу: {who}{born}"

    def match_by_name(self, row: ImportRow, snils: str | None) -> Known | None:
        candidates = self.by_fio.get(self.person_key(row.values), [])
        if snils:
            # A stored СНИЛС that differs means another person.
            candidates = [t for t in candidates if not t.values.get("snils")]
        if not candidates:
            return None
        birth = self.birth(row.values)
        exact = [t for t in candidates if t.values.get("birth_date") == birth]
        # A record or a row without a birth date may still be the same person.
        loose = [t for t in candidates if t not in exact and (birth is None or t.values.get("birth_date") is None)]
        for group in (exact, loose):
            if len(group) == 1:
                return group[0]
            if len(group) > 1:
                v = group[0].values
                who = names.format_fio(v["last_name"], v["first_name"], v["middle_name"])
                same_birth = " с этой датой рождения" if birth and group is exact else ""
                hint = "" if birth else "; укажите дату рождения или СНИЛС"
                row.errors.append((self.name_column(), f"в базе несколько педагогов «{who}»{same_birth}{hint}"))
                return None
        return None

    def resolve_organization(self, row: ImportRow):
        """The row's organisation: an id, a NewOrganization to create, or None; problems go to row.errors."""
        name_value = row.raw.get(ORGANIZATION)
        inn_cell = row.raw.get(ORGANIZATION_INN)
        name = names.collapse_spaces(text_value(name_value)) if name_value is not None else ""
        inn, inn_target = None, ORGANIZATION_INN
        if inn_cell is not None:
            try:
                inn = normalize_inn(inn_value(inn_cell))
            except ValidationError as exc:
                row.errors.append((ORGANIZATION_INN, str(exc)))
                return None
        compact = re.sub(r"\s+", "", name)
        if compact.isdigit() and len(compact) in (9, 10, 11, 12):
            # The organisation column holds an ИНН.
            try:
                inn_in_name = normalize_inn(inn_value(name_value))
            except ValidationError as exc:
                row.errors.append((ORGANIZATION, str(exc)))
                return None
            if inn and inn != inn_in_name:
                row.errors.append((ORGANIZATION, f"ИНН {inn_in_name} не совпадает с ИНН организации {inn}"))
                return None
            inn, name, inn_target = inn_in_name, "", ORGANIZATION
        if not name and not inn:
            return None
        if inn and inn in self.orgs_by_inn:
            return self.orgs_by_inn[inn]
        if name:
            ids = self.orgs_by_name.get(org_key(name), [])
            if len(ids) == 1:
                known_inn = self.orgs[ids[0]].values.get("inn")
                if inn and known_inn and known_inn != inn:
                    row.errors.append((ORGANIZATION_INN, (
                        f"в базе организация «{self.org_display(ids[0])}» имеет ИНН {known_inn}, "
                        f"а в строке указан {inn}")))
                    return None
                return ids[0]
            if len(ids) > 1:
                row.errors.append((ORGANIZATION, f"в базе несколько организаций «{name}»; укажите ИНН"))
                return None
        if not name:
            row.errors.append((inn_target, (f"организация с ИНН {inn} не найдена в базе; "
                                            "укажите её наименование, чтобы создать её")))
            return None
        pending = self.new_orgs.get(inn or "") or self.new_orgs.get(org_key(name))
        if pending is None:
            pending = NewOrganization(name, inn)
            if inn:
                self.new_orgs[inn] = pending
            self.new_orgs[org_key(name)] = pending
        return pending

    def organization_id(self, org_ref) -> str | None:
        """The id of the row's organisation, creating it now if it is new."""
        if not isinstance(org_ref, NewOrganization):
            return org_ref
        if org_ref.id is None:
            values = {"full_name": org_ref.name, "kind": guess_kind(org_ref.name)}
            if org_ref.inn:
                values["inn"] = org_ref.inn
            try:
                created = self.insert(ORGANIZATIONS, self.validated(ORGANIZATIONS, values))
            except ValidationFailed as exc:
                raise ValidationFailed([FieldError("organization_id", "Организация", e.message)
                                        for e in exc.errors]) from None
            org_ref.id = created.id
            self.batch.session.flush()          # the teacher's reference check looks the organisation up
            self.remember_org(created)
            self.result.created_organizations.append(
                org_ref.name + (f" (ИНН {org_ref.inn})" if org_ref.inn else ""))
        return org_ref.id

    def create(self, row: ImportRow, org_ref) -> None:
        values = dict(row.values)
        if isinstance(org_ref, NewOrganization) and org_ref.id is None:
            clean = self.validated(TEACHERS, values)     # no organisation is created for a bad row
            clean["organization_id"] = self.organization_id(org_ref)
        else:
            if org_ref is not None:
                values["organization_id"] = self.organization_id(org_ref)
            clean = self.validated(TEACHERS, values)
        known = self.insert(TEACHERS, clean)
        self.remember_teacher(known)
        self.touched[known.id] = row.number
        self.result.created += 1

    def update(self, row: ImportRow, known: Known, org_ref) -> None:
        changes = self.changes_for(known, self.normalized(row.values))
        if org_ref is not None and (isinstance(org_ref, NewOrganization) or org_ref != known.values.get("organization_id")):
            if isinstance(org_ref, NewOrganization) and org_ref.id is None:
                self.batch.validate(TEACHERS, changes, known.id)
            changes["organization_id"] = self.organization_id(org_ref)
        if not changes:
            self.result.unchanged += 1
            return
        old_snils = known.values.get("snils")
        updated = self.known_from(self.batch.update(TEACHERS, known.id, changes))
        if old_snils and old_snils != updated.values.get("snils"):
            self.by_snils.pop(old_snils, None)
        known.values = updated.values
        self.remember_teacher(known)
        self.result.updated += 1
