"""Verification codes and register numbers of certificates.

A code is 10 symbols of Crockford's base32 (digits and Latin capitals without
I, L, O and U): 50 random bits, so guessing a valid code is hopeless, yet it is
short enough to type from paper. It is shown grouped «XXXX-XXXX-XX». Reading a
typed code forgives what people do: lower case, spaces and dashes, O for 0,
I or L for 1, and Cyrillic letters that look like Latin ones (a Russian
keyboard layout left on).
"""
from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
GROUPS = (4, 4, 2)

# Look-alikes typed instead of the alphabet's symbols.
_CONFUSABLE = {"O": "0", "I": "1", "L": "1"}
_CYRILLIC = {
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "0", "Р": "P", "С": "C", "Т": "T",
    "Х": "X", "У": "Y", "З": "3", "Ч": "4",
}
_SEPARATORS = set(" -_.\u00a0\u2010\u2011\u2012\u2013\u2014\u2212\t")


class CodeFormatError(ValueError):
    """The typed text cannot be a verification code (Russian message)."""


def new_code() -> str:
    """A fresh random code, without separators."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """«7K3M9QX2AB» → «7K3M-9QX2-AB»."""
    parts, start = [], 0
    for size in GROUPS:
        parts.append(code[start:start + size])
        start += size
    return "-".join(p for p in parts if p)


def normalize_code(text: str) -> str:
    """The code as stored (10 symbols, no separators) from what a person typed or a scanner read.

    Raises CodeFormatError with a Russian message saying what is wrong.
    """
    symbols = []
    for ch in (text or "").strip().upper():
        if ch in _SEPARATORS:
            continue
        ch = _CYRILLIC.get(ch, ch)
        ch = _CONFUSABLE.get(ch, ch)
        if ch not in ALPHABET:
            raise CodeFormatError(
                f"В коде проверки недопустимый знак «{ch}». Код состоит из цифр и латинских букв, "
                "например 7K3M-9QX2-AB.")
        symbols.append(ch)
    if not symbols:
        raise CodeFormatError("Введите код проверки сертификата, например 7K3M-9QX2-AB.")
    if len(symbols) != CODE_LENGTH:
        raise CodeFormatError(
            f"Код проверки состоит из {CODE_LENGTH} знаков (без учёта дефисов), а введено {len(symbols)}. "
            "Проверьте, что код переписан полностью.")
    return "".join(symbols)


def register_number(year: int, sequence: int) -> str:
    """«2026-000123»: the year of issue and the certificate's place in that year's register."""
    return f"{year}-{sequence:06d}"


def counter_name(year: int) -> str:
    """The name of the Counter row that numbers the certificates of ``year``."""
    return f"certificate_{year}"
