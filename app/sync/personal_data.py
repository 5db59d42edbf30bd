"""How much personal data a municipality's package carries, and the region's pseudonymisation key.

Three levels, chosen per package and written in its manifest and in the
package log:

* ``full`` — every record as it is (the region's personalised database);
* ``pseudonymised`` — teacher rows without names, birth date, e-mail, phone and
  notes, and no free text about a person elsewhere (route and mentoring goals,
  diagnostic notes, the name on a certificate, the contacts in a request); the СНИЛС is replaced by HMAC-SHA256 under a secret only the region
  and its trusted municipalities hold, so the region still matches one person
  across municipalities but nobody without the secret can test a СНИЛС;
* ``aggregates`` — no personal rows at all, only per-organisation figures.

The secret is generated once by the region (in its keys folder, like its
private keys) and travels only inside packages encrypted for one municipality
(a catalogue addressed to it); the municipality keeps it in ``app_meta``.
"""
from __future__ import annotations

import hashlib
import hmac
import re

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.storage.models import AppMeta
from app.sync.errors import PackageRefused, SyncError
from app.sync.identity import Profile

LEVELS = {"full": "полностью", "pseudonymised": "псевдонимизированно", "aggregates": "только сводные показатели"}
PLACEHOLDER_NAME = "Педагог"
KEY_PART = "keys/pseudonymisation.json"
_META_KEY = "sync_pseudonym_key"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
# Teacher fields a pseudonymised package never carries: (field, value sent instead).
REMOVED_FIELDS = (("last_name", PLACEHOLDER_NAME), ("first_name", ""), ("middle_name", ""), ("birth_date", None),
                  ("snils", None), ("email", None), ("phone", None), ("notes", ""))
# Free text in other tables that names or describes a person, blanked the same way. A methodist writes
# «Иванова М. П. — подготовить к аттестации» in a route's goals; the region needs none of it.
OTHER_REMOVED_FIELDS = {
    "certificate": (("recipient_name", PLACEHOLDER_NAME),),     # a teacher's certificate only (_fields_of)
    "trajectory": (("goals", ""),),
    "mentorship": (("goals", ""),),
    "diagnostic": (("notes", ""),),
    "info_request": (("reply_contact", ""), ("prepared_by_name", ""), ("prepared_by_position", ""),
                     ("prepared_by_phone", ""), ("prepared_by_email", "")),
}


def check_level(level: str) -> str:
    level = (level or "full").strip()
    if level not in LEVELS:
        raise SyncError("Уровень персональных данных: full (полностью), pseudonymised (псевдонимизированно) "
                        "или aggregates (только сводные показатели).")
    return level


def key_id(secret: bytes) -> str:
    """Names the secret in manifests without revealing it."""
    return hashlib.sha256(b"metodset-pseudonym\0" + secret).hexdigest()


def snils_hash(secret: bytes, snils: str | None) -> str | None:
    digits = "".join(ch for ch in snils or "" if ch.isdigit())
    if not digits:
        return None
    return hmac.new(secret, b"metodset-snils\0" + digits.encode("ascii"), hashlib.sha256).hexdigest()


def received_secret(s: Session) -> bytes | None:
    value = s.scalar(select(AppMeta.value).where(AppMeta.key == _META_KEY))
    return bytes.fromhex(value) if value and _HEX64.match(value) else None


def store_received_secret(s: Session, secret: bytes) -> bool:
    """Keeps the region's secret at a municipality; True when it is new or changed."""
    value = secret.hex()
    row = s.get(AppMeta, _META_KEY)
    if row is None:
        s.add(AppMeta(key=_META_KEY, value=value))
        return True
    if row.value == value:
        return False
    s.execute(update(AppMeta).where(AppMeta.key == _META_KEY).values(value=value))
    return True


def secret_for_export(s: Session, profile: Profile) -> bytes:
    secret = received_secret(s)
    if secret is None:
        raise SyncError("Нет ключа псевдонимизации региона. Попросите региональный центр выгрузить каталог, "
                        "адресованный вашему муниципалитету, и загрузите его («Загрузить пакет или квитанцию…»); "
                        "ключ придёт в нём.")
    return secret


def key_part(secret: bytes) -> bytes:
    import json

    return json.dumps({"key": secret.hex(), "key_id": key_id(secret)}).encode("ascii")


def read_key_part(body: bytes, where: str) -> bytes:
    import json

    try:
        data = json.loads(body.decode("ascii"))
        secret = bytes.fromhex(data["key"])
        ok = _HEX64.match(data["key"]) and data["key_id"] == key_id(secret)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        ok = False
    if not ok:
        raise PackageRefused(f"{where}: ключ псевдонимизации в пакете повреждён.")
    return secret


def pseudonymise(row: dict, secret: bytes) -> dict:
    out = dict(row)
    out["snils_hash"] = snils_hash(secret, row.get("snils"))
    for name, value in REMOVED_FIELDS:
        out[name] = value
    return out


def _fields_of(table: str, row: dict) -> tuple:
    if table == "certificate" and not row.get("teacher_id"):
        return ()       # issued to an organisation: its name is no one's personal data
    return OTHER_REMOVED_FIELDS.get(table, ())


def blank_free_text(table: str, row: dict) -> dict:
    out = dict(row)
    for name, value in _fields_of(table, row):
        out[name] = value
    return out


def transforms(secret: bytes) -> dict:
    """Table name → the function that makes one of its rows fit to leave in a pseudonymised package."""
    out = {table: (lambda r, t=table: blank_free_text(t, r)) for table in OTHER_REMOVED_FIELDS}
    out["teacher"] = lambda r: pseudonymise(r, secret)
    return out


def is_pseudonymous(rec: dict) -> bool:
    return rec.get("snils") is None and rec.get("last_name") == PLACEHOLDER_NAME and not rec.get("first_name")


def check_pseudonymised(rec: dict, where: str) -> None:
    """A pseudonymised package's teacher must carry no name, contact or СНИЛС, and a well-formed hash."""
    for name, value in REMOVED_FIELDS:
        if rec.get(name) != value:
            raise PackageRefused(f"{where}: пакет объявлен псевдонимизированным, но у педагога {rec['id']} "
                                 f"заполнено поле «{name}». Пакет отклонён.")
    if rec.get("snils_hash") is not None and not _HEX64.match(rec["snils_hash"]):
        raise PackageRefused(f"{where}: у педагога {rec['id']} неверный хеш СНИЛС.")


def check_free_text_blank(table: str, rows: list[dict], where: str) -> None:
    """The other tables of a pseudonymised package must carry none of the text pseudonymisation removes."""
    for rec in rows:
        for name, value in _fields_of(table, rec):
            if rec.get(name, value) != value:
                raise PackageRefused(f"{where}: пакет объявлен псевдонимизированным, но в таблице «{table}» "
                                     f"у записи {rec.get('id')} заполнено поле «{name}». Пакет отклонён.")
