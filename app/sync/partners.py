"""The trust store: partners' public keys, trusted from a key card, listed and revoked.

A package is verified only with a key from here, never with one read from
the package itself.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.storage.base import utcnow
from app.storage.database import Database
from app.storage.models import SyncPartner
from app.services.access import audit
from app.services.common.actor import Actor
from app.sync.errors import KeyConflict, SyncError
from app.sync.identity import (KEYCARD_FORMAT, KEYCARD_VERSION, MAX_KEYCARD_BYTES, ROLES, fingerprint_groups,
                               fingerprint_of, require_profile)
from app.services.common.errors import describe_os_error


@dataclass(frozen=True)
class Partner:
    installation_id: str
    name: str
    role: str
    municipality_code: str
    fingerprint: str
    trusted_at: datetime
    revoked_at: datetime | None

    @property
    def fingerprint_text(self) -> str:
        return fingerprint_groups(self.fingerprint)

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)


def _partner(row: SyncPartner) -> Partner:
    return Partner(row.installation_id, row.name, row.role, row.municipality_code, row.fingerprint,
                   row.trusted_at, row.revoked_at)


def read_keycard(path: Path) -> dict:
    path = Path(path)
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_KEYCARD_BYTES + 1)
    except OSError as exc:
        raise SyncError(f"Не удалось прочитать карточку ключей {path}: {describe_os_error(exc, with_path=False)}.") from exc
    if len(raw) > MAX_KEYCARD_BYTES:
        raise SyncError(f"Файл {path.name} слишком велик для карточки ключей.")
    try:
        card = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise SyncError(f"Файл {path.name} не является карточкой ключей МетодСети.") from None
    if not isinstance(card, dict) or card.get("format") != KEYCARD_FORMAT:
        raise SyncError(f"Файл {path.name} не является карточкой ключей МетодСети.")
    if not isinstance(card.get("version"), int) or card["version"] > KEYCARD_VERSION:
        raise SyncError(f"Карточка {path.name} создана более новой версией программы; обновите МетодСеть.")
    for key in ("installation_id", "name", "role", "municipality_code", "sign_key", "encrypt_key"):
        if not isinstance(card.get(key), str) or not card[key]:
            raise SyncError(f"В карточке ключей {path.name} нет поля «{key}».")
    try:
        sign_key, encrypt_key = bytes.fromhex(card["sign_key"]), bytes.fromhex(card["encrypt_key"])
    except ValueError:
        raise SyncError(f"Ключи в карточке {path.name} повреждены.") from None
    if len(sign_key) != 32 or len(encrypt_key) != 32 or card["role"] not in ROLES:
        raise SyncError(f"Ключи или роль в карточке {path.name} повреждены.")
    fingerprint = fingerprint_of(sign_key, encrypt_key)
    if card.get("fingerprint") not in (None, fingerprint):
        raise SyncError(f"Отпечаток в карточке {path.name} не совпадает с её ключами: карточка повреждена.")
    card["fingerprint"] = fingerprint
    return card


def trust(db: Database, path: Path, *, replace: bool = False, actor: Actor | None = None) -> Partner:
    """Adds a partner from its key card; the caller shows the fingerprint to compare.

    A municipality code (and an installation) is bound to the key first trusted for it:
    a second key is refused, naming both installations, unless ``replace`` says the
    coordinator means it (the partner reinstalled or made new keys); the replacement
    is audited, and the new key takes over the code's records.
    """
    card = read_keycard(path)
    actor = actor or Actor.system_user()
    with db.session() as s:
        profile = require_profile(s)
        if card["installation_id"] == profile.installation_id:
            raise SyncError("Это карточка ключей самой этой установки; доверять нужно карточке партнёра.")
        code = card["municipality_code"][:16]
        live = list(s.scalars(select(SyncPartner).where(SyncPartner.revoked_at.is_(None)).order_by(SyncPartner.id)))
        same = [p for p in live if p.installation_id == card["installation_id"] and p.fingerprint == card["fingerprint"]]
        if same:
            return _partner(same[0])
        bound = [p for p in live if p.installation_id == card["installation_id"]
                 or (p.role == card["role"] and p.municipality_code == code)]
        if bound and not replace:
            raise KeyConflict(_conflict_message(bound[0], card, code))
        now = utcnow()
        for old in bound:
            old.revoked_at = now
        row = SyncPartner(installation_id=card["installation_id"], name=card["name"][:255], role=card["role"],
                          municipality_code=code, sign_key=card["sign_key"],
                          encrypt_key=card["encrypt_key"], fingerprint=card["fingerprint"], trusted_at=now)
        s.add(row)
        s.flush()
        after = {"name": row.name, "code": code, "installation_id": row.installation_id,
                 "fingerprint": row.fingerprint}
        if bound:
            old = bound[0]
            audit.write(s, actor, "sync_key_replace", "sync_partner", row.installation_id,
                        {"name": old.name, "code": old.municipality_code, "installation_id": old.installation_id,
                         "fingerprint": old.fingerprint}, after,
                        f"Ключ партнёра с кодом {code} заменён: «{old.name}» ({fingerprint_groups(old.fingerprint)}) "
                        f"→ «{row.name}» ({fingerprint_groups(row.fingerprint)})")
        else:
            audit.write(s, actor, "sync_trust", "sync_partner", row.installation_id, None, after,
                        f"Добавлен доверенный партнёр «{row.name}» (код {code}, {fingerprint_groups(row.fingerprint)})")
        return _partner(row)


def _conflict_message(old: SyncPartner, card: dict, code: str) -> str:
    old_key, new_key = fingerprint_groups(old.fingerprint), fingerprint_groups(card["fingerprint"])
    if old.installation_id == card["installation_id"]:
        what = f"Установке «{old.name}» уже доверен другой ключ (отпечаток {old_key}, с {old.trusted_at:%d.%m.%Y})"
    else:
        what = (f"Код {code} уже закреплён за установкой «{old.name}» (отпечаток {old_key}, "
                f"доверена {old.trusted_at:%d.%m.%Y})")
    return (f"{what}; карточка «{card['name']}» (отпечаток {new_key}) не принята: пакеты двух установок "
            "перезаписывали бы записи друг друга. Если партнёр переустановил программу или создал новые ключи, "
            "сверьте отпечаток по телефону и замените ключ явно (в окне — кнопка «Заменить ключ», в командах — "
            "sync trust ФАЙЛ --replace).")


def partners(db: Database, *, include_revoked: bool = True) -> list[Partner]:
    with db.read() as s:
        stmt = select(SyncPartner).order_by(SyncPartner.revoked_at.is_not(None), SyncPartner.name, SyncPartner.id)
        if not include_revoked:
            stmt = stmt.where(SyncPartner.revoked_at.is_(None))
        return [_partner(r) for r in s.scalars(stmt)]


def revoke(db: Database, name_or_fingerprint: str) -> Partner:
    needle = (name_or_fingerprint or "").strip()
    compact = needle.replace(" ", "").lower()
    with db.session() as s:
        live = list(s.scalars(select(SyncPartner).where(SyncPartner.revoked_at.is_(None))))
        found = [p for p in live if p.name == needle or p.installation_id == needle or p.municipality_code == needle
                 or (len(compact) >= 8 and p.fingerprint.startswith(compact))]
        if not found:
            raise SyncError(f"Среди доверенных партнёров нет «{needle}» (укажите название, код или отпечаток).")
        if len(found) > 1:
            raise SyncError(f"Под «{needle}» подходят несколько партнёров; укажите отпечаток.")
        found[0].revoked_at = utcnow()
        s.flush()
        return _partner(found[0])


def trusted_by_fingerprint(s: Session, fingerprint: str) -> SyncPartner | None:
    """The newest entry with this key id, revoked or not (the caller tells the two apart)."""
    return s.scalars(select(SyncPartner).where(SyncPartner.fingerprint == fingerprint)
                     .order_by(SyncPartner.revoked_at.is_(None).desc(), SyncPartner.id.desc()).limit(1)).first()


def find_receiver(s: Session, wanted: str | None, role: str) -> SyncPartner:
    """The partner a package goes to: the one named, or the only trusted one of ``role``."""
    live = list(s.scalars(select(SyncPartner).where(SyncPartner.revoked_at.is_(None)).order_by(SyncPartner.name)))
    if wanted:
        compact = wanted.replace(" ", "").lower()
        found = [p for p in live if wanted in (p.name, p.municipality_code, p.installation_id)
                 or (len(compact) >= 8 and p.fingerprint.startswith(compact))]
        if len(found) != 1:
            raise SyncError(f"Получатель «{wanted}» не найден среди доверенных партнёров (их список — в разделе "
                            "«Обмен с регионом» или командой sync partners).")
        return found[0]
    candidates = [p for p in live if p.role == role]
    if len(candidates) != 1:
        label = "регионального центра" if role == "region" else "муниципального центра"
        raise SyncError(f"Укажите получателя (--to): доверенных партнёров-{label}: {len(candidates)}."
                        if candidates else
                        f"Нет доверенного {label}: сначала примите его карточку ключей — кнопка «Доверять партнёру "
                        "по карточке…» в разделе «Обмен с регионом» или команда sync trust КАРТОЧКА.")
    return candidates[0]
