"""The outer file of a package: a plaintext header, the encrypted payload, a signature.

Layout (all integers big-endian)::

    8  bytes  magic  b"MSYN\\r\\n\\x1a\\n"
    2  bytes  envelope format version (1)
    32 bytes  sender key id (fingerprint of the sender's public keys)
    4  bytes  header length H, then H bytes of UTF-8 JSON (the manifest; no personal data)
    8  bytes  payload length P, then P bytes of payload
    64 bytes  Ed25519 signature over every byte before it

The payload is encrypted to the receiver: a one-time X25519 key agreed with
the receiver's key, HKDF-SHA256, then AES-256-GCM over 1 MiB chunks whose
nonce is the chunk counter plus a last-chunk flag (the key is never reused,
so counter nonces are safe; a dropped or reordered chunk fails) and whose
associated data is the header. The signature is checked with the key from
the receiver's own trust store before anything else is parsed.
"""
from __future__ import annotations

import hashlib
import json
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.sync.errors import PackageRefused
from app.services.common.errors import describe_os_error

MAGIC = b"MSYN\r\n\x1a\n"  # 8 bytes; CR LF and ^Z reveal text-mode mangling
FORMAT_VERSION = 1
SIGNATURE_SIZE = 64
CHUNK = 1 << 20
MAX_HEADER = 1 << 20
MAX_PACKAGE = 1 << 30
SCHEME = "X25519-HKDF-SHA256-AES-256-GCM-1MiB-chunks"
_PREFIX = struct.Struct(">8sH32sI")


@dataclass(frozen=True)
class Opened:
    header: dict
    header_bytes: bytes
    payload: bytes          # still encrypted (or plain when scheme is "none")
    sha256: str             # of the whole file: the chain link
    sender_fingerprint: str


def _raw_public(key) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _derive(shared: bytes, ephemeral: bytes, receiver: bytes, package_id: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + receiver,
                info=b"metodset-sync-v1 " + package_id.encode()).derive(shared)


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def encrypt_for(receiver_key: bytes, package_id: str) -> tuple[dict, Callable[[bytes, bytes], bytes]]:
    """The header's encryption block and a function (plaintext, header bytes) → ciphertext."""
    ephemeral = X25519PrivateKey.generate()
    eph_raw = _raw_public(ephemeral)
    key = _derive(ephemeral.exchange(X25519PublicKey.from_public_bytes(receiver_key)), eph_raw, receiver_key,
                  package_id)

    def seal(plain: bytes, header: bytes) -> bytes:
        aead, out = AESGCM(key), bytearray()
        chunks = [plain[i:i + CHUNK] for i in range(0, len(plain), CHUNK)] or [b""]
        for n, chunk in enumerate(chunks):
            out += aead.encrypt(_nonce(n, n == len(chunks) - 1), chunk, header)
        return bytes(out)

    return {"scheme": SCHEME, "ephemeral_key": eph_raw.hex(), "chunk_size": CHUNK}, seal


