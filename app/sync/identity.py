"""This installation's profile (role, municipality, name) and its key pairs.

The profile lives in ``app_meta`` (it belongs to the database); the private
keys live in the user's data folder under the installation's id, never in the
database and never in a package. A key card carries only the public halves.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.services.common.bootstrap import data_dir
from app.storage.base import Base
from app.storage.database import Database
from app.storage.models import AppMeta, Municipality, SyncPackage, SyncPartner
from app.sync.errors import SyncError
from app.services.common.errors import describe_os_error

# The name travels in every package header; the published schema allows more (an older, longer name still goes).
MAX_NAME = 500
ROLES = {"municipal": "муниципальный методический центр", "region": "региональный центр"}
KEYCARD_FORMAT = "metodset-keycard"
KEYCARD_VERSION = 1
MAX_KEYCARD_BYTES = 64 * 1024
_META = ("sync_role", "sync_installation_id", "municipality_code", "municipality_name")


@dataclass(frozen=True)
class Profile:
    role: str
    installation_id: str
    municipality_code: str
    name: str

    @property
    def is_region(self) -> bool:
        return self.role == "region"


@dataclass(frozen=True)
class KeyPair:
    signing: Ed25519PrivateKey
    encryption: X25519PrivateKey

    def public_raw(self) -> tuple[bytes, bytes]:
        raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
        return self.signing.public_key().public_bytes(*raw), self.encryption.public_key().public_bytes(*raw)

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(*self.public_raw())


def fingerprint_of(sign_key: bytes, encrypt_key: bytes) -> str:
    """SHA-256 over both public keys: what two people compare by phone, and the key id in packages."""
    return hashlib.sha256(b"metodset-keys\0" + sign_key + encrypt_key).hexdigest()


def fingerprint_groups(fingerprint: str, groups: int = 8) -> str:
    """The first 128 bits as «A1B2 C3D4 …»: short enough to read aloud, long enough to matter."""
    text = fingerprint.upper()[: groups * 4]
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def _meta(s: Session) -> dict[str, str]:
    return dict(s.execute(select(AppMeta.key, AppMeta.value).where(AppMeta.key.in_(_META))).all())


def _set_meta(s: Session, key: str, value: str) -> None:
    if s.get(AppMeta, key) is None:
        s.add(AppMeta(key=key, value=value))
    else:
        s.execute(update(AppMeta).where(AppMeta.key == key).values(value=value))


def load_profile(s: Session) -> Profile | None:
    meta = _meta(s)
    if not meta.get("sync_installation_id"):
        return None
    return Profile(meta.get("sync_role", ""), meta["sync_installation_id"], meta.get("municipality_code", ""),
                   meta.get("municipality_name", ""))


def require_profile(s: Session) -> Profile:
    profile = load_profile(s)
    if profile is None:
        raise SyncError("Обмен не настроен: заполните форму в разделе «Обмен с регионом» "
                        "(в командах — sync init --role … --municipality … --name …).")
    return profile


def keys_dir(installation_id: str) -> Path:
    return data_dir() / "keys" / installation_id


MIN_PASSPHRASE = 8
# The passphrase typed once in this process (the GUI session or one command), like an ssh agent.
_unlocked: dict[str, bytes] = {}


class KeysLocked(SyncError):
    """The private keys are protected by a passphrase that has not been given (or is wrong)."""


def unlock_keys(profile: "Profile", passphrase: str) -> None:
    """Checks the passphrase against the keys and keeps it for this process."""
    _unlocked.pop(profile.installation_id, None)
    _read_keys(keys_dir(profile.installation_id), passphrase.encode("utf-8"))
    _unlocked[profile.installation_id] = passphrase.encode("utf-8")


def forget_passphrases() -> None:
    """Forgets every passphrase typed in this process (as when the program closes)."""
    _unlocked.clear()


def keys_unlocked(profile: "Profile") -> bool:
    return profile.installation_id in _unlocked


def keys_protected(profile: "Profile") -> bool:
    try:
        text = (keys_dir(profile.installation_id) / "signing.pem").read_bytes()
    except OSError:
        return False
    return b"ENCRYPTED" in text


def protect_keys(profile: "Profile", passphrase: str | None, current: str | None = None) -> None:
    """Re-writes both private keys under a new passphrase (None: without one). The current passphrase,
    if the keys have one, must be given or already typed in this process."""
    if passphrase is not None and len(passphrase) < MIN_PASSPHRASE:
        raise SyncError(f"Пароль ключей — не короче {MIN_PASSPHRASE} символов.")
    if current is not None:
        unlock_keys(profile, current)
    keys = load_keys(profile)
    region_key = region_secret(profile, create=False)       # read under the passphrase it has now
    folder = keys_dir(profile.installation_id)
    secret = passphrase.encode("utf-8") if passphrase else None
    _write_private(folder / "signing.pem", keys.signing, secret)
    _write_private(folder / "encryption.pem", keys.encryption, secret)
    if region_key is not None:
        _write_secret(folder / "pseudonymisation.key", region_key, secret)
    if secret:
        _unlocked[profile.installation_id] = secret
    else:
        _unlocked.pop(profile.installation_id, None)


def _write_private(path: Path, key, passphrase: bytes | None = None) -> None:
    encryption = (serialization.BestAvailableEncryption(passphrase) if passphrase
                  else serialization.NoEncryption())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def load_keys(profile: Profile) -> KeyPair:
    return _read_keys(keys_dir(profile.installation_id), _unlocked.get(profile.installation_id))


def _read_keys(folder: Path, passphrase: bytes | None) -> KeyPair:
    try:
        signing_pem, encryption_pem = (folder / "signing.pem").read_bytes(), (folder / "encryption.pem").read_bytes()
    except OSError as exc:
        raise SyncError(f"Не найдены ключи этой установки в папке {folder}: {exc}. "
                        "Без них нельзя подписывать и читать пакеты.") from exc
    protected = b"ENCRYPTED" in signing_pem
    if protected and passphrase is None:
        raise KeysLocked("Ключи этой установки защищены паролем: введите пароль ключей "
                         "(в командной строке — переменная METODSET_KEYS_PASSWORD или вопрос при запуске).")
    try:
        signing = serialization.load_pem_private_key(signing_pem, passphrase if protected else None)
        encryption = serialization.load_pem_private_key(encryption_pem, passphrase if protected else None)
    except (TypeError, ValueError) as exc:
        if protected:
            raise KeysLocked("Неверный пароль ключей этой установки.") from None
        raise SyncError(f"Повреждены ключи этой установки в папке {folder}: {exc}. "
                        "Без них нельзя подписывать и читать пакеты.") from exc
    if not isinstance(signing, Ed25519PrivateKey) or not isinstance(encryption, X25519PrivateKey):
        raise SyncError(f"В папке {folder} лежат ключи неверного типа.")
    return KeyPair(signing, encryption)


def init_installation(db: Database, role: str, municipality_code: str, name: str) -> Profile:
    """Creates the profile and both key pairs; rows without an owner become this installation's."""
    role, code, name = _checked_identity(role, municipality_code, name)
    with db.session() as s:
        if load_profile(s) is not None:
            raise SyncError("Обмен на этой установке уже настроен; ключи не пересоздаются, "
                            "чтобы партнёры не потеряли доверие к ним.")
        previous_code = _meta(s).get("municipality_code", "")
        installation_id = str(uuid.uuid4())
        folder = keys_dir(installation_id)
        folder.mkdir(parents=True, exist_ok=True)
        keys = KeyPair(Ed25519PrivateKey.generate(), X25519PrivateKey.generate())
        _write_private(folder / "signing.pem", keys.signing)
        _write_private(folder / "encryption.pem", keys.encryption)
        if role == "region":
            region_secret(Profile(role, installation_id, code, name))   # shared with municipalities later
        for key, value in (("sync_role", role), ("sync_installation_id", installation_id),
                           ("municipality_code", code), ("municipality_name", name)):
            _set_meta(s, key, value)
        # Records typed before the exchange was set up belong to this installation.
        _take_rows(s, {"", previous_code} - {code}, code)
    db.forget_settings()
    return Profile(role, installation_id, code, name)


