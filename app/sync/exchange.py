"""The exchange with the region as the GUI and the CLI use it (the work is in ``app.sync``)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from app.storage.database import Database
from app.sync.errors import KeyConflict, PackageRefused, SyncError
from app.sync.export import ExportCancelled, ExportResult, export_catalogue, export_delta
from app.sync.identity import (ROLES, KeysLocked, Profile, fingerprint_groups, identity_fixed, init_installation,
                               keycard, update_installation, write_keycard)
from app.sync.importer import ImportOutcome, import_package, preview
from app.sync.partners import Partner, partners, read_keycard, revoke, trust
from app.sync.personal_data import LEVELS as PERSONAL_DATA_LEVELS

ENTITY_LABELS = {
    "municipality": "Муниципалитеты", "organization": "Организации", "organization_role": "Роли организаций",
    "agreement": "Договоры", "agreement_party": "Стороны договоров", "info_request": "Запросы",
    "teacher": "Педагоги", "mentorship": "Наставничество", "programme": "Программы",
    "diagnostic": "Диагностика", "diagnostic_result": "Результаты диагностики", "trajectory": "Маршруты (ИОМ)",
    "trajectory_item": "Пункты маршрутов", "community": "Сообщества", "community_member": "Участники сообществ",
    "event": "Мероприятия", "event_organizer": "Организаторы мероприятий", "participation": "Участие",
    "network_course": "Сетевые курсы", "course_enrolment": "Зачисления на курсы", "material": "Материалы",
    "material_author": "Авторы материалов", "material_file": "Файлы материалов", "review": "Экспертиза",
}


def entity_label(table: str) -> str:
    return ENTITY_LABELS.get(table, table)


def profile(db: Database) -> Profile | None:
    from app.sync.identity import load_profile

    with db.read() as s:
        return load_profile(s)


def keys_need_passphrase(db: Database) -> bool:
    """The keys are protected and the passphrase has not been typed in this process yet."""
    from app.sync.identity import keys_protected, keys_unlocked

    prof = profile(db)
    return prof is not None and keys_protected(prof) and not keys_unlocked(prof)


def keys_are_protected(db: Database) -> bool:
    from app.sync.identity import keys_protected

    prof = profile(db)
    return prof is not None and keys_protected(prof)


def unlock_keys(db: Database, passphrase: str) -> None:
    from app.sync.identity import require_profile, unlock_keys as unlock

    with db.read() as s:
        prof = require_profile(s)
    unlock(prof, passphrase)


def set_keys_passphrase(db: Database, passphrase: str | None, current: str | None = None) -> None:
    """Protects the private keys with a passphrase (None removes it); the current one if they have one."""
    from app.services.access import permissions
    from app.sync.identity import protect_keys, require_profile

    permissions.require(db, permissions.MANAGE_BACKUPS, "менять пароль ключей обмена")
    with db.read() as s:
        prof = require_profile(s)
    protect_keys(prof, passphrase, current)


def own_fingerprint(db: Database) -> str:
    return fingerprint_groups(keycard(db)["fingerprint"])


@dataclass(frozen=True)
class PackageLogEntry:
    direction: str
    kind: str
    partner_code: str
    sequence: int
    created_at: datetime
    processed_at: datetime
    acknowledged_at: datetime | None
    records: int
    personal_data: str = "full"


def package_log(db: Database, limit: int = 200) -> list[PackageLogEntry]:
    from app.sync.ledger import history

    with db.read() as s:
        out = []
        for row in history(s, limit):
            counts = json.loads(row.counts or "{}")
            # Outgoing counts carry "records"; incoming ones new/updated/deleted/merged.
            records = sum(c.get("records", sum(c.get(k, 0) for k in ("new", "updated", "deleted", "merged")))
                          for c in counts.values())
            out.append(PackageLogEntry(row.direction, row.kind, row.partner_code, row.sequence, row.created_at,
                                       row.processed_at, row.acknowledged_at, records, row.personal_data))
        return out


__all__ = [
    "ENTITY_LABELS", "PERSONAL_DATA_LEVELS", "AggregateRow", "KeysLocked", "keys_are_protected",
    "keys_need_passphrase", "set_keys_passphrase", "unlock_keys", "municipality_aggregates", "ExportCancelled", "ExportResult", "ImportOutcome", "KeyConflict", "PackageRefused", "Partner", "Profile",
    "ROLES", "SyncError", "entity_label", "export_catalogue", "export_delta", "fingerprint_groups",
    "identity_fixed", "import_package", "init_installation", "keycard", "municipality_reports", "own_fingerprint", "package_log",
    "partners", "preview",
    "profile", "read_keycard", "revoke", "trust", "update_installation", "write_keycard",
]


@dataclass(frozen=True)
class MunicipalityReport:
    name: str
    code: str
    last_sequence: int | None
    last_at: datetime | None          # when the last package was created by the municipality
    last_records: int
    overdue: bool                     # nothing since the chosen date
    personal_data: str = ""           # the level of the last package


def municipality_reports(db: Database, since: datetime) -> list[MunicipalityReport]:
    """At the region: each trusted municipality's last package and who has not reported since ``since``."""
    from app.sync.ledger import last_in

    out = []
    with db.read() as s:
        from sqlalchemy import select

        from app.storage.models import SyncPartner

        for p in s.scalars(select(SyncPartner).where(SyncPartner.role == "municipal",
                                                     SyncPartner.revoked_at.is_(None)).order_by(SyncPartner.name)):
            last = last_in(s, p.installation_id, "delta")
            if last is None:
                out.append(MunicipalityReport(p.name, p.municipality_code, None, None, 0, True))
                continue
            counts = json.loads(last.counts or "{}")
            records = sum(sum(c.get(k, 0) for k in ("new", "updated", "deleted", "merged")) for c in counts.values())
            out.append(MunicipalityReport(p.name, p.municipality_code, last.sequence, last.created_at, records,
                                          last.created_at < since, last.personal_data))
    return out


@dataclass(frozen=True)
class AggregateRow:
    municipality_code: str
    organization_name: str
    as_of: datetime
    teachers: int
    covered: int
    due_soon: int
    overdue: int
    young: int
    credits_by_year: dict[str, float]


def municipality_aggregates(db: Database) -> list[AggregateRow]:
    """At the region: the newest figures of every municipality that sends «aggregates only» packages."""
    from app.sync.aggregates import stored

    with db.read() as s:
        return [AggregateRow(a.municipality_code, a.organization_name, a.as_of, a.teachers, a.covered, a.due_soon,
                             a.overdue, a.young, json.loads(a.credits_by_year or "{}")) for a in stored(s)]