def decrypt(opened: Opened, own_key: X25519PrivateKey) -> bytes:
    block = opened.header.get("encryption") or {}
    if block.get("scheme") == "none":
        return opened.payload
    if block.get("scheme") != SCHEME:
        raise PackageRefused(f"Неизвестный способ шифрования пакета: {block.get('scheme')!r}.")
    try:
        eph_raw = bytes.fromhex(block["ephemeral_key"])
        key = _derive(own_key.exchange(X25519PublicKey.from_public_bytes(eph_raw)), eph_raw, _raw_public(own_key),
                      opened.header["package_id"])
    except (KeyError, ValueError, TypeError):
        raise PackageRefused("Заголовок шифрования пакета повреждён.") from None
    aead, out, step = AESGCM(key), bytearray(), CHUNK + 16
    data = opened.payload
    count = max(1, -(-len(data) // step))
    try:
        for n in range(count):
            out += aead.decrypt(_nonce(n, n == count - 1), data[n * step:(n + 1) * step], opened.header_bytes)
    except InvalidTag:
        raise PackageRefused("Пакет не удалось расшифровать: он зашифрован не для этой установки "
                             "или повреждён.") from None
    return bytes(out)


def seal(header: dict, payload: bytes | Callable[[bytes], bytes], signing: Ed25519PrivateKey,
         sender_fingerprint: str) -> bytes:
    """The whole package as bytes: prefix, header, payload (sealed with the header as AAD), signature."""
    header_bytes = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8")
    body = payload(header_bytes) if callable(payload) else payload
    data = (_PREFIX.pack(MAGIC, FORMAT_VERSION, bytes.fromhex(sender_fingerprint), len(header_bytes))
            + header_bytes + struct.pack(">Q", len(body)) + body)
    return data + signing.sign(data)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Temp name, fsync, replace: a crash never leaves half a package under the real name."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise PackageRefused(f"Не удалось записать файл {path}: {describe_os_error(exc, with_path=False)}.") from exc


def read_file(path: Path) -> bytes:
    """The file's bytes, read in chunks with a hard limit (a size on disk is not trusted)."""
    path = Path(path)
    chunks, total = [], 0
    try:
        with open(path, "rb") as f:
            while chunk := f.read(CHUNK):
                total += len(chunk)
                if total > MAX_PACKAGE:
                    raise PackageRefused(f"Файл {path.name} больше допустимого размера пакета (1 ГиБ).")
                chunks.append(chunk)
    except OSError as exc:
        raise PackageRefused(f"Не удалось прочитать файл {path}: {describe_os_error(exc, with_path=False)}.") from exc
    return b"".join(chunks)


def sender_of(data: bytes, name: str) -> str:
    """The key id of the sender; refuses what is not a package of a known format."""
    if len(data) < _PREFIX.size or data[:8] != MAGIC:
        if data[:8] == MAGIC[:len(data[:8])] and data:
            raise PackageRefused(f"Файл {name} обрезан: это начало пакета МетодСети, но не весь пакет.")
        raise PackageRefused(f"Файл {name} не является пакетом обмена МетодСети.")
    _magic, version, _fp, _hlen = _PREFIX.unpack_from(data)
    if version > FORMAT_VERSION:
        raise PackageRefused(f"Пакет {name} создан более новой версией программы (формат {version}, "
                             f"эта версия читает до {FORMAT_VERSION}). Обновите МетодСеть.")
    if version < 1:
        raise PackageRefused(f"Пакет {name} повреждён: неверный номер формата.")
    return data[10:42].hex()


def verify(data: bytes, name: str, sign_key: bytes) -> Opened:
    """Checks length and signature, then parses the header: nothing is trusted before the signature."""
    fingerprint = sender_of(data, name)
    truncated = PackageRefused(f"Файл {name} обрезан или повреждён: его длина не сходится с заголовком.")
    _magic, _version, _fp, hlen = _PREFIX.unpack_from(data)
    if hlen > MAX_HEADER or len(data) < _PREFIX.size + hlen + 8 + SIGNATURE_SIZE:
        raise truncated
    (plen,) = struct.unpack_from(">Q", data, _PREFIX.size + hlen)
    if len(data) != _PREFIX.size + hlen + 8 + plen + SIGNATURE_SIZE:
        raise truncated
    try:
        Ed25519PublicKey.from_public_bytes(sign_key).verify(data[-SIGNATURE_SIZE:], data[:-SIGNATURE_SIZE])
    except InvalidSignature:
        raise PackageRefused(f"Подпись пакета {name} не сходится: пакет изменён или повреждён после подписания. "
                             "Попросите отправителя выгрузить его заново.") from None
    header_bytes = data[_PREFIX.size:_PREFIX.size + hlen]
    try:
        header = json.loads(header_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise PackageRefused(f"Заголовок пакета {name} повреждён.") from None
    if not isinstance(header, dict) or header.get("format_version") != FORMAT_VERSION:
        raise PackageRefused(f"Заголовок пакета {name} повреждён или несовместим.")
    start = _PREFIX.size + hlen + 8
    return Opened(header, header_bytes, data[start:start + plen], hashlib.sha256(data).hexdigest(), fingerprint)
