"""Password hashing with scrypt (memory-hard, in the standard library: no new dependency).

The stored text carries its own parameters and salt — «scrypt$n$r$p$salt$hash» —
so a later version can raise the cost without invalidating old passwords.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

# n=2**14, r=8 needs 16 MiB of memory per guess and ~50 ms on an office PC:
# cheap for one login, expensive for a dictionary attack on a stolen file.
SCRYPT_N = 2 ** 14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
MIN_PASSWORD_LENGTH = 8


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=128 * r * n * p + 1024 * 1024, dklen=HASH_BYTES)


def hash_password(password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    return f"scrypt${n}${r}${p}${salt.hex()}${_scrypt(password, salt, n, r, p).hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        actual = _scrypt(password, bytes.fromhex(salt), int(n), int(r), int(p))
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(actual, bytes.fromhex(expected))


def password_problem(password: str) -> str | None:
    """Why a new password is not acceptable (Russian), or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"пароль должен быть не короче {MIN_PASSWORD_LENGTH} символов"
    if password != password.strip():
        return "пароль не должен начинаться или заканчиваться пробелом"
    return None