def _checked_identity(role: str | None, code: str | None, name: str | None) -> tuple[str, str, str]:
    """The role, code and name of an installation, trimmed; a SyncError for the first that is wrong."""
    role, code, name = (role or "").strip(), (code or "").strip(), (name or "").strip()
    if role not in ROLES:
        raise SyncError("Роль установки: municipal (муниципальный центр) или region (региональный центр).")
    if not code or len(code) > 16 or any(ch.isspace() for ch in code):
        raise SyncError("Код муниципалитета (региона) обязателен: до 16 символов без пробелов, например 46-231.")
    if not name:
        raise SyncError("Укажите название установки, например «ММЦ Курского района».")
    if len(name) > MAX_NAME:
        raise SyncError(f"Название установки длиннее {MAX_NAME} символов ({len(name)}): сократите его.")
    return role, code, name


def _take_rows(s: Session, owners: set[str], code: str) -> None:
    """The rows of ``owners`` become the installation ``code``'s. Rows a migration seeded (change_seq 0, e.g.
    the default criteria sheet) are every installation's own defaults and stay without an owner."""
    for table in synced_tables():
        s.execute(table.update().where(table.c.origin.in_(owners), table.c.change_seq > 0).values(origin=code))


def update_installation(db: Database, *, name: str, municipality_code: str | None = None,
                        role: str | None = None) -> Profile:
    """The centre's settings changed later («Сервис → Параметры центра»): the name at any time; the code and
    the role only before the first exchange — partners know the installation by them, and its keys stay."""
    from app.services.access.permissions import MANAGE_ACCOUNTS, require

    require(db, MANAGE_ACCOUNTS, "менять параметры центра")
    if not (name or "").strip():
        raise SyncError("Укажите название установки, например «ММЦ Курского района».")
    with db.session() as s:
        profile = require_profile(s)
        role, code, name = _checked_identity(role or profile.role, municipality_code or profile.municipality_code,
                                             name)
        if (code, role) != (profile.municipality_code, profile.role):
            if _has_exchanged(s):
                raise SyncError("Код и роль установки меняются только до первого обмена: партнёры уже знают её "
                                f"как {profile.municipality_code}. Название изменить можно.")
            _take_rows(s, {profile.municipality_code}, code)
            _recode_own_municipality(s, profile.municipality_code, code)
            _set_meta(s, "municipality_code", code)
            _set_meta(s, "sync_role", role)
        _set_meta(s, "municipality_name", name)
        updated = Profile(role, profile.installation_id, code, name)
    if updated.role == "region":
        region_secret(updated)
    db.forget_settings()
    return updated


def identity_fixed(db: Database) -> bool:
    """Whether the code and role are fixed now: a partner is trusted or a package has been exchanged."""
    with db.read() as s:
        return _has_exchanged(s)


def _has_exchanged(s: Session) -> bool:
    return bool(s.scalar(select(func.count()).select_from(SyncPartner))
                or s.scalar(select(func.count()).select_from(SyncPackage)))


def _recode_own_municipality(s: Session, old: str, new: str) -> None:
    """The centre's own municipality record (the first-run wizard makes it) follows a changed code,
    unless the new code already has a record of its own."""
    if old == new:
        return
    own = s.scalar(select(Municipality).where(Municipality.code == old, Municipality.deleted_at.is_(None)))
    if own is not None and not s.scalar(select(func.count()).select_from(Municipality)
                                        .where(Municipality.code == new)):
        own.code = new


def synced_tables():
    """Every table whose rows travel, parents before children (foreign keys resolve in order)."""
    return [t for t in Base.metadata.sorted_tables
            if "change_seq" in t.c and "origin" in t.c and "row_version" in t.c]


def keycard(db: Database) -> dict:
    with db.read() as s:
        profile = require_profile(s)
    keys = load_keys(profile)
    sign_raw, enc_raw = keys.public_raw()
    return {"format": KEYCARD_FORMAT, "version": KEYCARD_VERSION, "installation_id": profile.installation_id,
            "name": profile.name, "role": profile.role, "municipality_code": profile.municipality_code,
            "sign_key": sign_raw.hex(), "encrypt_key": enc_raw.hex(), "fingerprint": keys.fingerprint}


def write_keycard(db: Database, out: Path) -> dict:
    card = keycard(db)
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    try:
        tmp.write_text(json.dumps(card, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, out)
    except OSError as exc:
        raise SyncError(f"Не удалось сохранить карточку ключей {out}: {describe_os_error(exc, with_path=False)}.") from exc
    return card


_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def region_secret(profile: Profile, create: bool = True) -> bytes | None:
    """The region's own secret, made on first need (older region installations have none yet).

    When the keys have a passphrase the secret is kept under it too (AES-GCM, a key from scrypt)."""
    path = keys_dir(profile.installation_id) / "pseudonymisation.key"
    if path.exists():
        return _read_secret(path, _unlocked.get(profile.installation_id))
    if not create:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_secret(path, secrets.token_bytes(32), _unlocked.get(profile.installation_id))
    return region_secret(profile, create=False)


_SECRET_PREFIX = "enc1:"
_SECRET_AAD = b"metodset-pseudonym-key"


def _secret_key(passphrase: bytes, salt: bytes) -> bytes:
    return hashlib.scrypt(passphrase, salt=salt, n=2 ** 14, r=8, p=1, dklen=32)


def _write_secret(path: Path, secret: bytes, passphrase: bytes | None) -> None:
    if passphrase:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
        sealed = AESGCM(_secret_key(passphrase, salt)).encrypt(nonce, secret, _SECRET_AAD)
        text = f"{_SECRET_PREFIX}{salt.hex()}:{nonce.hex()}:{sealed.hex()}"
    else:
        text = secret.hex()
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _read_secret(path: Path, passphrase: bytes | None) -> bytes:
    text = path.read_text(encoding="ascii").strip()
    if _HEX64.match(text):
        return bytes.fromhex(text)
    if not text.startswith(_SECRET_PREFIX):
        raise SyncError(f"Ключ псевдонимизации {path} повреждён.")
    if passphrase is None:
        raise KeysLocked("Ключи этой установки защищены паролем: введите пароль ключей.")
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        salt, nonce, sealed = (bytes.fromhex(part) for part in text[len(_SECRET_PREFIX):].split(":"))
        return AESGCM(_secret_key(passphrase, salt)).decrypt(nonce, sealed, _SECRET_AAD)
    except InvalidTag:
        raise KeysLocked("Неверный пароль ключей этой установки.") from None
    except ValueError:
        raise SyncError(f"Ключ псевдонимизации {path} повреждён.") from None
